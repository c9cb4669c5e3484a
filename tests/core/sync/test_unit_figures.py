"""Each commune's dashboard figures kept beside its records at the upper office
(issue 16): recounted by whatever changes the commune's records (an import, its
undo, a conflict resolved), read by the dashboard while current, and counted
live when missing, stale or of another quarter — the dashboard always shows
what ``area_counts`` counts live."""

from __future__ import annotations

import pytest

from datetime import date, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlmodel import select

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.models import Household
from gocong_desktop.core.services.area_figures import AreaCounts, area_counts
from gocong_desktop.core.services.figures import Scope, Window, quarter_bounds
from gocong_desktop.core.services.households import mark_moved_out
from gocong_desktop.core.sync import list_conflicts, resolve_conflict
from gocong_desktop.core.sync.undo import undo_import
from gocong_desktop.core.sync.unit_figures import refresh_unit_figures
from gocong_desktop.core.upper.dashboard import CommuneRow, commune_dashboard
from tests import app_sqlite as sqlite3
from tests.core.sync.conftest import rows, send, state_of, write_beside

TODAY = date.today()  # the demo communes are made up to today; imports keep today's quarter


def _figures(c: AreaCounts) -> tuple:
    return (c.groups, c.households, c.meetings, c.attendance_present, c.attendance_total, c.pledges_signed,
            c.pledges_total)


def _shown(r: CommuneRow) -> tuple:
    return (r.groups, r.households, r.meetings_this_quarter, r.attendance_present, r.attendance_total,
            r.pledges_signed, r.pledges_total)


def _dashboard_is_live(upper: Database, today: date = TODAY) -> dict[str, tuple]:
    """The dashboard's figures, once checked equal to ``area_counts`` live."""
    with upper.session() as s:
        shown = {r.unit_id: _shown(r) for r in commune_dashboard(s, today=today)}
        live = area_counts(s, Scope.UNIT, Window.quarter(today))
    assert shown == {u: _figures(live.get(u, AreaCounts())) for u in shown}
    return shown


def _kept(upper: Database) -> dict[str, tuple]:
    """unit → (quarter start, figures) as kept in ``unit_figures``."""
    return {u: (str(start), rest) for u, start, *rest in rows(  # str: a server's date as a file keeps it
        upper, "SELECT unit_id, window_start, groups, households, meetings, attendance_present, attendance_total, "
               "pledges_signed, pledges_total FROM unit_figures")}


def _kept_is_live(upper: Database) -> dict[str, tuple]:
    kept, shown = _kept(upper), _dashboard_is_live(upper)
    assert {u: tuple(figures) for u, (_start, figures) in kept.items()} == {u: shown[u] for u in kept}
    assert {start for start, _figures in kept.values()} <= {str(quarter_bounds(TODAY)[0].date())}
    return kept


def _move_out_one(commune: Database) -> None:
    with commune.session(actor="thư ký") as s:
        first = s.exec(select(Household.id).where(Household.moved_out_date.is_(None)).limit(1)).one()
        mark_moved_out(s, first, TODAY)


def test_imports_keep_each_communes_figures_and_the_dashboard_reads_them(demo_communes, upper, usb: Path) -> None:
    communes = demo_communes(2)
    for c in communes:
        send(c.db, upper, usb)
    kept = _kept_is_live(upper)
    assert set(kept) == {c.unit_id for c in communes}
    assert all(figures[1] > 0 and figures[2] > 0 and figures[6] > 0 for _start, figures in kept.values())
    # what is kept is what is shown while it is current
    write_beside(upper, "UPDATE unit_figures SET households = 123456 WHERE unit_id = ?", (communes[0].unit_id,))
    with upper.session() as s:
        shown = {r.unit_id: r.households for r in commune_dashboard(s, today=TODAY)}
    assert shown[communes[0].unit_id] == 123456


