"""Group meetings: attendance, minutes numbering per group per year, locking, hash."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services import households, meetings
from tests.conftest import table_counts
from tests.meeting_edits import edit_meeting, opinion, with_agenda_item, with_attendance, with_guest


def _meeting(db, group_id: str, when: datetime, *, finalise: bool = False) -> str:
    with db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=group_id, starts_at=when, place="Nhà văn hóa ấp")
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", chair_role="Tổ trưởng",
                     secretary_name="Lê Thị Hoa", secretary_role="Tổ phó")
        if finalise:
            meetings.finalise_meeting(s, mid)
    return mid


def test_create_adds_attendance_for_each_active_household(seeded) -> None:
    with seeded.db.session() as s:
        households.mark_moved_out(s, seeded.households["Trần Minh Tâm"], date(2024, 1, 1))
    mid = _meeting(seeded.db, seeded.group_a1, datetime(2024, 3, 15, 19, 30))
    with seeded.db.session() as s:
        rows = s.exec(select(Attendance).where(Attendance.meeting_id == mid)).all()
        assert {a.household_id for a in rows} == {seeded.households["Nguyễn Văn Ba"],
                                                  seeded.households["Lê Thị Hoa"]}
        assert {a.status for a in rows} == {AttendanceStatus.PRESENT}
        with_attendance(s, mid, seeded.households["Lê Thị Hoa"], AttendanceStatus.ABSENT_EXCUSED,
                        reason="Đi làm xa")
    with seeded.db.session() as s:
        row = meetings.list_meetings(s, group_id=seeded.group_a1)[0]
    assert (row.present, row.total, row.status, row.minutes_number) == (1, 2, "draft", None)


def test_create_meeting_validation(seeded) -> None:
    before = table_counts(seeded.db.path)
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19),
                                    ends_at=datetime(2024, 3, 15, 18))
    assert err.value.field == "ends_at"
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19),
                                    kind="hop_mat")
    assert err.value.field == "kind"
    assert table_counts(seeded.db.path) == before


def test_finalise_needs_chair_and_secretary(seeded) -> None:
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19))
    with pytest.raises(ValidationError):
        with seeded.db.session() as s:
            meetings.finalise_meeting(s, mid)
    with seeded.db.session() as s:
        assert s.get(Meeting, mid).status == MeetingStatus.DRAFT


def test_minutes_numbered_per_group_per_year(seeded) -> None:
    db = seeded.db
    a1_2024 = [_meeting(db, seeded.group_a1, datetime(2024, m, 10, 19, 30)) for m in (3, 6, 9)]
    a2_2024 = _meeting(db, seeded.group_a2, datetime(2024, 4, 2, 8))
    a1_2025 = _meeting(db, seeded.group_a1, datetime(2025, 1, 5, 19))
    numbers = {}
    with db.session() as s:
        for mid in (*a1_2024, a2_2024, a1_2025):
            numbers[mid] = meetings.finalise_meeting(s, mid)
    assert [numbers[m] for m in a1_2024] == [1, 2, 3]
    assert numbers[a2_2024] == 1  # another group counts on its own
    assert numbers[a1_2025] == 1  # a new year starts again
    with db.session() as s:
        stored = {m.id: (m.minutes_number, m.minutes_year, m.status) for m in s.exec(select(Meeting))}
    assert stored[a1_2024[2]] == (3, 2024, MeetingStatus.FINAL)
    assert stored[a1_2025] == (1, 2025, MeetingStatus.FINAL)
    # The next one of 2024 follows on, in its own session.
    late = _meeting(db, seeded.group_a1, datetime(2024, 12, 20, 19), finalise=True)
    with db.session() as s:
        assert s.get(Meeting, late).minutes_number == 4


def test_final_minutes_refuse_edits(seeded) -> None:
    mid = _meeting(seeded.db, seeded.group_a1, datetime(2024, 3, 15, 19, 30), finalise=True)
    ba = seeded.households["Nguyễn Văn Ba"]
    before = table_counts(seeded.db.path)
    edits = [
        lambda s: edit_meeting(s, mid, chair_name="Người Khác"),
        lambda s: with_attendance(s, mid, ba, AttendanceStatus.ABSENT_UNEXCUSED),
        lambda s: with_guest(s, mid, "Đ/c Trần Minh Tâm"),
        lambda s: with_agenda_item(s, mid, "Nội dung thêm"),
        lambda s: meetings.finalise_meeting(s, mid),
    ]
    for edit in edits:
        with pytest.raises(ConflictError) as err:
            with seeded.db.session() as s:
                edit(s)
        assert "đã hoàn tất" in err.value.message
    assert table_counts(seeded.db.path) == before


def _full_meeting(seeded) -> str:
    ba, hoa = seeded.households["Nguyễn Văn Ba"], seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1,
                                      starts_at=datetime(2024, 3, 15, 19, 30),
                                      ends_at=datetime(2024, 3, 15, 21))
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa",
                     closing_conclusion="Thống nhất thực hiện.")
        with_guest(s, mid, "Đ/c Trần Minh Tâm", organisation="Công an xã")
        with_agenda_item(s, mid, "Phòng, chống trộm cắp", content="Triển khai\ncamera", votes=(1, 0, 1),
                         opinions=[opinion("Đề nghị lắp đèn.", household_id=ba),
                                   opinion("Đồng ý.", speaker="Ông Tư")])
        with_attendance(s, mid, hoa, AttendanceStatus.ABSENT_EXCUSED, reason="Ốm")
    return mid


def test_content_hash_stable_and_sensitive(seeded) -> None:
    mid = _full_meeting(seeded)
    with seeded.db.session() as s:
        draft_hash = meetings.content_hash(meetings.content_snapshot(s, mid))
        assert draft_hash == meetings.content_hash(meetings.content_snapshot(s, mid))
        with_agenda_item(s, mid, "Vệ sinh môi trường")
        assert meetings.content_hash(meetings.content_snapshot(s, mid)) != draft_hash
        meetings.finalise_meeting(s, mid)
        stored = s.get(Meeting, mid).content_hash
    assert len(stored) == 64
    # Recomputed later, from a fresh connection, the hash is the same.
    seeded.db.close()
    with seeded.db.session() as s:
        snapshot = meetings.content_snapshot(s, mid)
        assert meetings.content_hash(snapshot) == stored
        assert snapshot["minutes_number"] == 1
        assert snapshot["agenda"][0]["opinions"][1] == [None, "Ông Tư", "Đồng ý."]
        # Any change of content changes the hash.
        for key, value in (("place", "Nhà ông Ba"), ("closing_conclusion", "Thống nhất."),
                           ("minutes_number", 2)):
            assert meetings.content_hash({**snapshot, key: value}) != stored
        changed = {**snapshot, "attendance": [[*a[:1], "present", None, None] for a in snapshot["attendance"]]}
        assert meetings.content_hash(changed) != stored


def test_list_meetings_newest_first_and_filters(seeded) -> None:
    old = _meeting(seeded.db, seeded.group_a1, datetime(2024, 1, 10, 19), finalise=True)
    new = _meeting(seeded.db, seeded.group_b3, datetime(2024, 5, 10, 19))
    with seeded.db.session() as s:
        assert [m.id for m in meetings.list_meetings(s)] == [new, old]
        assert [m.id for m in meetings.list_meetings(s, status=MeetingStatus.FINAL)] == [old]
        assert [m.id for m in meetings.list_meetings(s, hamlet_id=seeded.hamlet_b)] == [new]
        assert [m.id for m in meetings.list_meetings(s, since=date(2024, 2, 1))] == [new]
        assert [m.id for m in meetings.list_meetings(s, until=date(2024, 1, 10))] == [old]
        assert [m.id for m in meetings.list_meetings(s, search="so 3")] == [new]


def test_list_meetings_pages_count_only_their_attendance(seeded) -> None:
    ids = [_meeting(seeded.db, group, datetime(2024, month, 5, 19))
           for month, group in ((1, seeded.group_a1), (2, seeded.group_a2), (3, seeded.group_b3),
                                (4, seeded.group_a1))]
    with seeded.db.session() as s:
        whole = meetings.list_meetings(s)
        pages = [m for offset in (0, 3) for m in meetings.list_meetings(s, offset=offset, limit=3)]
        assert pages == whole and [m.id for m in whole] == ids[::-1]
        assert [(m.present, m.total) for m in pages] == [(m.present, m.total) for m in whole]
        assert [m.total for m in whole] == [3, 2, 2, 3]  # each group's households
        assert meetings.count_meetings(s) == 4 and meetings.count_meetings(s, group_id=seeded.group_a1) == 2
        assert meetings.count_meetings(s, hamlet_id=seeded.hamlet_b, search="so 3") == 1
