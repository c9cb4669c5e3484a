"""Batches where each file stands alone: a file damaged in a way the zip reader
does not expect (a negative seek, an offset too large for the OS, an unknown zip
version, a malformed date) is refused with a Vietnamese message naming it — never
the generic unexpected-error message — and the files around it are imported."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from gocong_desktop.core.services import households
from gocong_desktop.core.sync import export_package, import_package, import_packages
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.importer import batch_summary
from tests.core.sync.conftest import dump, edit_household, fingerprint_of
from tests.core.sync.forge import forge, members, raw_zip, signing_key


def negative_seek(src: Path, dst: Path, _key) -> Path:
    """The end record places the directory 40 bytes later than it is: the first
    member's header offset becomes -40."""
    data = bytearray(src.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<L", data, end + 16, struct.unpack_from("<L", data, end + 16)[0] + 40)
    dst.write_bytes(bytes(data))
    return dst


def huge_offset(src: Path, dst: Path, _key) -> Path:
    """A zip64 extra field puts the first member at byte 2^63."""
    entries = [{"name": n, "data": d} for n, d in members(src).items()]
    entries[0].update(offset=0xFFFFFFFF, cd_extra=struct.pack("<HHQ", 1, 8, 2 ** 63))
    return raw_zip(dst, entries)


def unknown_zip_version(src: Path, dst: Path, _key) -> Path:
    entries = [{"name": n, "data": d} for n, d in members(src).items()]
    entries[0]["needed"] = 99
    return raw_zip(dst, entries)


def malformed_date(src: Path, dst: Path, key) -> Path:
    """Signed by the sender; the creation time has an offset of 25 hours."""
    return forge(src, dst, key, manifest=lambda doc: doc.update(created_at="2026-01-01T00:00:00.000000+25:00"))


DAMAGES = [negative_seek, huge_offset, unknown_zip_version, malformed_date]




@pytest.fixture
def second_and_third(seeded, upper, usb: Path) -> tuple[Path, Path, str]:
    """Package 1 imported; packages 2 and 3 (an edit each) waiting: (P2, P3, fingerprint)."""
    first = export_package(seeded.db, usb).path
    fp = fingerprint_of(first)
    import_package(upper, first, trust=[fp])
    target = seeded.households["Lê Thị Hoa"]
    edit_household(seeded.db, target, members=8)
    p2 = export_package(seeded.db, usb).path
    edit_household(seeded.db, target, members=9)
    return p2, export_package(seeded.db, usb).path, fp


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_a_damaged_file_is_refused_with_a_reason(seeded, upper, second_and_third, tmp_path: Path, damage) -> None:
    p2, _p3, fp = second_and_third
    broken = damage(p2, tmp_path / "hỏng.gcsync", signing_key(seeded.db))
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, broken, trust=[fp])
    message = caught.value.message
    assert caught.value.code in ("damaged", "manifest"), message
    assert "hỏng.gcsync" in message and "\n" not in message and "ngoài dự kiến" not in message
    assert dump(upper) == before


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_a_damaged_file_in_a_batch_stands_alone(seeded, upper, second_and_third, tmp_path: Path, damage) -> None:
    p2, p3, _fp = second_and_third
    broken = damage(p3, tmp_path / "hỏng.gcsync", signing_key(seeded.db))
    results = {r.path: r for r in import_packages(upper, [p2, broken, p3])}
    assert results[p2].status == "imported" and results[p3].status == "imported"
    assert results[broken].status == "refused" and results[broken].error_code in ("damaged", "manifest")
    with upper.session() as s:
        assert households.household_input(s, seeded.households["Lê Thị Hoa"]).members == 9


def test_the_summary_names_imported_and_refused_files(seeded, upper, second_and_third, tmp_path: Path) -> None:
    p2, p3, _fp = second_and_third
    broken = negative_seek(p3, tmp_path / "hỏng.gcsync", None)
    results = import_packages(upper, [p2, broken, p3])
    again = import_packages(upper, [p2])
    summary = batch_summary(results)
    assert "\n" not in summary
    assert f"đã nhập 2 tệp ({p2.name}, {p3.name})" in summary and "từ chối 1 tệp (hỏng.gcsync)" in summary
    assert batch_summary(again) == f"Kết quả: đã nhập trước đây 1 tệp ({p2.name})."


def test_an_unexpected_error_refuses_that_file_only(seeded, upper, second_and_third, monkeypatch, caplog) -> None:
    """A bug met while importing one file (simulated in the planner) is logged with its
    traceback; that file is refused, its changes rolled back, and the batch goes on."""
    from gocong_desktop.core.sync import importer

    p2, p3, _fp = second_and_third
    real = importer.plan_import

    def fails_on_package_2(conn, manifest, *args, **kwargs):
        if manifest.sequence == 2:
            raise RuntimeError("lỗi lập trình giả định")
        return real(conn, manifest, *args, **kwargs)
    monkeypatch.setattr(importer, "plan_import", fails_on_package_2)
    results = {r.path: r for r in import_packages(upper, [p2, p3])}
    assert results[p2].status == "refused" and results[p2].error_code == "unexpected"
    assert "ngoài dự kiến" in results[p2].message and "nhật ký" in results[p2].message
    assert results[p3].status == "imported"
    assert "RuntimeError: lỗi lập trình giả định" in caplog.text
