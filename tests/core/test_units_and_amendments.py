"""Administrative merges (2025 reorganisation), pledge violations, amendments."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import AdminUnit, Meeting, MeetingAmendment, PledgeViolation, UnitLevel
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services import meetings, pledges, units
from tests.meeting_edits import edit_meeting


def test_merged_communes_lead_to_the_new_commune(db):
    with db.session() as s:
        province = units.add_unit(s, level=UnitLevel.PROVINCE, name="Đồng Tháp")
        old_a = units.add_unit(s, level=UnitLevel.COMMUNE, name="Bình Nhì")
        old_b = units.add_unit(s, level=UnitLevel.COMMUNE, name="Đồng Thạnh")
        new = units.add_unit(s, level=UnitLevel.COMMUNE, name="Đồng Sơn", parent_id=province,
                             valid_from=date(2025, 7, 1))
        units.record_merge(s, [old_a, old_b], new, effective_date=date(2025, 7, 1),
                           legal_basis="Nghị quyết 1663/NQ-UBTVQH15")
    with db.session() as s:
        assert [u.name for u in units.successors(s, old_a)] == ["Đồng Sơn"]
        assert [u.id for u in units.current_units(s, old_b)] == [new]
        assert units.current_units(s, new)[0].valid_to is None
        assert s.get(AdminUnit, old_a).valid_to == date(2025, 6, 30)


def test_merge_into_itself_is_refused(db):
    with db.session() as s:
        unit = units.add_unit(s, level=UnitLevel.COMMUNE, name="Bình Tân")
        with pytest.raises(ValidationError):
            units.record_merge(s, [unit], unit, effective_date=date(2025, 7, 1))


def test_violation_attaches_to_that_years_pledge(seeded):
    household = seeded.households["Nguyễn Văn Ba"]
    year = date.today().year
    with seeded.db.session() as s:
        pledges.open_campaign(s, year)
        vid = pledges.record_violation(s, household, violation_date=date(year, 1, 1),
                                       item_number=2, note="Đánh bạc")
    with seeded.db.session() as s:
        violation = s.get(PledgeViolation, vid)
        assert violation.pledge_id is not None and violation.note == "Đánh bạc"
        with pytest.raises(ValidationError):
            pledges.record_violation(s, household, violation_date=date(year + 1, 1, 1))


def _final_meeting(db, group_id):
    with db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=group_id, starts_at=datetime(2024, 3, 15, 19, 30))
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        meetings.finalise_meeting(s, mid)
    return mid


def test_amendment_keeps_the_earlier_version_and_the_number(seeded):
    mid = _final_meeting(seeded.db, seeded.group_a1)
    with seeded.db.session() as s:
        first_hash = s.get(Meeting, mid).content_hash
        with pytest.raises(ConflictError):
            edit_meeting(s, mid, chair_name="X", secretary_name="Y")
    with seeded.db.session() as s:
        with pytest.raises(ValidationError):
            meetings.amend_meeting(s, mid, reason="  ")
        meetings.amend_meeting(s, mid, reason="Sai tên thư ký")
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Trần Minh Tâm")
        assert meetings.finalise_meeting(s, mid) == 1
    with seeded.db.session() as s:
        meeting = s.get(Meeting, mid)
        amendment = s.exec(select(MeetingAmendment).where(MeetingAmendment.meeting_id == mid)).one()
        assert meeting.content_hash != first_hash
        assert amendment.previous_hash == first_hash
        assert "Lê Thị Hoa" in amendment.previous_snapshot
        assert amendment.reason == "Sai tên thư ký"
