"""The one definition of each figure (``services/figures.py``) against counts written
out here by hand in SQL, per hamlet and per commune, for a report's period and for
"now" (the Overview page and the upper office's dashboard), on a small commune
with the odd records an import can leave: a deleted group that met, a group
retired by its flag alone, deleted meetings, attendance, households and pledges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services import groups, households, meetings
from gocong_desktop.core.services.area_figures import AreaCounts, area_counts, total
from gocong_desktop.core.services.figures import Scope, Window
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.overview import overview
from tests import app_sqlite as sqlite3
from tests.conftest import copy_database, seed
from tests.core.prevention_scenario import build_scenario

H1 = Window.days(date(2024, 1, 1), date(2024, 6, 30))
Q2 = Window.quarter(date(2024, 5, 15))  # [01/04, 01/07/2024), "now" on the register


@pytest.fixture(scope="module")
def commune(tmp_path_factory, _set_up_file: Path):
    """The review scenario, plus what an import may bring: the Tổ 4 group, met on 10/04
    then deleted; Tổ 3 retired by its flag with no date; a deleted meeting; a meeting
    planned for 10/08; Bích's attendance deleted; Hoa deleted; Đồng's pledge deleted.
    And the edges of the period: Tổ 5 retired on 01/01/2024, An moved out on 30/06/2024."""
    database = open_database(copy_database(_set_up_file, tmp_path_factory.mktemp("figures") / "xa.db"))
    seeded = seed(database)  # read only by the tests: built once for the module
    build_scenario(seeded)
    h = seeded.households
    with seeded.db.session(actor="tester") as s:
        g4 = groups.save_group(s, hamlet_id=seeded.hamlet_b, number=4)
        groups.retire_group(s, groups.save_group(s, hamlet_id=seeded.hamlet_a, number=5), when=date(2024, 1, 1))
        households.mark_moved_out(s, h["Phạm Văn An"], date(2024, 6, 30))
        meetings.create_meeting(s, attendance="present", group_id=g4, starts_at=datetime(2024, 4, 10, 19, 0))
        gone = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 4, 11, 19, 0))
        meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 8, 10, 19, 0))
    con = sqlite3.connect(seeded.db.path)
    with con:
        con.execute("UPDATE self_managed_group SET deleted = 1 WHERE id = ?", (g4,))
        con.execute("UPDATE self_managed_group SET active = 0 WHERE id = ?", (seeded.group_b3,))
        con.execute("UPDATE meeting SET deleted = 1 WHERE id = ?", (gone,))
        con.execute("UPDATE attendance SET deleted = 1 WHERE household_id = ?", (h["Nguyễn Thị Bích"],))
        con.execute("UPDATE household SET deleted = 1 WHERE id = ?", (h["Lê Thị Hoa"],))
        con.execute("UPDATE pledge SET deleted = 1 WHERE household_id = ?", (h["Đỗ Văn Đồng"],))
    con.close()
    yield seeded
    database.close()


def by_hand(path: Path, scope: Scope, window: Window) -> dict[str, AreaCounts]:
    """The figures, counted in plain SQL."""
    hamlet = scope is Scope.HAMLET
    key = {"g": "g.hamlet_id" if hamlet else "g.owner_unit_id", "h": "h.hamlet_id" if hamlet else "h.owner_unit_id",
           "m": "g.hamlet_id" if hamlet else "m.owner_unit_id", "a": "g.hamlet_id" if hamlet else "a.owner_unit_id",
           "p": "h.hamlet_id" if hamlet else "p.owner_unit_id"}
    start, end = str(window.start), str(window.end)
    after = str(date.fromordinal(window.end.toordinal() + 1))
    groups = ("g.active = 1" if window.now else
              f"(g.founded_date IS NULL OR g.founded_date <= '{end}') "
              f"AND (g.retired_date IS NULL OR g.retired_date >= '{start}')")
    stayed = "h.moved_out_date IS NULL" + ("" if window.now else f" OR h.moved_out_date > '{end}'")
    held = f"m.deleted = 0 AND m.starts_at >= '{start}' AND m.starts_at < '{after}'"
    queries = {
        "groups": f"SELECT {key['g']}, count(*) FROM self_managed_group g WHERE g.deleted = 0 AND {groups} GROUP BY 1",
        "households": f"SELECT {key['h']}, count(*) FROM household h WHERE h.deleted = 0 AND ({stayed}) GROUP BY 1",
        "meetings": f"SELECT {key['m']}, count(*), sum(m.status = 'final'), count(DISTINCT m.group_id) FROM meeting m "
                    f"JOIN self_managed_group g ON g.id = m.group_id WHERE {held} GROUP BY 1",
        "attendance": f"SELECT {key['a']}, sum(a.status = 'present'), sum(a.status != 'unmarked') "
                      f"FROM attendance a JOIN meeting m "
                      f"ON m.id = a.meeting_id JOIN self_managed_group g ON g.id = m.group_id "
                      f"WHERE a.deleted = 0 AND {held} GROUP BY 1",
        "pledges": f"SELECT {key['p']}, sum(p.status = 'signed'), count(*) FROM pledge p JOIN household h "
                   f"ON h.id = p.household_id WHERE p.year = {window.end.year} AND p.deleted = 0 "
                   f"AND p.status != 'moved' AND h.deleted = 0 AND ({stayed}) GROUP BY 1",
    }
    con = sqlite3.connect(path)
    try:
        got = {name: {row[0]: row[1:] for row in con.execute(sql)} for name, sql in queries.items()}
    finally:
        con.close()
    keys = set().union(*got.values())
    return {k: AreaCounts(*got["groups"].get(k, (0,)), *got["households"].get(k, (0,)),
                          *got["meetings"].get(k, (0, 0, 0)), *got["attendance"].get(k, (0, 0)),
                          *got["pledges"].get(k, (0, 0))) for k in keys}


def test_figures_equal_hand_counted_sql(commune) -> None:
    for scope in Scope:
        for window in (H1, Q2):
            with commune.db.session() as s:
                counts = area_counts(s, scope, window)
            assert counts == by_hand(commune.db.path, scope, window), (scope, window)


def test_both_windows_pinned(commune) -> None:
    """Where "in the period" and "now" differ, each keeps its own answer."""
    with commune.db.session() as s:
        period = area_counts(s, Scope.HAMLET, H1)
        now = area_counts(s, Scope.HAMLET, Q2)
        unit = get_office(s).unit_id
        commune_h1 = area_counts(s, Scope.UNIT, H1)[unit]
    a, b = commune.hamlet_a, commune.hamlet_b
    assert (period[b].groups, now[b].groups) == (1, 0)  # Tổ 3: flag off, no retirement date
    assert (period[a].groups, now[a].groups) == (3, 2)  # Tổ 5 retired on the period's first day
    # Ba, Tâm, Ánh (moved out on 01/09/2024); not Hoa (deleted) nor An (moved out on the last day).
    assert (period[a].households, now[a].households) == (3, 2)
    # H1: Tổ 1 on 10/02 and 20/05 (final), Tổ 2 on 30/06, Tổ 3 on 01/03, the deleted Tổ 4 on 10/04.
    assert (total(period.values()).meetings, total(period.values()).meetings_final) == (5, 1)
    assert total(now.values()).meetings == 3  # 20/05, 30/06, 10/04; not 01/07 00:00 nor 10/08
    assert total(period.values()) == commune_h1


def test_overview_counts_the_quarter_as_the_dashboard_does(commune) -> None:
    """Meetings planned in a later quarter (01/07 00:00, 10/08) are not "this quarter's"."""
    with commune.db.session() as s:
        rows, whole = overview(s, today=date(2024, 5, 15))
        unit = area_counts(s, Scope.UNIT, Q2)[get_office(s).unit_id]
    assert whole.meetings_this_quarter == 3
    assert (whole.groups, whole.households, whole.meetings_this_quarter, whole.pledges_signed,
            whole.pledges_total) == (unit.groups, unit.households, unit.meetings, unit.pledges_signed,
                                     unit.pledges_total)
    assert sum(r.meetings_this_quarter for r in rows) == 3


def test_counts_without_attendance_are_the_same_counts_with_attendance_left_at_zero(commune) -> None:
    with commune.db.session() as s:
        full = area_counts(s, Scope.HAMLET, Q2)
        lighter = area_counts(s, Scope.HAMLET, Q2, attendance=False)
    assert lighter == {k: replace(c, attendance_present=0, attendance_total=0) for k, c in full.items()}


def _statements_of(db, fn) -> list[tuple[str, tuple]]:
    """The SQL ``fn(session)`` runs, with its parameters."""
    ran: list[tuple[str, tuple]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        ran.append((statement, tuple(parameters)))
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.session() as s:
            fn(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return ran


def test_the_overview_counts_households_from_an_index_and_reads_no_attendance(commune) -> None:
    """The window's start page: on an encrypted file every page read is decrypted, and
    reading each household row for its hamlet cost ~1 s at 50,000 households."""
    ran = _statements_of(commune.db, lambda s: overview(s, today=date(2024, 5, 15)))
    assert not [sql for sql, _ in ran if "attendance" in sql]
    with commune.db.session() as s:
        plans = [step for sql, params in ran if "household" in sql
                 for *_ids, step in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    household_steps = [step for step in plans if " household " in f"{step} "]
    assert household_steps and all("COVERING INDEX" in step or "(id=?)" in step for step in household_steps), plans


@pytest.mark.parametrize("scope", [Scope.HAMLET, Scope.UNIT])
def test_attendance_is_counted_from_its_index_without_reading_the_table(commune, scope: Scope) -> None:
    """The aggregate report of a year at 100 communes read most of the attendance table
    for each row's status (about 4 s of an encrypted file's 5 s): migration 0019."""
    ran = _statements_of(commune.db, lambda s: area_counts(s, scope, Q2))
    with commune.db.session() as s:
        plans = [step for sql, params in ran if "attendance" in sql
                 for *_ids, step in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    attendance_steps = [step for step in plans if " attendance " in f"{step} "]
    assert attendance_steps == ["SEARCH attendance USING COVERING INDEX ix_attendance_meeting_status "
                                "(meeting_id=? AND deleted=?)"], plans



def test_households_not_marked_yet_count_neither_present_nor_away(seeded) -> None:
    """A draft whose roll call was never taken (or only begun) says nothing of who came:
    the rate is of the households marked, so it does not pull the hamlet's rate down."""
    with seeded.db.session() as s:
        meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1,
                                starts_at=datetime(2024, 3, 10, 19, 0))
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 20, 19, 0))
        counts = area_counts(s, Scope.HAMLET, H1)[seeded.hamlet_a]
    assert counts.meetings == 2 and counts.attendance_rate == 100.0, counts
