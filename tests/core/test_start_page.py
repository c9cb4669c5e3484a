"""The start page's to-do counts and chart figures (services/start_page.py) on the
review scenario (tests/core/prevention_scenario.py): each count equals the length of
the list the page opens for it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import MeetingStatus, PledgeStatus, SyncDirection, SyncPackage
from gocong_desktop.core.services import groups, meetings, pledges, prevention
from gocong_desktop.core.services.overview import overview
from gocong_desktop.core.services.start_page import (BACKUP, DRAFT_MINUTES, GROUPS_NOT_MET, MODELS_DUE, PACKAGE,
                                                      UNSIGNED_PLEDGES, SentPackage, chart_figures, month_start,
                                                      package_to_do, to_do)
from gocong_desktop.core.storage import backup
from gocong_desktop.core.sync.ledger import DELIVERED, EXPORTED, last_sent
from tests.conftest import copy_database, seed
from tests.core.prevention_scenario import build_scenario

TODAY = date(2024, 8, 15)  # quarter III/2024; the last half-year ended is 2024-H1


@pytest.fixture(scope="module")
def commune(tmp_path_factory, _set_up_file: Path):
    """Read only by the tests: built once for the module."""
    database = open_database(copy_database(_set_up_file, tmp_path_factory.mktemp("start") / "xa.db"))
    seeded = seed(database)
    build_scenario(seeded)
    yield seeded
    database.close()


def read(commune, today: date = TODAY, sent: SentPackage | None = None) -> tuple:
    with commune.db.session() as s:
        return to_do(s, today=today, sent=sent)


def items(todo: tuple) -> dict:
    return {t.kind: t for t in todo}


def test_each_count_is_the_length_of_the_list_it_opens(commune):
    todo = items(read(commune))
    assert list(todo) == [GROUPS_NOT_MET, DRAFT_MINUTES, UNSIGNED_PLEDGES, MODELS_DUE, PACKAGE, BACKUP]
    with commune.db.session() as s:
        not_met = groups.list_groups(s, not_met_in=TODAY)
        drafts = meetings.count_meetings(s, status=MeetingStatus.DRAFT)
        unsigned = pledges.count_pledges(s, 2024, status=PledgeStatus.UNSIGNED, resident_only=True)
        due = prevention.list_models(s, due_on=TODAY)
    # Tổ 2 met on 01/07/2024 at 00:00: the first minute of the quarter counts.
    assert sorted(g.number for g in not_met) == [1, 3]
    assert todo[GROUPS_NOT_MET].count == 2 and todo[GROUPS_NOT_MET].title == "Tổ chưa họp trong quý III/2024"
    assert todo[DRAFT_MINUTES].count == drafts == 5  # six meetings, one final
    # Ánh's pledge is unsigned but she moves out (dated 01/09): not asked any more.
    assert todo[UNSIGNED_PLEDGES].count == unsigned == 0 and not todo[UNSIGNED_PLEDGES].pending
    # The camera model was evaluated for 2024-H1; the late one began 01/08 (its first site).
    assert todo[MODELS_DUE].count == len(due) == 0
    assert all(t.pending for t in (todo[GROUPS_NOT_MET], todo[DRAFT_MINUTES]))


def test_models_due_after_the_next_half_year_ends(commune):
    today = date(2025, 1, 10)  # 2024-H2 ended: the camera model and the late one are due
    todo = items(read(commune, today))
    with commune.db.session() as s:
        due = prevention.list_models(s, due_on=today)
    assert sorted(m.name for m in due) == ["Camera an ninh ấp Lợi An", "Ánh sáng Đồng Sơn"]
    assert todo[MODELS_DUE].count == 2 and "6 tháng cuối năm 2024" in todo[MODELS_DUE].detail
    # No campaign for 2025 yet: nothing to count, the item says to open one.
    pledged = todo[UNSIGNED_PLEDGES]
    assert pledged.count is None and pledged.pending and "Chưa mở đợt cam kết năm 2025" in pledged.detail


def test_chart_figures(commune):
    with commune.db.session() as s:
        charts = chart_figures(s, TODAY, overview(s, today=TODAY)[0])
    # Lợi An: Ba, Hoa, An signed (Tâm moved, Ánh moved out); Đồng Sơn: Đồng signed, Bích refused.
    assert dict(charts.pledge_coverage) == {"Lợi An": 100.0, "Đồng Sơn": 50.0}
    # Over 12 months: Lợi An 10 of 12 invitations (Tâm, Ánh absent once each); Đồng Sơn all present.
    assert dict(charts.attendance) == {"Lợi An": pytest.approx(100 * 10 / 12), "Đồng Sơn": 100.0}
    months = dict(charts.meetings_by_month)
    assert list(months) == [month_start(TODAY, n) for n in range(11, -1, -1)]
    assert list(months)[0] == date(2023, 9, 1)
    assert {m: n for m, n in months.items() if n} == {
        date(2023, 12, 1): 1, date(2024, 2, 1): 1, date(2024, 3, 1): 1, date(2024, 5, 1): 1,
        date(2024, 6, 1): 1, date(2024, 7, 1): 1}
    assert charts.ratings == (("Tốt", 1),)  # the retired model's 2023 rating is not counted


def test_package_and_backup_state(db):
    with db.session() as s:
        assert last_sent(s) is None
        todo = items(to_do(s, today=TODAY, sent=None))
    assert todo[PACKAGE].pending and todo[PACKAGE].detail == "Chưa gửi gói dữ liệu nào."
    assert todo[BACKUP].pending and todo[BACKUP].detail.startswith("Chưa có bản sao lưu nào trong «")
    sent = datetime(2024, 8, 1, 9, 30).astimezone()  # stored in UTC, shown on this PC's clock
    with db.session(actor="tester") as s:
        for sequence, status in ((1, DELIVERED), (2, EXPORTED)):
            s.add(SyncPackage(direction=SyncDirection.EXPORT, package_uuid=f"p{sequence}", sequence=sequence,
                              created_at=sent, status=status))
    backup.backup_now(db, backup.MANUAL, now=datetime(2024, 8, 14, 17, 5))
    with db.session() as s:
        latest = last_sent(s)
        todo = items(to_do(s, today=TODAY, sent=latest))
    assert latest == SentPackage(datetime(2024, 8, 1, 9, 30), receipt_back=False)  # the newest package has no receipt yet
    assert todo[PACKAGE].pending
    assert todo[PACKAGE].detail == "Gói gần nhất gửi 14 ngày trước (01/08/2024), chưa có biên nhận."
    assert not todo[BACKUP].pending and todo[BACKUP].detail.startswith("Bản gần nhất: 17:05 hôm qua, trong «")


def test_package_is_due_a_month_after_its_receipt():
    back = SentPackage(datetime(2024, 7, 1, 8, 0), receipt_back=True)
    assert not package_to_do(back, date(2024, 7, 31)).pending
    assert "đã có biên nhận" in package_to_do(back, date(2024, 7, 31)).detail
    assert package_to_do(back, date(2024, 8, 1)).pending


def test_the_start_pages_reads_search_attendance_by_meeting(commune):
    """Every attendance lookup of the start page (its table, items and charts) searches
    by meeting: through UNIQUE(meeting_id, household_id) since ix_attendance_meeting_owner,
    which no query searched by both its columns, was dropped (migration 0016), and
    the counts through ix_attendance_meeting_status alone (migration 0019)."""
    from sqlalchemy import event

    plans: list[str] = []

    def explain(conn, _cursor, statement, parameters, _context, executemany):
        if "attendance" in statement and statement.lstrip().upper().startswith("SELECT") and not executemany:
            cursor = conn.connection.dbapi_connection.cursor()
            plans.extend(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()))
            cursor.close()

    event.listen(commune.db.engine, "before_cursor_execute", explain)
    try:
        with commune.db.session() as s:
            chart_figures(s, TODAY, overview(s, today=TODAY)[0])
            to_do(s, today=TODAY, sent=None)
    finally:
        event.remove(commune.db.engine, "before_cursor_execute", explain)
    on_attendance = [p for p in plans if " attendance" in p]
    assert on_attendance and not [p for p in on_attendance if p.startswith("SCAN")]
    assert not [p for p in plans if "ix_attendance_meeting_owner" in p]
    assert all("(meeting_id=?" in p for p in on_attendance), on_attendance
    assert [p for p in on_attendance if "COVERING INDEX ix_attendance_meeting_status" in p]
