"""Undo of an import at the upper office (issue 16): from the import journal,
in one transaction, instead of a copy of the whole database before each import.
Undone exactly (every table as before, but the audit log, which only grows, and
the ledger row, kept as "undone"), refused with the file untouched when a later
change touched the import's rows, and the package importable again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.services.prevention_sites import set_site_households, site_households
from gocong_desktop.core.sync import export_package, import_package, list_conflicts, list_imports, resolve_conflict
from gocong_desktop.core.sync.errors import UndoRefused
from gocong_desktop.core.sync.undo import package_uuid_of, undo_import
from gocong_desktop.core.upper.dashboard import commune_dashboard
from tests import app_sqlite as sqlite3
from gocong_desktop.core.db.models import PledgeTemplate
from gocong_desktop.core.services import households
from gocong_desktop.core.services.pledges import open_campaign, save_template
from gocong_desktop.core.storage.backup import write_backup
from tests.core.sync.conftest import (dump, edit_household, file_problems, fingerprint_of, rows, send, state_of, unit_of,
                                      view)
from tests.core.sync.forge import edit_lines, forge, signing_key
from tests.core.sync.test_sync_lineage import Office, rename, restored

GROWING = ("audit_log", "sync_package")  # an undo appends to the audit log and keeps the ledger row


def _rows(db, sql: str, params: tuple = ()) -> list[tuple]:
    return rows(db, sql, params)


def _state(db) -> list[str]:
    """``dump`` without the tables an undo adds to, its lines sorted: a link row
    put back is the same row, in another place of its table."""
    return sorted(line for line in dump(db).splitlines() if not line.startswith(tuple(f"{t}: " for t in GROWING)))


def _audit(db) -> list[tuple]:
    """The audit log in the order it was written (a server's: by id)."""
    order = "rowid" if db.server is None else "id"
    return _rows(db, f"SELECT * FROM audit_log ORDER BY {order}")


def _appended_to(audit: list[tuple], after: list[tuple], *, server: bool) -> bool:
    """Every entry still there as it was; in a file also in its place (a server
    keeps no insertion order: other offices' entries carry their own times)."""
    return set(audit) <= set(after) if server else after[:len(audit)] == audit


def _newest_entry(db) -> list[tuple]:
    order = "rowid DESC" if db.server is None else "at DESC, seq DESC"
    return _rows(db, f"SELECT action, actor FROM audit_log ORDER BY {order} LIMIT 1")


def _undone_exactly(upper, package: Path, *, trust: tuple = ()) -> None:
    """Import ``package`` then undo it: everything as before, the audit log grown."""
    before, audit = _state(upper), _audit(upper)
    result = import_package(upper, package, trust=trust)
    assert result.status == "imported"
    assert _rows(upper, "SELECT count(*) FROM import_journal")[0][0] > 0
    undone = undo_import(upper, result.package_uuid, actor="cán bộ PV05")
    assert "Đã hoàn tác lần nhập gói số" in undone.message
    assert _state(upper) == before
    after = _audit(upper)
    assert _appended_to(audit, after, server=upper.server is not None)  # nothing removed
    assert _newest_entry(upper) == [("undo_import", "cán bộ PV05")]
    assert _rows(upper, "SELECT status FROM sync_package WHERE package_uuid = ?",
                 (result.package_uuid,)) == [("undone",)]
    assert file_problems(upper) == []


def test_a_first_full_package_is_undone_exactly_and_can_come_again(demo_communes, upper, usb: Path) -> None:
    (commune,) = demo_communes(1)
    package = export_package(commune.db, usb, full=True).path
    assert _rows(commune.db.path, "SELECT count(*) FROM model_site_household")[0][0] > 0
    _undone_exactly(upper, package, trust=(fingerprint_of(package),))
    with upper.session() as s:  # the commune is gone from every view, its key with it
        assert list_imports(s) == [] and commune_dashboard(s) == []
    again = import_package(upper, package, trust=[fingerprint_of(package)])
    assert again.status == "imported" and again.changes["household"].new > 0
    with upper.session() as s:
        assert [r.package_uuid for r in list_imports(s)] == [again.package_uuid]


def test_an_incremental_package_with_updates_and_link_deletes_is_undone_exactly(demo_communes, upper,
                                                                              usb: Path) -> None:
    (commune,) = demo_communes(1)
    first = export_package(commune.db, usb, full=True).path
    import_package(upper, first, trust=[fingerprint_of(first)])
    site, household = _rows(commune.db.path, "SELECT site_id, household_id FROM model_site_household LIMIT 1")[0]
    with commune.db.session() as s:
        kept = [h for h in site_households(s, site) if h != household]
        set_site_households(s, site, kept)
    edit_household(commune.db, household, members=9)
    second = export_package(commune.db, usb).path
    before_links = _rows(upper, "SELECT count(*) FROM model_site_household")[0][0]
    _undone_exactly(upper, second)
    assert _rows(upper, "SELECT count(*) FROM model_site_household")[0][0] == before_links
    assert import_package(upper, second).changes["model_site_household"].deleted >= 1


def test_an_import_with_conflicts_is_undone_exactly(seeded, upper, usb: Path) -> None:
    send(seeded.db, upper, usb)
    con = sqlite3.connect(seeded.db.path)  # a restored backup edited again: same version, other content
    con.execute("UPDATE household SET address = 'Khôi phục' WHERE id = ?", (seeded.households["Lê Thị Hoa"],))
    con.commit()
    con.close()
    again = export_package(seeded.db, usb, full=True).path
    _undone_exactly(upper, again)
    with upper.session() as s:
        assert list_conflicts(s) == []


def test_undo_is_refused_while_a_later_package_changed_its_records(seeded, upper, usb: Path) -> None:
    hoa = seeded.households["Lê Thị Hoa"]
    _summary, first = send(seeded.db, upper, usb)
    edit_household(seeded.db, hoa, members=5)
    _summary, second = send(seeded.db, upper, usb)
    before = state_of(upper)
    refusal = r"1 bản ghi.* đã thay đổi sau lần nhập này.*Hãy hoàn tác gói số 2 của xã Bình Tân trước"
    with pytest.raises(UndoRefused, match=refusal) as err:
        undo_import(upper, first.package_uuid)
    assert err.value.code == "changed_since" and state_of(upper) == before
    undo_import(upper, second.package_uuid)  # the later one first, then this one
    undo_import(upper, first.package_uuid)
    assert _rows(upper, "SELECT count(*) FROM household WHERE owner_unit_id = ?", (unit_of(seeded.db),)) \
        == [(0,)]


def test_undo_is_refused_once_a_conflict_it_brought_was_resolved(seeded, upper, usb: Path) -> None:
    send(seeded.db, upper, usb)
    con = sqlite3.connect(seeded.db.path)
    con.execute("UPDATE household SET address = 'Khôi phục' WHERE id = ?", (seeded.households["Lê Thị Hoa"],))
    con.commit()
    con.close()
    result = import_package(upper, export_package(seeded.db, usb, full=True).path)
    with upper.session() as s:
        (conflict,) = list_conflicts(s)
        resolve_conflict(s, conflict.id, keep="incoming", actor="cán bộ PV05")
    before = state_of(upper)
    with pytest.raises(UndoRefused, match="xử lý xung đột"):
        undo_import(upper, result.package_uuid)
    assert state_of(upper) == before


def test_bad_requests_are_refused_and_change_nothing(seeded, upper, usb: Path) -> None:
    summary, result = send(seeded.db, upper, usb)
    before = state_of(upper)
    with pytest.raises(UndoRefused, match="Không tìm thấy gói đã nhập") as err:
        undo_import(upper, "00000000-0000-4000-8000-000000000000")
    assert err.value.code == "not_found"
    upper.user = Principal(username="xem", display_name="Người xem", role=Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        undo_import(upper, result.package_uuid)
    upper.user = None
    assert state_of(upper) == before
    assert package_uuid_of(summary.path) == result.package_uuid  # a file names its package
    undo_import(upper, package_uuid_of(summary.path))
    before = state_of(upper)
    with pytest.raises(UndoRefused, match="đã được hoàn tác trước đây"):
        undo_import(upper, result.package_uuid)
    assert state_of(upper) == before


def _back_to_0008(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
        conn.exec_driver_sql("PRAGMA user_version=8")
        conn.commit()
    engine.dispose()


@pytest.mark.upper_sqlite
def test_a_file_from_0008_gets_the_journal_and_old_imports_cannot_be_undone(seeded, upper, usb: Path) -> None:
    _summary, old = send(seeded.db, upper, usb)
    upper.close()
    _back_to_0008(upper.path)
    assert _rows(upper, "SELECT name FROM sqlite_master WHERE name = 'import_journal'") == []
    upgraded = open_database(upper.path)  # migrates
    try:
        (table,) = _rows(upper, "SELECT sql FROM sqlite_master WHERE name = 'sync_package'")[0]
        assert "UNIQUE" not in table  # a package undone may be recorded again
        assert _rows(upper, "SELECT name FROM sqlite_master WHERE name = 'ux_sync_package_live'")
        before = state_of(upper)
        with pytest.raises(UndoRefused, match="phiên bản cũ") as err:
            undo_import(upgraded, old.package_uuid)
        assert err.value.code == "no_journal" and state_of(upper) == before
        edit_household(seeded.db, seeded.households["Lê Thị Hoa"], members=7)
        _summary, new = send(seeded.db, upgraded, usb)
        undo_import(upgraded, new.package_uuid)
        assert import_package(upgraded, _summary.path).status == "imported"
    finally:
        upgraded.close()
    assert file_problems(upper) == []


def test_a_record_sent_with_a_negative_zero_is_undone(demo_communes, upper, usb: Path, tmp_path: Path) -> None:
    """-0.0 is a valid score, but SQLite gives it back as 0.0: the import's own
    row must not look changed since, or a crafted package could never be undone."""
    (commune,) = demo_communes(1)
    package = export_package(commune.db, usb, full=True).path

    def negative_zero(rows: list[dict]) -> None:
        rows[0]["content"]["total_score"] = -0.0

    forged = forge(package, tmp_path / "am-khong.gcsync", signing_key(commune.db),
                   payload={"data/evaluation.jsonl": edit_lines(negative_zero)})
    _undone_exactly(upper, forged, trust=(fingerprint_of(package),))


JOURNAL_EDITS = {
    "unknown table": "UPDATE import_journal SET table_name = 'khong_co' WHERE id = {last}",
    "unreadable row": "UPDATE import_journal SET before_json = '[1, 2' WHERE id = {last}",
    "row of another length": "UPDATE import_journal SET before_json = '[\"x\"]' WHERE id = {last}",
    "row of another id": "UPDATE import_journal SET before_json = json_set(before_json, '$[0]', (SELECT id FROM "
                         "household WHERE id != record_key LIMIT 1)) WHERE id = {last}",
    "unreadable link": "UPDATE import_journal SET record_key = 'x', table_name = 'model_site_household' "
                       "WHERE id = {last}",
    "unreadable sender state": "UPDATE import_journal SET before_json = '7' WHERE table_name = 'sync_peer'",
    # well-formed, but not what the import wrote: its audit entry keeps the journal's digest
    "other values": "UPDATE import_journal SET before_json = json_set(before_json, '$[13]', 'Sửa tay') WHERE id = {last}",
    "entry removed": "DELETE FROM import_journal WHERE id = {last}",
}


@pytest.mark.upper_sqlite
@pytest.mark.parametrize("edit", sorted(JOURNAL_EDITS))
def test_a_journal_edited_by_hand_is_refused_not_followed(seeded, upper, usb: Path, edit: str) -> None:
    """The journal is in the file: edited outside the app, undo refuses instead
    of failing half-way or writing what the edit says."""
    edit_household(seeded.db, seeded.households["Lê Thị Hoa"], members=5)
    send(seeded.db, upper, usb)
    edit_household(seeded.db, seeded.households["Lê Thị Hoa"], members=6)
    _summary, result = send(seeded.db, upper, usb)  # an update: its entry holds the row before
    (last,) = _rows(upper, "SELECT max(id) FROM import_journal WHERE table_name = 'household' "
                                "AND before_json IS NOT NULL")[0]
    con = sqlite3.connect(upper.path)
    con.execute(JOURNAL_EDITS[edit].format(last=last))
    con.commit()
    con.close()
    before = state_of(upper)
    with pytest.raises(UndoRefused, match="Nhật ký nhập của gói này bị hỏng hoặc đã bị sửa") as err:
        undo_import(upper, result.package_uuid)
    assert err.value.code == "journal_damaged" and state_of(upper) == before


def test_one_communes_import_is_undone_while_anothers_later_import_stays(demo_communes, upper, usb: Path) -> None:
    """Two communes touch disjoint rows: the earlier import is undone alone, the
    other commune's records, links and ledger untouched; the shared district
    both stand under stays while a commune still stands under it."""
    first, second = demo_communes(2)
    package_a = export_package(first.db, usb, full=True).path
    package_b = export_package(second.db, usb, full=True).path
    a = import_package(upper, package_a, trust=[fingerprint_of(package_a)])
    b = import_package(upper, package_b, trust=[fingerprint_of(package_b)])
    seen_b = view(upper, second.unit_id)
    undo_import(upper, a.package_uuid)
    assert view(upper, second.unit_id) == seen_b
    assert all(rows == [] for rows in view(upper, first.unit_id).values())
    with upper.session() as s:
        assert [r.package_uuid for r in list_imports(s)] == [b.package_uuid]
        assert [d.unit_id for d in commune_dashboard(s)] == [second.unit_id]
    assert file_problems(upper) == []
    again = import_package(upper, package_a, trust=[fingerprint_of(package_a)])
    assert again.status == "imported" and view(upper, first.unit_id) == view(first.db.path, first.unit_id)


def test_a_package_after_a_restore_is_undone_exactly_with_its_lineage(seeded, upper, usb: Path,
                                                                      tmp_path: Path) -> None:
    """The sender restored an older backup: the next package moves its lineage on,
    updates a record (a "lost" conflict kept) and retires one made after the
    backup; undone, the sender's lineage and every row are as before."""
    office = Office(seeded.db, upper, usb)
    office.send()
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")
    rename(office.commune, seeded.households["Lê Thị Hoa"], "Số 1")
    with office.commune.session(actor="thư ký") as s:  # made after the backup: lost by the restore
        data = households.household_input(s, seeded.households["Phạm Văn An"])
        data.head_name = "Hộ Lập Sau Sao Lưu"
        households.create_household(s, data)
    office.send()
    office.commune = restored(office.commune, backup)
    try:
        rename(office.commune, seeded.households["Lê Thị Hoa"], "Số 9 sau khôi phục")
        package = export_package(office.commune, usb).path
        lineage = _rows(upper, "SELECT lineage_json FROM sync_peer")
        _undone_exactly(upper, package)
        assert _rows(upper, "SELECT lineage_json FROM sync_peer") == lineage
        again = import_package(upper, package)
        assert (again.changes["household"].updated, again.changes["household"].deleted, again.conflicts) == (1, 1, 2)
    finally:
        office.commune.close()


def test_undo_that_would_take_a_key_a_later_record_holds_is_refused(seeded, upper, usb: Path) -> None:
    """A template's year corrected (package 2), then a new template for the old
    year (package 3, touching no row of package 2): putting the first back to
    its old year would break «one version 1 per year». Refused in Vietnamese,
    naming package 3, instead of failing on the constraint."""
    with seeded.db.session(actor="thư ký") as s:
        first = save_template(s, year=2030, title="Bản cam kết", items=["Không trộm cắp tài sản"])
    send(seeded.db, upper, usb)
    with seeded.db.session(actor="thư ký") as s:
        s.get(PledgeTemplate, first).year = 2031
    _summary, corrected = send(seeded.db, upper, usb)
    with seeded.db.session(actor="thư ký") as s:
        save_template(s, year=2030, title="Bản cam kết mới", items=["Không trộm cắp tài sản"])
    _summary, later = send(seeded.db, upper, usb)
    before = state_of(upper)
    with pytest.raises(UndoRefused, match=r"gói số 2 của xã Bình Tân: trả bản ghi .* sẽ trùng với một bản ghi đã "
                                          r"có \(do 1 gói nhập sau\)\. Hãy hoàn tác gói số 3") as err:
        undo_import(upper, corrected.package_uuid)
    assert err.value.code == "changed_since" and state_of(upper) == before
    undo_import(upper, later.package_uuid)
    undo_import(upper, corrected.package_uuid)


def test_undo_is_refused_while_a_later_package_refers_to_its_records(seeded, upper, usb: Path) -> None:
    """Package 2 brings a new household, package 3 its pledge (without changing
    the household): undoing 2 alone would leave the pledge pointing nowhere, and
    ``check`` would say so. Refused, naming package 3; once 3 is undone, 2 is."""
    send(seeded.db, upper, usb)
    with seeded.db.session(actor="thư ký") as s:
        data = households.household_input(s, seeded.households["Phạm Văn An"])
        data.head_name = "Hộ Chuyển Đến Tuần Hai"
        households.create_household(s, data)
    _summary, second = send(seeded.db, upper, usb)
    with seeded.db.session(actor="thư ký") as s:
        open_campaign(s, 2030)  # a pledge for every household, the new one included
    _summary, third = send(seeded.db, upper, usb)
    before = state_of(upper)
    with pytest.raises(UndoRefused, match=r"gói số 2 của xã Bình Tân: 1 bản ghi nhập sau còn dùng bản ghi do gói "
                                          r"này mang đến \(do 1 gói nhập sau\)\. Hãy hoàn tác gói số 3") as err:
        undo_import(upper, second.package_uuid)
    assert err.value.code == "changed_since" and state_of(upper) == before
    undo_import(upper, third.package_uuid)
    undo_import(upper, second.package_uuid)
    assert file_problems(upper) == []


def test_only_each_communes_newest_imports_keep_their_journal(seeded, upper, usb: Path, monkeypatch) -> None:
    """Undo goes back a commune's newest packages; older journals (previous values,
    personal data among them) are dropped, and their undo is refused clearly."""
    monkeypatch.setattr("gocong_desktop.core.sync.journal.KEPT_PER_SENDER", 2)
    hoa = seeded.households["Lê Thị Hoa"]
    sent = []
    for members in (5, 6, 7):
        edit_household(seeded.db, hoa, members=members)
        sent.append(send(seeded.db, upper, usb)[1])
    kept = {row[0] for row in _rows(upper, "SELECT DISTINCT package_uuid FROM import_journal")}
    assert kept == {sent[1].package_uuid, sent[2].package_uuid}
    before = state_of(upper)
    with pytest.raises(UndoRefused, match="không còn nhật ký nhập") as err:
        undo_import(upper, sent[0].package_uuid)
    assert err.value.code == "no_journal" and state_of(upper) == before
    undo_import(upper, sent[2].package_uuid)
    undo_import(upper, sent[1].package_uuid)
    assert file_problems(upper) == []


def test_a_name_too_long_for_the_system_is_refused_as_not_found(seeded, upper) -> None:
    before = state_of(upper)
    with pytest.raises(UndoRefused) as err:
        undo_import(upper, package_uuid_of("x" * 5000))
    assert err.value.code == "not_found" and state_of(upper) == before
