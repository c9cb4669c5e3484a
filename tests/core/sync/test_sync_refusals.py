"""Every way a package is refused: a clear Vietnamese message naming the cause,
and the upper office's database byte-for-byte as it was (an SQL dump compared)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import Household
from gocong_desktop.core.sync import export_package, import_package, import_packages
from gocong_desktop.core.sync.crypto import fingerprint, public_b64
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.peers import import_key_card
from gocong_desktop.core.sync.keys import write_key_card
from tests.core.sync.conftest import dump, fingerprint_of
from tests.core.sync.forge import deflate, edit_lines, forge, members, raw_zip, signing_key, write_zip
from tests.conftest import copy_database

HOUSEHOLDS = "data/household.jsonl"


@pytest.fixture
def package(seeded, usb: Path) -> Path:
    return export_package(seeded.db, usb).path


@pytest.fixture
def fp(package: Path) -> str:
    return fingerprint_of(package)


def refused(upper, path: Path, code: str | tuple, *fragments: str, trust=(), dry_run: bool = False) -> str:
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, path, trust=trust, dry_run=dry_run)
    message = str(caught.value)
    assert caught.value.code in ((code,) if isinstance(code, str) else code), message
    for fragment in fragments:
        assert fragment in message
    assert dump(upper) == before
    return message


def test_the_good_package_is_imported(upper, package: Path, fp: str) -> None:
    assert import_package(upper, package, trust=[fp]).status == "imported"


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_not_a_zip(upper, tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.gcsync"
    path.write_text("Biên bản họp tổ 5", encoding="utf-8")
    refused(upper, path, "not_zip", "không phải gói đồng bộ")
    empty = tmp_path / "rong.gcsync"
    empty.write_bytes(b"")
    refused(upper, empty, "not_zip")


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_truncated(upper, package: Path, tmp_path: Path, fp: str) -> None:
    cut = tmp_path / "cut.gcsync"
    data = package.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    refused(upper, cut, "damaged", "cắt cụt", trust=[fp])
    cut.write_bytes(data[:-30])  # only the end of the central directory lost
    refused(upper, cut, "damaged", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_payload_byte_changed(upper, package: Path, tmp_path: Path, fp: str) -> None:
    parts = members(package)
    parts[HOUSEHOLDS] = parts[HOUSEHOLDS].replace("Lê Thị Hoa".encode(), "Lê Thị Hoe".encode())
    refused(upper, write_zip(tmp_path / "sua.gcsync", parts), "hash_mismatch", HOUSEHOLDS, "SHA-256", trust=[fp])
    with zipfile.ZipFile(package) as zf:
        info = zf.getinfo(HOUSEHOLDS)
    start = info.header_offset + 30 + len(HOUSEHOLDS.encode()) + len(info.extra)
    # The first byte (block header), the middle, and near the end. (The last byte's
    # padding bits after the end-of-block code change nothing that is read.)
    for where in (start, start + info.compress_size // 2, start + info.compress_size - 3):
        flipped = bytearray(package.read_bytes())
        flipped[where] ^= 0x01  # a raw byte inside the compressed data
        (tmp_path / "lat.gcsync").write_bytes(bytes(flipped))
        refused(upper, tmp_path / "lat.gcsync", ("damaged", "zip_bomb"), trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_manifest_changed(upper, package: Path, tmp_path: Path, fp: str) -> None:
    parts = members(package)
    doc = json.loads(parts["manifest.json"])
    doc["sequence"] = 7
    parts["manifest.json"] = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode()
    refused(upper, write_zip(tmp_path / "m.gcsync", parts), "bad_signature", "Chữ ký", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_signature_from_another_key(upper, package: Path, tmp_path: Path, fp: str) -> None:
    other = Ed25519PrivateKey.generate()
    refused(upper, forge(package, tmp_path / "k.gcsync", other), "bad_signature", "khóa khác", trust=[fp])


def test_unknown_sender_must_be_confirmed(upper, package: Path, fp: str) -> None:
    message = refused(upper, package, "unknown_sender", "xã Bình Tân", fp, "--trust-sender")
    refused(upper, package, "unknown_sender", "không khớp", trust=["0000 1111 2222 3333 4444 5555 6666 7777"])
    refused(upper, package, "unknown_sender", dry_run=True)
    assert "Bình Tân" in message
    result = import_package(upper, package, trust=[fp.lower().replace(" ", "")])  # typed as people do
    assert result.status == "imported"


def test_known_sender_with_another_key(seeded, upper, package: Path, tmp_path: Path, fp: str, usb: Path) -> None:
    import_package(upper, package, trust=[fp])
    second = export_package(seeded.db, usb).path
    new_key = Ed25519PrivateKey.generate()

    def new_identity(doc: dict) -> None:
        doc["sender"].update(signing_key=public_b64(new_key), fingerprint=fingerprint(public_b64(new_key)))
    forged = forge(second, tmp_path / "new-key.gcsync", new_key, manifest=new_identity)
    refused(upper, forged, "key_changed", "khóa khác", fp, trust=[fingerprint_of(forged)])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
@pytest.mark.parametrize("name", ["../../Windows/evil.jsonl", "/etc/passwd", "data/../../x.jsonl",
                                  "C:/boot.ini", "data\\..\\x.jsonl"])
def test_member_names_that_escape(upper, package: Path, tmp_path: Path, name: str) -> None:
    entries = [{"name": n, "data": d} for n, d in members(package).items()] + [{"name": name, "data": b"x"}]
    refused(upper, raw_zip(tmp_path / "esc.gcsync", entries), "unsafe_name", "không an toàn")


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_zip_bomb_member_inflating_beyond_its_declared_size(upper, tmp_path: Path) -> None:
    huge = b"\0" * (20 * 1024 * 1024)
    path = raw_zip(tmp_path / "bomb.gcsync", [{"name": "manifest.json", "data": deflate(huge), "method": 8,
                                               "plain": b"{}", "size": 2}])
    refused(upper, path, "zip_bomb", "bom nén")


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_zip_bomb_declared_size_beyond_limits(upper, tmp_path: Path) -> None:
    path = raw_zip(tmp_path / "big.gcsync", [{"name": "manifest.json", "data": deflate(b"{}"), "method": 8,
                                              "plain": b"{}", "size": 3 * 1024 ** 3}])
    refused(upper, path, "zip_bomb", "quá lớn")


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_zip_bomb_overlapping_entries(upper, tmp_path: Path) -> None:
    """Fifield's overlapping bomb: the second entry's header lies inside the first's data."""
    inner_name = b"data/household.jsonl"
    inner = raw_zip(tmp_path / "inner.zip", [{"name": inner_name.decode(), "data": b"{}\n"}]).read_bytes()
    local = inner[: 30 + len(inner_name) + 3]
    path = raw_zip(tmp_path / "overlap.gcsync", [
        {"name": "manifest.json", "data": local},
        {"name": inner_name.decode(), "data": b"{}\n", "no_local": True, "offset": 30 + len("manifest.json")}])
    refused(upper, path, "zip_bomb", "chồng lên nhau")


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_duplicate_members(upper, package: Path, tmp_path: Path) -> None:
    parts = members(package)
    entries = [{"name": n, "data": d} for n, d in parts.items()] + [{"name": HOUSEHOLDS, "data": b""}]
    refused(upper, raw_zip(tmp_path / "dup.gcsync", entries), "duplicate_member", "hai lần")


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_unexpected_member(upper, package: Path, tmp_path: Path, fp: str) -> None:
    parts = members(package)
    parts["data/notes.txt"] = b"hello"
    refused(upper, write_zip(tmp_path / "extra.gcsync", parts), "unexpected_member", "notes.txt", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
@pytest.mark.parametrize("version", [0, "1", None, 1.0])
def test_wrong_format_version(seeded, upper, package: Path, tmp_path: Path, fp: str, version) -> None:
    def edit(doc: dict) -> None:
        doc["format_version"] = version
    forged = forge(package, tmp_path / "v.gcsync", signing_key(seeded.db), manifest=edit)
    refused(upper, forged, "format_version", "phiên bản định dạng", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_not_our_format(seeded, upper, package: Path, tmp_path: Path, fp: str) -> None:
    def edit(doc: dict) -> None:
        doc["format"] = "odk-briefcase"
    forged = forge(package, tmp_path / "f.gcsync", signing_key(seeded.db), manifest=edit)
    refused(upper, forged, "format", "không phải gói đồng bộ", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_newer_format_says_update(seeded, upper, package: Path, tmp_path: Path, fp: str) -> None:
    def edit(doc: dict) -> None:
        doc.update(format_version=4, min_reader_version=3)
    forged = forge(package, tmp_path / "n.gcsync", signing_key(seeded.db), manifest=edit)
    refused(upper, forged, "newer_format", "mới hơn", "cập nhật", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_newer_reader_compatible_format_is_read(seeded, upper, package: Path, tmp_path: Path, fp: str) -> None:
    """A format 2 package that says version-1 readers may read it is imported."""
    def edit(doc: dict) -> None:
        doc.update(format_version=2, min_reader_version=1)
    forged = forge(package, tmp_path / "n.gcsync", signing_key(seeded.db), manifest=edit)
    assert import_package(upper, forged, trust=[fp]).status == "imported"


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_unknown_kind_says_update(seeded, upper, package: Path, tmp_path: Path, fp: str) -> None:
    def edit(doc: dict) -> None:
        doc["files"][0].update(name="data/drone_patrol.jsonl", kind="drone_patrol")
        doc["counts"] = {f["kind"]: f["records"] for f in doc["files"]}
    parts = members(package)
    first = json.loads(parts["manifest.json"])["files"][0]["name"]
    forged = forge(package, tmp_path / "u.gcsync", signing_key(seeded.db), manifest=edit)
    parts = members(forged)
    parts["data/drone_patrol.jsonl"] = parts.pop(first)
    raw = parts["manifest.json"]
    parts["manifest.sig"] = signing_key(seeded.db).sign(raw)
    refused(upper, write_zip(tmp_path / "u2.gcsync", parts), "newer_format", "drone_patrol", "cập nhật", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
def test_invalid_json_record(seeded, upper, package: Path, tmp_path: Path, fp: str) -> None:
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[2] = lines[2][:-5]
        return b"\n".join(lines)
    forged = forge(package, tmp_path / "j.gcsync", signing_key(seeded.db), payload={HOUSEHOLDS: edit})
    refused(upper, forged, "invalid_record", "dòng 3", HOUSEHOLDS, "JSON", "không nhập bản ghi nào", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
@pytest.mark.parametrize("field,value,why", [
    ("head_name", None, "thiếu giá trị «head_name»"),
    ("members", "ba", "«members»"),
    ("moved_out_date", "2025-02-30", "«moved_out_date»"),
    ("created_at", "hôm qua", "«created_at»"),
    ("owner_unit_id", "5eceda0c-69ff-45ab-b901-bd2e429f6c77", "không thuộc đơn vị gửi"),
    ("smuggled", "x", "«smuggled»"),
])
def test_record_failing_validation_refuses_the_whole_package(seeded, upper, package: Path, tmp_path: Path,
                                                            fp: str, field: str, value, why: str) -> None:
    target = seeded.households["Trần Minh Tâm"]

    def edit(rows: list[dict]) -> None:
        row = next(r for r in rows if r["id"] == target)
        row["content"][field] = value
    forged = forge(package, tmp_path / "r.gcsync", signing_key(seeded.db), payload={HOUSEHOLDS: edit_lines(edit)})
    refused(upper, forged, "invalid_record", f"mã {target}", why, "hộ gia đình", trust=[fp])


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
@pytest.mark.parametrize("edit,why", [
    (lambda rows: rows[0].update(version=0), ["dòng 1", "phiên bản"]),
    (lambda rows: rows[0].update(id="ho-so-1"), ["dòng 1", "UUID"]),
    (lambda rows: rows[1].update(id=rows[2]["id"]), ["dòng 3", "trùng mã"]),
    (lambda rows: rows[0].update(deleted="no"), ["dòng 1", "«deleted»"]),
    (lambda rows: rows[0].pop("content"), ["dòng 1", "sai cấu trúc"]),
])
def test_envelope_failing_validation(seeded, upper, package: Path, tmp_path: Path, fp: str, edit, why) -> None:
    forged = forge(package, tmp_path / "e.gcsync", signing_key(seeded.db), payload={HOUSEHOLDS: edit_lines(edit)})
    refused(upper, forged, "invalid_record", *why, trust=[fp])


def test_record_of_another_commune_is_not_overwritten(seeded, upper, package: Path, tmp_path: Path,
                                                     fp: str, demo_communes, usb: Path) -> None:
    """A package may not replace a record the upper office holds for another unit."""
    other = demo_communes(1)[0]
    theirs = export_package(other.db, usb / "").path
    import_package(upper, theirs, trust=[fingerprint_of(theirs)])
    with other.db.session() as s:
        victim = s.exec(select(Household.id)).first()
    target = seeded.households["Trần Minh Tâm"]

    def edit(rows: list[dict]) -> None:
        next(r for r in rows if r["id"] == target)["id"] = victim
    forged = forge(package, tmp_path / "o.gcsync", signing_key(seeded.db), payload={HOUSEHOLDS: edit_lines(edit)})
    refused(upper, forged, "invalid_record", victim, "thuộc đơn vị khác", trust=[fp])


def test_encrypted_for_another_office(seeded, upper, tmp_path: Path, _upper_file: Path, usb: Path) -> None:
    stranger_path = tmp_path / "khac" / "tinh.db"
    stranger_path.parent.mkdir()
    copy_database(_upper_file, stranger_path)
    stranger = open_database(stranger_path)  # same set-up, its own keys
    with stranger.session() as s:
        card = write_key_card(s, tmp_path)
    stranger.close()
    with seeded.db.session() as s:
        import_key_card(s, card)
    path = export_package(seeded.db, usb).path
    refused(upper, path, "wrong_recipient", "mã hóa cho cơ quan khác", trust=[fingerprint_of(path)])


def test_same_package_id_with_other_content(seeded, upper, package: Path, tmp_path: Path, fp: str) -> None:
    import_package(upper, package, trust=[fp])

    def edit(doc: dict) -> None:
        doc["created_at"] = "2026-01-01T00:00:00.000000Z"
    forged = forge(package, tmp_path / "same-id.gcsync", signing_key(seeded.db), manifest=edit)
    refused(upper, forged, "uuid_reused", "cùng mã")


def test_commune_cannot_import_packages(seeded, package: Path, fp: str) -> None:
    refused(seeded.db, package, "not_upper", "cấp trên", trust=[fp])


def test_batch_reports_one_line_per_refused_file_and_goes_on(upper, package: Path, tmp_path: Path,
                                                             fp: str) -> None:
    bad = tmp_path / "hong.gcsync"
    bad.write_bytes(b"PK\x03\x04 not really")
    results = import_packages(upper, [bad, package], trust=[fp])
    assert [r.status for r in results] == ["refused", "imported"]
    assert "\n" not in results[0].message and results[0].error_code == "damaged"


@pytest.mark.upper_sqlite  # refused from the file alone, before the database is read
@pytest.mark.parametrize("field", ["package_uuid", "previous_hash"])
def test_an_identifier_with_a_trailing_newline_is_refused(seeded, upper, package: Path, tmp_path: Path, fp: str,
                                                           field: str) -> None:
    """``$`` in a pattern also matches before a final newline: identifiers are matched whole."""
    def edit(doc: dict) -> None:
        doc[field] = (doc.get(field) or "ab" * 32) + "\n"
    forged = forge(package, tmp_path / "n.gcsync", signing_key(seeded.db), manifest=edit)
    refused(upper, forged, "manifest", "manifest", trust=[fp])
