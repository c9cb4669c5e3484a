"""An encrypted part's size after decryption (``plain_size``) is only what the
manifest says: a commune holding its own key could declare gigabytes and seal a
zlib bomb that the zip-level checks (which see ciphertext) never notice. The
declared sizes are capped before anything is read, and the inflater never
produces more than declared. Nothing here allocates more than the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocong_desktop.core.sync import export_package, import_package, write_key_card
from gocong_desktop.core.sync.crypto import Opener
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.package import open_manifest
from gocong_desktop.core.sync.peers import import_key_card
from gocong_desktop.core.sync.zipsafe import LIMITS, SafeZip
from tests.core.sync.conftest import dump, fingerprint_of
from tests.core.sync.forge import forge, signing_key

pytestmark = pytest.mark.upper_sqlite  # refused from the file and the keys, before the records are compared

HOUSEHOLDS = "data/household.jsonl.enc"


@pytest.fixture
def sealed(seeded, upper, usb: Path) -> Path:
    """A package encrypted to the upper office (its key card imported at the commune)."""
    with upper.session() as s:
        card = write_key_card(s, usb)
    with seeded.db.session() as s:
        import_key_card(s, card)
    path = export_package(seeded.db, usb).path
    assert HOUSEHOLDS in {f.name for f in open_manifest(path).manifest.files}
    return path


def _declaring(seeded, sealed: Path, dst: Path, sizes: dict[str, int]) -> Path:
    """``sealed`` re-signed by the commune's own key, its manifest declaring ``sizes``."""
    def edit(doc: dict) -> None:
        for f in doc["files"]:
            f["plain_size"] = sizes.get(f["name"], f["plain_size"])
    return forge(sealed, dst, signing_key(seeded.db), manifest=edit)


def _refused(upper, path: Path, *fragments: str) -> str:
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, path, trust=[fingerprint_of(path)])
    message = caught.value.message
    assert caught.value.code == "zip_bomb", message
    for fragment in fragments:
        assert fragment in message, message
    assert dump(upper) == before
    return message


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The payload members read and the parts inflated, as they happen."""
    seen: list[str] = []
    read, inflate = SafeZip.read, Opener.open

    def spy_read(self, name, **kwargs):
        if name.startswith("data/"):
            seen.append(name)
        return read(self, name, **kwargs)

    def spy_open(self, package_uuid, name, blob, plain_size):
        seen.append(f"inflate {name}")
        return inflate(self, package_uuid, name, blob, plain_size)
    monkeypatch.setattr(SafeZip, "read", spy_read)
    monkeypatch.setattr(Opener, "open", spy_open)
    return seen


def test_a_huge_declared_size_is_refused_before_anything_is_read(seeded, upper, sealed: Path, tmp_path: Path,
                                                                  reads: list[str]) -> None:
    bomb = _declaring(seeded, sealed, tmp_path / "bom.gcsync", {HOUSEHOLDS: 4 * 1024 ** 3})
    message = _refused(upper, bomb, HOUSEHOLDS, "4 GB", "256 MB", "không do gocong_desktop tạo", "xuất lại gói",
                       "chưa bị thay đổi")
    assert reads == [], message


def test_parts_each_under_the_cap_but_too_big_together(seeded, upper, sealed: Path, tmp_path: Path,
                                                       reads: list[str]) -> None:
    names = [f.name for f in open_manifest(sealed).manifest.files]
    each = LIMITS.max_member_size - 1
    assert len(names) * each > LIMITS.max_total_size  # the package has enough parts for the case
    bomb = _declaring(seeded, sealed, tmp_path / "bom.gcsync", dict.fromkeys(names, each))
    _refused(upper, bomb, "tổng cộng", "1 GB", "xuất lại gói")
    assert reads == []


@pytest.mark.parametrize("lie", [-1, 1], ids=["smaller", "larger"])
def test_a_small_lie_about_the_size_is_refused(seeded, upper, sealed: Path, tmp_path: Path, lie: int) -> None:
    real = next(f.plain_size for f in open_manifest(sealed).manifest.files
                if f.name == HOUSEHOLDS)
    forged = _declaring(seeded, sealed, tmp_path / "lech.gcsync", {HOUSEHOLDS: real + lie})
    _refused(upper, forged, HOUSEHOLDS, "kích thước khác khai báo", "xuất lại gói")


def test_the_sealed_package_itself_is_imported(upper, sealed: Path) -> None:
    assert import_package(upper, sealed, trust=[fingerprint_of(sealed)]).status == "imported"


def test_bytes_after_the_compressed_part_are_refused() -> None:
    """A sealed part is one zlib stream: anything after its end (room to smuggle data past
    what the declared size accounts for) is refused, however right the size is."""
    import os
    import zlib

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from gocong_desktop.core.sync import crypto

    ours = X25519PrivateKey.generate()
    sealer = crypto.Sealer(crypto.public_b64(ours))
    plain = b'{"id": "1"}\n' * 100
    opener = crypto.Opener(ours, sealer.ephemeral_key)
    assert opener.open("goi", HOUSEHOLDS, sealer.seal("goi", HOUSEHOLDS, plain), len(plain)) == plain

    nonce = os.urandom(crypto.NONCE)
    trailing = nonce + sealer._aead.encrypt(nonce, zlib.compress(plain) + b"them", crypto._aad("goi", HOUSEHOLDS))
    with pytest.raises(PackageRefused) as refused:
        opener.open("goi", HOUSEHOLDS, trailing, len(plain))
    assert refused.value.code == "zip_bomb"
