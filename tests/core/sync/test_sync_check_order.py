"""The order of checks on an incoming package: the signed manifest alone (small,
size-capped) before any payload is read; the sender decided from the keys an
administrator registered; every member's size and compression ratio capped
before it is inflated; then decryption and the records. Each refusal leaves the
upper office's database byte-for-byte as it was."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.package import MAX_MANIFEST, open_manifest, open_package, read_records
from gocong_desktop.core.sync.zipsafe import Limits
from tests.core.sync.conftest import dump, fingerprint_of
from tests.core.sync.forge import forge, members, signing_key, write_zip

HOUSEHOLDS = "data/household.jsonl"
BOMB = 64 * 1024 * 1024  # zeros: deflate to about 64 KB, a ratio near 1,000


@pytest.fixture
def package(seeded, usb: Path) -> Path:
    return export_package(seeded.db, usb).path


@pytest.fixture
def bomb(seeded, package: Path, tmp_path: Path) -> Path:
    """Signed by the commune, its household payload 64 MB of zeros (declared honestly)."""
    return forge(package, tmp_path / "bom.gcsync", signing_key(seeded.db), payload={HOUSEHOLDS: lambda _d: bytes(BOMB)})


def _refusal_and_peak(upper, path: Path, trust=()) -> tuple[PackageRefused, int]:
    """(the refusal, the peak of memory Python allocated meanwhile)."""
    before = dump(upper)
    tracemalloc.start()
    try:
        with pytest.raises(PackageRefused) as caught:
            import_package(upper, path, trust=trust)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert dump(upper) == before
    return caught.value, peak


def test_an_unknown_senders_bomb_is_refused_having_read_only_its_manifest(upper, bomb: Path) -> None:
    refusal, peak = _refusal_and_peak(upper, bomb)
    assert refusal.code == "unknown_sender", refusal.message
    assert peak < 8 * 1024 * 1024  # the 64 MB payload was never inflated


def test_a_trusted_senders_bomb_is_refused_by_its_ratio_before_inflating(upper, package: Path, bomb: Path) -> None:
    refusal, peak = _refusal_and_peak(upper, bomb, trust=[fingerprint_of(package)])
    assert refusal.code == "zip_bomb" and "tỉ lệ nén" in refusal.message and HOUSEHOLDS in refusal.message
    assert peak < 8 * 1024 * 1024


def test_an_unknown_senders_damaged_payload_is_not_even_read(upper, package: Path, tmp_path: Path) -> None:
    """A payload byte changed: a registered sender's package says so (hash), an
    unknown sender's is refused as unknown, its payload never opened."""
    parts = members(package)
    parts[HOUSEHOLDS] = parts[HOUSEHOLDS].replace("Lê Thị Hoa".encode(), "Lê Thị Hoe".encode())
    changed = write_zip(tmp_path / "sua.gcsync", parts)
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, changed)
    assert caught.value.code == "unknown_sender" and dump(upper) == before
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, changed, trust=[fingerprint_of(package)])
    assert caught.value.code == "hash_mismatch"


def test_a_manifest_over_its_cap_is_refused(seeded, upper, package: Path, tmp_path: Path) -> None:
    def pad(doc: dict) -> None:
        doc["ghi_chu"] = "x" * MAX_MANIFEST
    forged = forge(package, tmp_path / "to.gcsync", signing_key(seeded.db), manifest=pad)
    refusal, _peak = _refusal_and_peak(upper, forged, trust=[fingerprint_of(package)])
    assert refusal.code == "zip_bomb" and "manifest.json" in refusal.message and "256 KB" in refusal.message
    assert MAX_MANIFEST == 256 * 1024


def test_member_size_and_total_caps_apply_before_reading_payloads(package: Path) -> None:
    small = Limits(max_member_size=1024)
    opened = open_manifest(package, limits=small)  # the manifest has its own cap
    assert opened.manifest.files and not opened.payloads_read
    with pytest.raises(PackageRefused, match="quá lớn") as caught:
        read_records(opened, None)
    assert caught.value.code == "zip_bomb"
    with pytest.raises(PackageRefused, match="tổng dung lượng") as caught:
        open_package(package, limits=Limits(max_total_size=4096))
    assert caught.value.code == "zip_bomb"


def test_records_are_read_after_the_manifest_alone(package: Path) -> None:
    opened = open_manifest(package)
    records = read_records(opened, None)  # the payloads are read now, on demand
    assert opened.payloads_read and len(records["household"]) == 7
    assert opened.file_sha256 == open_package(package).file_sha256

