"""Import at the upper office: the dry run, versions, conflicts kept for review,
sequence gaps, no copy of the database, and each commune's records staying its own and read-only."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import Household
from gocong_desktop.core.services import households, office
from gocong_desktop.core.services.privacy import set_sync_personal_fields
from gocong_desktop.core.storage.backup import all_backups
from gocong_desktop.core.sync import (export_package, import_package, import_packages,
                                      list_conflicts, list_imports, resolve_conflict)
from gocong_desktop.core.sync.errors import ReadOnlyRecord
from gocong_desktop.core.db.ownership import ensure_editable
from tests.core.sync.conftest import file_problems, dump, edit_household, fingerprint_of, send, unit_of, view
from tests.conftest import copy_database




def test_dry_run_previews_per_kind_and_writes_nothing(seeded, upper, usb: Path) -> None:
    first = export_package(seeded.db, usb).path
    fp = fingerprint_of(first)
    before = dump(upper)
    preview = import_package(upper, first, trust=[fp], dry_run=True)
    assert preview.status == "dry_run" and dump(upper) == before
    assert preview.changes["household"].new == 7 and preview.changes["self_managed_group"].new == 3
    assert import_package(upper, first, trust=[fp]).changes["household"].as_dict() == \
        preview.changes["household"].as_dict()
    edit_household(seeded.db, seeded.households["Lê Thị Hoa"], members=9)
    with seeded.db.session() as s:
        households.delete_household(s, seeded.households["Võ Thị Ánh"])
    full = export_package(seeded.db, usb, full=True).path
    before = dump(upper)
    counts = import_package(upper, full, dry_run=True).changes["household"]
    assert (counts.new, counts.updated, counts.deleted, counts.unchanged, counts.conflicts) == (0, 1, 1, 5, 0)
    assert dump(upper) == before


def test_records_keep_their_owner_and_are_read_only_upstairs(seeded, upper, usb: Path) -> None:
    send(seeded.db, upper, usb)
    commune = unit_of(seeded.db)
    with upper.session() as s:
        rows = s.exec(select(Household)).all()
        assert {h.owner_unit_id for h in rows} == {commune}
        with pytest.raises(ReadOnlyRecord, match="xã Bình Tân.*chỉ được xem"):
            ensure_editable(s, rows[0])
        own_unit = office.get_office(s).unit_id
    # Every Database session carries the guard (no install needed), and services hit it.
    before = dump(upper)
    with pytest.raises(ReadOnlyRecord):
        edit_household(upper, rows[0].id, head_name="Tên Bị Sửa")
    assert dump(upper) == before
    with pytest.raises(ReadOnlyRecord):
        with upper.session() as s:
            s.get(Household, rows[0].id).head_name = "Tên Bị Sửa"
    assert dump(upper) == before
    with upper.session() as s:  # the upper office's own records stay editable
        from gocong_desktop.core.db.models import AdminUnit

        s.get(AdminUnit, own_unit).code = "PV05"


def test_higher_version_replaces_lower_is_ignored(seeded, upper, usb: Path) -> None:
    old = export_package(seeded.db, usb, full=True).path
    edit_household(seeded.db, seeded.households["Lê Thị Hoa"], address="Số 9")
    new = export_package(seeded.db, usb, full=True).path
    fp = fingerprint_of(old)
    assert import_package(upper, new, trust=[fp]).changes["household"].new == 7
    older = import_package(upper, old).changes["household"]
    assert (older.updated, older.unchanged) == (0, 7)
    with upper.session() as s:
        assert s.get(Household, seeded.households["Lê Thị Hoa"]).address == "Số 9"


def test_same_version_other_content_is_a_conflict_kept_for_review(seeded, upper, usb: Path) -> None:
    hoa = seeded.households["Lê Thị Hoa"]
    send(seeded.db, upper, usb)
    # The commune restores an old backup and the same record is edited differently:
    # same version number, other content. Simulated by changing the row behind the app's back.
    con = sqlite3.connect(seeded.db.path)
    con.execute("UPDATE household SET address = 'Khôi phục từ bản sao lưu' WHERE id = ?", (hoa,))
    con.commit()
    con.close()
    again = export_package(seeded.db, usb, full=True).path
    result = import_package(upper, again)
    assert result.changes["household"].conflicts == 1 and result.conflicts == 1
    with upper.session() as s:
        assert s.get(Household, hoa).address == "11 đường liên ấp"  # nothing overwritten
        (conflict,) = list_conflicts(s)
    assert conflict.record_id == hoa and conflict.unit_name == "xã Bình Tân"
    assert conflict.differences == ["address"] and conflict.incoming["address"] == "Khôi phục từ bản sao lưu"
    third = export_package(seeded.db, usb, full=True).path  # the same conflict again: kept once
    assert import_package(upper, third).conflicts == 1
    with upper.session() as s:
        assert len(list_conflicts(s)) == 1
        resolve_conflict(s, conflict.id, keep="incoming", actor="cán bộ PV05")
    with upper.session() as s:
        assert s.get(Household, hoa).address == "Khôi phục từ bản sao lưu"
        assert list_conflicts(s) == [] and len(list_conflicts(s, include_resolved=True)) == 1
    assert view(upper, unit_of(seeded.db)) == view(seeded.db.path, unit_of(seeded.db))


def test_sequence_gap_is_reported(seeded, upper, usb: Path) -> None:
    paths = []
    for n in range(3):
        edit_household(seeded.db, seeded.households["Lê Thị Hoa"], members=n + 2)
        paths.append(export_package(seeded.db, usb).path)
    fp = fingerprint_of(paths[0])
    import_package(upper, paths[0], trust=[fp])
    third = import_package(upper, paths[2])
    assert third.missing == [2] and "thiếu gói số 2 của xã Bình Tân" in third.warnings
    assert any("thiếu gói số 2 của xã Bình Tân" in line for line in third.lines())
    second = import_package(upper, paths[1])
    assert second.missing == [] and second.warnings == []
    with upper.session() as s:
        rows = sorted(list_imports(s), key=lambda r: r.sequence)
    assert [r.sequence for r in rows] == [1, 2, 3] and rows[2].warnings == ["thiếu gói số 2 của xã Bình Tân"]
    assert rows[0].sender_name == "xã Bình Tân" and rows[0].changes["household"]["new"] == 7


def test_a_full_package_closes_older_gaps(seeded, upper, usb: Path) -> None:
    first = export_package(seeded.db, usb).path
    export_package(seeded.db, usb)  # 2: lost on the way
    full = export_package(seeded.db, usb, full=True).path  # 3 carries everything
    import_package(upper, first, trust=[fingerprint_of(first)])
    assert import_package(upper, full).missing == []


def test_broken_chain_is_reported(seeded, upper, usb: Path, tmp_path: Path) -> None:
    """The commune restored a backup made before package 2 and carried on."""
    first = export_package(seeded.db, usb).path
    src, dst = sqlite3.connect(seeded.db.path), sqlite3.connect(tmp_path / "backup.db")
    src.backup(dst)  # as the app's backups are made
    src.close()
    dst.close()
    second = export_package(seeded.db, usb).path
    import_packages(upper, [first, second], trust=[fingerprint_of(first)])
    seeded.db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{seeded.db.path}{suffix}").unlink(missing_ok=True)
    copy_database(tmp_path / "backup.db", seeded.db.path)
    from gocong_desktop.core.db.engine import open_database

    restored = open_database(seeded.db.path)
    try:
        again = export_package(restored, tmp_path).path  # a second "package 2"
        third = export_package(restored, tmp_path).path
        result = import_package(upper, again)
        assert result.status == "imported" and any("đã nhận một gói số 2 khác" in w for w in result.warnings)
        assert import_package(upper, third).status == "imported"
        assert view(upper, unit_of(restored)) == view(restored.path, unit_of(restored))
    finally:
        restored.close()


@pytest.mark.upper_sqlite
def test_import_makes_no_copy_of_the_database(seeded, upper, usb: Path) -> None:
    """Issue 16: the way back is the import journal (test_sync_undo.py), not a
    copy of the whole file before each package."""
    assert send(seeded.db, upper, usb)[1].status == "imported"
    assert [p.name for p in upper.path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))] == ["tinh.db"]
    assert all_backups(upper) == []


def test_already_imported_changes_nothing(seeded, upper, usb: Path) -> None:
    summary, _result = send(seeded.db, upper, usb)
    before = dump(upper)
    again = import_package(upper, summary.path)
    assert again.status == "already_imported" and dump(upper) == before


def test_audit_entries_sent_again_are_kept_as_held_not_conflicts(seeded, upper, usb: Path) -> None:
    """A full package sends entries the upper office holds already, maybe with other
    fields withheld (the setting changed since): what is held stays, no conflict.
    (Entries used to arrive unsealed and be filled in later: unsealed ones are now refused.)"""
    hoa = seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        data = households.household_input(s, hoa)
        data.head_name = "Lê Thị Hoa Mai"
        households.update_household(s, hoa, data)
    send(seeded.db, upper, usb)
    with seeded.db.session() as s:
        set_sync_personal_fields(s, set())
    _, result = send(seeded.db, upper, usb, full=True)
    assert result.status == "imported" and result.conflicts == 0
    assert result.changes["audit_log"].unchanged > 0 and result.changes["audit_log"].new == 0
    upper.close()
    assert file_problems(upper) == []
