"""Who sent a package is decided by the key an administrator registered (or a
writer confirmed by its fingerprint), never by the names written in the file: a
package signed with a commune's registered key but naming another unit is
refused, and a sender not registered yet is named as the file claims, said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocong_desktop.core.sync import export_package, import_package, write_key_card
from gocong_desktop.core.sync.errors import PackageRefused, UnknownSender
from gocong_desktop.core.sync.ledger import list_imports
from gocong_desktop.core.sync.package import open_manifest
from gocong_desktop.core.sync.peers import describe, import_key_card
from gocong_desktop.core.sync.undo import UndoRefused, undo_import
from tests.core.sync.conftest import dump, fingerprint_of
from tests.core.sync.forge import forge, signing_key


def _naming(seeded, package: Path, dst: Path, **claims) -> Path:
    """``package`` re-signed by the commune's own registered key, its sender renamed."""
    return forge(package, dst, signing_key(seeded.db), manifest=lambda doc: doc["sender"].update(claims))


@pytest.mark.parametrize("registered_by", ["key_card", "first_package"])
def test_a_package_naming_another_unit_than_its_key_is_refused(seeded, upper, usb: Path, tmp_path: Path,
                                                               registered_by: str) -> None:
    first = export_package(seeded.db, usb).path
    if registered_by == "key_card":
        with seeded.db.session() as s:
            card = write_key_card(s, tmp_path)
        with upper.session() as s:
            import_key_card(s, card)
    else:
        import_package(upper, first, trust=[fingerprint_of(first)])
    package = first if registered_by == "key_card" else export_package(seeded.db, usb).path
    spoofed = _naming(seeded, package, tmp_path / "binhnhi-28516-000001.gcsync", unit_name="Bình Nhì",
                      unit_code="28516")
    before = dump(upper)
    for dry_run in (True, False):
        with pytest.raises(PackageRefused) as caught:
            import_package(upper, spoofed, dry_run=dry_run)
        message = caught.value.message
        assert caught.value.code == "sender_mismatch", message
        assert "khóa đã đăng ký của xã Bình Tân" in message and "xã Bình Nhì, mã 28516" in message, message
        assert "xuất lại gói" in message and "chưa bị thay đổi" in message
    assert dump(upper) == before
    with upper.session() as s:
        assert {row.sender_name for row in list_imports(s)} <= {"xã Bình Tân"}
    assert import_package(upper, package).status == "imported"  # the genuine one still is


def test_a_first_contacts_name_is_shown_as_a_claim(seeded, upper, usb: Path) -> None:
    package = export_package(seeded.db, usb).path
    fp, claimed = fingerprint_of(package), describe(open_manifest(package).manifest.sender)
    assert claimed.startswith("xã Bình Tân, mã ")
    with pytest.raises(UnknownSender) as caught:
        import_package(upper, package)
    assert "tự ghi là của xã Bình Tân" in caught.value.message and "chưa kiểm chứng" in caught.value.message
    assert caught.value.sender_name == claimed
    preview = import_package(upper, package, trust=[fp], dry_run=True)
    assert preview.warnings[0].startswith(f"{claimed} chưa đăng ký khóa ở đây: tên này do gói tự khai")
    assert fp in preview.warnings[0]
    imported = import_package(upper, package, trust=[fp])
    assert not any("tự khai" in w for w in imported.warnings)  # registered now: no longer a claim


def test_an_import_stored_with_another_units_name_is_shown_by_its_registered_one(seeded, upper, usb: Path,
                                                                                 tmp_path: Path) -> None:
    """An import row written before packages had to name their registered unit keeps the
    name its package claimed: the Sync page and the undo messages name the registered one."""
    with seeded.db.session() as s:
        card = write_key_card(s, tmp_path)
    with upper.session() as s:
        import_key_card(s, card)  # stays registered when the import is undone
    package = export_package(seeded.db, usb).path
    import_package(upper, package)
    with upper.engine.begin() as conn:  # as a spoofing package left it before the check
        conn.exec_driver_sql("UPDATE sync_package SET sender_unit_name = 'Bình Nhì' WHERE direction = 'import'")
    with upper.session() as s:
        assert [row.sender_name for row in list_imports(s)] == ["xã Bình Tân"]
    result = undo_import(upper, open_manifest(package).manifest.package_uuid)
    assert result.sender_name == "xã Bình Tân" and "Bình Nhì" not in result.message
    with pytest.raises(UndoRefused) as caught:
        undo_import(upper, open_manifest(package).manifest.package_uuid)
    assert "xã Bình Tân" in caught.value.message and "Bình Nhì" not in caught.value.message
