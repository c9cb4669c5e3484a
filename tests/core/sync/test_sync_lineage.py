"""Edits that survive restores: a commune's records carry the incarnation they
were last changed in, and the upper office compares them through the commune's
lineage — an edit made after a restore always arrives, as an update or as a
conflict kept for review, never as "unchanged"."""

from __future__ import annotations

import json
from tests import app_sqlite as sqlite3
from pathlib import Path

import pytest

from gocong_desktop.core.storage import incarnation
from gocong_desktop.core.storage.backup import write_backup
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.services import households
from gocong_desktop.core.sync import PackageRefused, export_package, import_package, list_conflicts
from gocong_desktop.core.sync.conflicts import resolve_conflict
from tests.conftest import Seeded
from tests.core.sync.conftest import dump, edit_household, fingerprint_of, rows, unit_of, view
from tests.core.sync.forge import forge, signing_key


def rename(db: Database, household_id: str, address: str) -> None:
    edit_household(db, household_id, address=address)


def stored(db: Database | Path, household_id: str) -> tuple:
    found = rows(db, "SELECT address, version, deleted FROM household WHERE id = ?", (household_id,))
    return found[0] if found else None


def restored(db: Database, backup: Path) -> Database:
    """Close, put the backup in place (as the app and ``restore`` do), open again."""
    path = db.path
    db.close()
    restore_backup(path, backup)
    return open_database(path)


class Office:
    def __init__(self, commune: Database, upper: Database, usb: Path) -> None:
        self.commune, self.upper, self.usb, self.trust = commune, upper, usb, []

    def send(self, *, full: bool = False):
        summary = export_package(self.commune, self.usb, full=full)
        self.trust = self.trust or [fingerprint_of(summary.path)]
        return summary, import_package(self.upper, summary.path, trust=self.trust)


@pytest.fixture
def office(seeded: Seeded, upper: Database, usb: Path):
    office = Office(seeded.db, upper, usb)
    yield office
    if office.commune is not seeded.db:  # reopened after a restore
        office.commune.close()


def test_edit_after_restore_reaches_the_upper_office(seeded: Seeded, office: Office, tmp_path: Path) -> None:
    """The finding: send; edit twice (version 3); send; restore an older backup;
    edit once (version 2); send — the new value used to be counted "unchanged"."""
    home = seeded.households["Lê Thị Hoa"]
    office.send()
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")
    rename(office.commune, home, "Số 1")
    rename(office.commune, home, "Số 2")
    office.send()
    assert stored(office.upper, home)[:2] == ("Số 2", 3)

    office.commune = restored(office.commune, backup)
    rename(office.commune, home, "Số 9 sau khôi phục")
    assert stored(office.commune.path, home)[:2] == ("Số 9 sau khôi phục", 2)
    summary, result = office.send()

    assert summary.full  # after a restore the next package carries everything
    assert stored(office.upper, home)[:2] == ("Số 9 sau khôi phục", 2)
    assert result.changes["household"].unchanged < len(seeded.households)
    assert result.changes["household"].updated == 1 and result.conflicts == 1
    with office.upper.session() as s:
        (conflict,) = list_conflicts(s)
    assert conflict.reason == "lost_local" and conflict.local["address"] == "Số 2"
    assert "khôi phục" in conflict.explanation
    unit = unit_of(office.commune)
    assert view(office.upper, unit) == view(office.commune.path, unit)


def test_restore_to_a_backup_with_the_edits_is_a_plain_update(seeded: Seeded, office: Office,
                                                                 tmp_path: Path) -> None:
    home = seeded.households["Phạm Văn An"]
    rename(office.commune, home, "Số 1")
    office.send()
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")  # after the edit: nothing is lost
    office.commune = restored(office.commune, backup)
    rename(office.commune, home, "Số 3")
    _summary, result = office.send()
    assert result.conflicts == 0 and result.changes["household"].updated == 1
    assert stored(office.upper, home)[0] == "Số 3"


def test_a_late_package_from_the_lost_history_is_not_applied(seeded: Seeded, office: Office,
                                                             tmp_path: Path, usb: Path) -> None:
    home = seeded.households["Trần Minh Tâm"]
    office.send()
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")
    rename(office.commune, home, "Thay đổi sẽ mất")
    lost_package = export_package(office.commune, usb).path  # never reaches the upper office in time
    office.commune = restored(office.commune, backup)
    office.send()  # the full package after the restore arrives first
    assert stored(office.upper, home)[0] == "12 đường liên ấp"

    late = import_package(office.upper, lost_package, trust=office.trust)
    assert late.status == "imported" and late.conflicts == 1
    assert stored(office.upper, home)[0] == "12 đường liên ấp"  # what the commune has
    with office.upper.session() as s:
        (conflict,) = list_conflicts(s)
    assert conflict.reason == "lost_incoming" and conflict.incoming["address"] == "Thay đổi sẽ mất"


