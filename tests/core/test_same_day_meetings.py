"""A group's meetings of one day: what the new-meeting dialog warns about."""

from __future__ import annotations

from datetime import date, datetime

from gocong_desktop.core.services import meeting_drafts, meetings


def test_the_group_meetings_of_the_day_other_than_the_one_edited(seeded) -> None:
    with seeded.db.session() as s:
        evening = meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 7, 0))
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 16, 0, 0))
        meetings.create_meeting(s, group_id=seeded.group_a2, starts_at=datetime(2024, 3, 15, 19, 30))
        gone = meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 23, 59))
        meeting_drafts.delete_draft(s, gone)
    with seeded.db.session() as s:
        day = date(2024, 3, 15)
        assert meetings.same_day_meetings(s, seeded.group_a1, day) == [datetime(2024, 3, 15, 7, 0),
                                                                       datetime(2024, 3, 15, 19, 30)]
        assert meetings.same_day_meetings(s, seeded.group_a1, day, other_than=evening) == [
            datetime(2024, 3, 15, 7, 0)]
        assert meetings.same_day_meetings(s, seeded.group_b3, day) == []