def test_a_later_import_and_its_undo_recount_the_commune(demo_communes, upper, usb: Path) -> None:
    (commune,) = demo_communes(1)
    _summary, first = send(commune.db, upper, usb)
    before = _kept_is_live(upper)
    _move_out_one(commune.db)
    _summary, second = send(commune.db, upper, usb)
    after = _kept_is_live(upper)
    assert after[commune.unit_id][1][1] == before[commune.unit_id][1][1] - 1
    undo_import(upper, second.package_uuid)
    assert _kept_is_live(upper) == before
    undo_import(upper, first.package_uuid)  # nothing of the commune left: nothing kept
    assert _kept(upper) == {} and _dashboard_is_live(upper) == {}


def test_a_resolved_conflict_recounts_the_commune(seeded, upper, usb: Path) -> None:
    send(seeded.db, upper, usb)
    con = sqlite3.connect(seeded.db.path)  # a restored backup edited again: same version, other content
    con.execute("UPDATE self_managed_group SET active = 0 WHERE id = ?", (seeded.group_b3,))
    con.commit()
    con.close()
    send(seeded.db, upper, usb, full=True)
    before = _kept_is_live(upper)
    with upper.session() as s:
        (conflict,) = list_conflicts(s)
        resolve_conflict(s, conflict.id, keep="incoming", actor="cán bộ PV05")
    after = _kept_is_live(upper)
    (unit,) = after
    assert after[unit][1][0] == before[unit][1][0] - 1  # one group fewer


def test_a_stale_row_or_another_quarter_is_counted_live_and_reading_writes_nothing(
        demo_communes, upper, usb: Path) -> None:
    (commune,) = demo_communes(1)
    send(commune.db, upper, usb)
    old = rows(upper, "SELECT * FROM unit_figures")
    _move_out_one(commune.db)
    send(commune.db, upper, usb)
    write_beside(upper, "DELETE FROM unit_figures")  # as if the last change had not recounted the commune
    write_beside(upper, f"INSERT INTO unit_figures VALUES ({', '.join('?' * len(old[0]))})", old)
    upper.user = Principal(username="xem", display_name="Người xem", role=Role.VIEWER)
    digest = state_of(upper)
    _dashboard_is_live(upper)
    for other in (TODAY - timedelta(days=100), TODAY - timedelta(days=400), TODAY + timedelta(days=95)):
        _dashboard_is_live(upper, other)
    assert state_of(upper) == digest


@pytest.mark.upper_sqlite
def test_a_file_from_0009_gets_the_table_and_its_indexes(demo_communes, upper, usb: Path) -> None:
    (commune,) = demo_communes(1)
    send(commune.db, upper, usb)
    upper.close()
    engine = create_engine(f"sqlite:///{upper.path}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
        conn.exec_driver_sql("PRAGMA user_version=9")
        conn.commit()
    engine.dispose()
    upgraded = open_database(upper.path)  # migrates
    try:
        con = sqlite3.connect(upper.path)
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
        con.close()
        assert {"unit_figures", "ix_meeting_owner_starts_at", "ix_pledge_owner_unit_year"} <= names
        assert "ix_attendance_meeting_owner" not in names  # made by 0010, dropped by 0016
        assert _kept(upgraded) == {} and len(_dashboard_is_live(upgraded)) == 1  # counted live
        _move_out_one(commune.db)
        send(commune.db, upgraded, usb)
        assert set(_kept_is_live(upgraded)) == {commune.unit_id}
    finally:
        upgraded.close()


def test_a_new_quarter_is_counted_once_by_the_writers_refresh(demo_communes, upper, usb: Path) -> None:
    communes = demo_communes(2)
    for c in communes:
        send(c.db, upper, usb)
    next_quarter = quarter_bounds(TODAY)[1].date() + timedelta(days=1)
    with upper.session() as s:
        assert refresh_unit_figures(s) == 0  # the imports kept today's quarter
    with upper.session() as s:
        assert refresh_unit_figures(s, today=next_quarter) == 2
    with upper.session() as s:
        assert refresh_unit_figures(s, today=next_quarter) == 0
    assert {start for start, _figures in _kept(upper).values()} == {str(quarter_bounds(next_quarter)[0].date())}
    _dashboard_is_live(upper, next_quarter)