def test_a_record_that_exists_only_in_the_lost_history_is_retired(seeded: Seeded, office: Office,
                                                                   tmp_path: Path) -> None:
    office.send()
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")
    with office.commune.session() as s:
        lost = households.create_household(s, households.HouseholdInput(
            head_name="Hộ Sẽ Mất", hamlet_id=seeded.hamlet_a, group_id=seeded.group_a1))
    office.send()
    assert stored(office.upper, lost)[2] == 0
    office.commune = restored(office.commune, backup)
    _summary, result = office.send()
    assert stored(office.upper, lost)[2] == 1  # retired: the commune no longer has it
    assert result.changes["household"].deleted == 1
    unit = unit_of(office.commune)
    at_upper = view(office.upper, unit)
    at_upper["household"] = [row for row in at_upper["household"] if row[0] != lost]  # its tombstone
    assert at_upper == view(office.commune.path, unit)
    with office.upper.session() as s:
        (conflict,) = list_conflicts(s)
        assert conflict.reason == "lost_local" and conflict.local["head_name"] == "Hộ Sẽ Mất"
    # The reviewer may bring the lost record back at the upper office (as the commune last sent it).
    with office.upper.session() as s:
        resolve_conflict(s, conflict.id, keep="local")
    assert stored(office.upper, lost)[2] == 0


def test_a_copy_written_on_another_pc_starts_a_new_incarnation(seeded: Seeded, office: Office,
                                                                monkeypatch) -> None:
    office.send()
    monkeypatch.setenv(incarnation.MACHINE_ENV, "may-khac")
    home = seeded.households["Võ Thị Ánh"]
    rename(office.commune, home, "Sửa ở máy mới")
    with office.commune.session() as s:
        clock = incarnation.read_clock(lambda sql, p: s.connection().exec_driver_sql(sql, p))
    assert [n["reason"] for n in clock.lineage] == ["create", "machine"]
    _summary, result = office.send()
    assert result.conflicts == 0 and stored(office.upper, home)[0] == "Sửa ở máy mới"


def test_nothing_changed_sends_nothing(office: Office) -> None:
    office.send()
    summary, result = office.send()
    assert summary.records == 0, summary.counts
    assert result.status == "imported"


def test_format_1_package_is_refused_with_a_request_to_re_export(seeded: Seeded, office: Office,
                                                                 tmp_path: Path) -> None:
    path = export_package(office.commune, office.usb).path

    def old(doc: dict) -> None:
        doc.update(format_version=1, min_reader_version=1)
        doc.pop("lineage")
    forged = forge(path, tmp_path / "cu.gcsync", signing_key(seeded.db), manifest=old)
    before = dump(office.upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(office.upper, forged, trust=[fingerprint_of(path)])
    assert caught.value.code == "old_format" and "xuất lại gói" in str(caught.value)
    assert dump(office.upper) == before


def test_a_lineage_contradicting_an_earlier_one_is_refused(seeded: Seeded, office: Office, tmp_path: Path) -> None:
    office.send()
    rename(office.commune, seeded.households["Nguyễn Văn Ba"], "Số 7")
    path = export_package(office.commune, office.usb).path

    def rewrite(doc: dict) -> None:  # claim the first incarnation forked from somewhere else
        doc["lineage"].insert(0, {"id": "0b0f3a32-5e32-4c1e-9d5b-1f1a1f1a1f1a", "parent": None, "fork_seq": None,
                                  "reason": "create", "at": "2024-01-01", "replaced": None,
                                  "same_pc": False})
        doc["lineage"][1].update(parent="0b0f3a32-5e32-4c1e-9d5b-1f1a1f1a1f1a", fork_seq=3, reason="restore",
                                 replaced="0b0f3a32-5e32-4c1e-9d5b-1f1a1f1a1f1a")
    forged = forge(path, tmp_path / "gia.gcsync", signing_key(seeded.db), manifest=rewrite)
    before = dump(office.upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(office.upper, forged, trust=office.trust)
    assert caught.value.code == "lineage"
    assert dump(office.upper) == before


def test_records_stamped_outside_the_lineage_are_refused(seeded: Seeded, office: Office, tmp_path: Path) -> None:
    from tests.core.sync.forge import edit_lines
    path = export_package(office.commune, office.usb).path

    def stranger(rows: list[dict]) -> None:
        rows[0]["content"]["origin"] = "9e1d3c52-9a43-4d1e-8f4b-2c7e0a5b9d10"
    forged = forge(path, tmp_path / "la.gcsync", signing_key(seeded.db), payload={"data/household.jsonl": edit_lines(stranger)})
    before = dump(office.upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(office.upper, forged, trust=[fingerprint_of(path)])
    assert "origin" in str(caught.value)
    assert dump(office.upper) == before


def test_the_clock_survives_in_the_file(seeded: Seeded) -> None:
    con = sqlite3.connect(seeded.db.path)
    try:
        incarnation_id, seq, lineage = con.execute(
            "SELECT incarnation, change_seq, lineage_json FROM sync_clock").fetchone()
        stamps = con.execute("SELECT DISTINCT origin FROM household").fetchall()
    finally:
        con.close()
    assert seq > 0 and json.loads(lineage)[-1]["id"] == incarnation_id and stamps == [(incarnation_id,)]


def test_a_backup_put_on_a_second_pc_ends_nothing(seeded: Seeded, office: Office, tmp_path: Path, monkeypatch) -> None:
    """Setting up a laptop by restoring a backup where there was no database: the
    first PC's file goes on, and its edits keep arriving."""
    office.send()
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")
    laptop_path = tmp_path / "may-2" / "xa.db"
    laptop_path.parent.mkdir()
    monkeypatch.setenv(incarnation.MACHINE_ENV, "may-2")
    restore_backup(laptop_path, backup)
    laptop = open_database(laptop_path)
    try:
        rename(laptop, seeded.households["Phạm Văn An"], "Sửa ở máy 2")
        import_package(office.upper, export_package(laptop, office.usb).path, trust=office.trust)
    finally:
        laptop.close()
    monkeypatch.setenv(incarnation.MACHINE_ENV, "may-kiem-thu")  # back on the first PC
    home = seeded.households["Nguyễn Văn Ba"]
    rename(office.commune, home, "Sửa ở máy 1")
    _summary, result = office.send()
    assert stored(office.upper, home)[0] == "Sửa ở máy 1" and result.conflicts == 0
    assert stored(office.upper, seeded.households["Phạm Văn An"])[0] == "Sửa ở máy 2"


def test_a_record_stamped_past_the_senders_counter_is_refused(seeded: Seeded, office: Office, tmp_path: Path) -> None:
    """The manifest says how far the sender's change counter had gone: no record may claim more."""
    from tests.core.sync.forge import edit_lines, members
    path = export_package(office.commune, office.usb).path
    counter = json.loads(members(path)["manifest.json"])["change_seq"]

    def ahead(rows: list[dict]) -> None:
        rows[0]["content"]["change_seq"] = counter + 1
    forged = forge(path, tmp_path / "truoc.gcsync", signing_key(seeded.db),
                   payload={"data/household.jsonl": edit_lines(ahead)})
    before = dump(office.upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(office.upper, forged, trust=[fingerprint_of(path)])
    assert "origin/change_seq" in str(caught.value) and dump(office.upper) == before


def test_a_lineage_too_long_to_send_is_a_clear_refusal(seeded: Seeded, office: Office) -> None:
    """Thousands of moves between PCs: the export says so and writes nothing."""
    from gocong_desktop.core.sync.errors import SyncError
    from gocong_desktop.core.sync.lineage import MAX_NODES
    con = sqlite3.connect(seeded.db.path)
    clock = json.loads(con.execute("SELECT lineage_json FROM sync_clock").fetchone()[0])
    for n in range(MAX_NODES):
        clock.append({"id": f"00000000-0000-4000-8000-{n:012d}", "parent": clock[-1]["id"], "fork_seq": 1,
                      "reason": "machine", "at": "2026-12-06", "replaced": None, "same_pc": False})
    con.execute("UPDATE sync_clock SET lineage_json = ?, incarnation = ?", (json.dumps(clock), clock[-1]["id"]))
    con.commit()
    con.close()
    before = dump(seeded.db.path)
    with pytest.raises(SyncError) as caught:
        export_package(office.commune, office.usb)
    assert caught.value.code == "lineage" and "lịch sử dữ liệu" in str(caught.value)
    assert dump(seeded.db.path) == before and not list(office.usb.iterdir())
