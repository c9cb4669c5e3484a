"""The whole-draft API behind the meeting editor: diff by id, versions bumped only
by real changes, tombstones for removed rows, validation naming the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import (AgendaItem, AgendaOpinion, Attendance, AttendanceStatus,
                                           Meeting, MeetingGuest, MeetingStatus)
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services import groups, households, meeting_drafts, meetings
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.services.meeting_drafts import (AgendaDraft, GuestDraft, OpinionDraft, load_draft,
                                                         save_draft)
from tests.conftest import table_counts

START = datetime(2024, 3, 15, 19, 30)


def _versions(db) -> dict[str, int]:
    with db.session() as s:
        return {r.id: r.version for model in (Meeting, MeetingGuest, Attendance, AgendaItem, AgendaOpinion)
                for r in s.exec(select(model))}


def _new(seeded, **kwargs) -> str:
    with seeded.db.session() as s:
        return meeting_drafts.new_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=START, **kwargs)


def _save(db, mid, draft):
    with db.session() as s:
        return save_draft(s, mid, draft)


def _load(db, mid):
    with db.session() as s:
        return load_draft(s, mid)


def _filled(seeded) -> str:
    mid = _new(seeded)
    draft = _load(seeded.db, mid)
    ba = seeded.households["Nguyễn Văn Ba"]
    draft.ends_at = datetime(2024, 3, 15, 21)
    draft.chair_name, draft.chair_household_id, draft.secretary_name = "Nguyễn Văn Ba", ba, "Lê Thị Hoa"
    draft.guests = [GuestDraft("Đ/c Trần Minh Tâm", "Phó Trưởng Công an", "Công an xã"),
                    GuestDraft("Bà Lê Thị Năm", "Trưởng ấp")]
    draft.agenda = [AgendaDraft("Phòng, chống trộm cắp", content="Lắp camera", votes_for=1, votes_against=0,
                                votes_other=1, opinions=[OpinionDraft("Đề nghị lắp đèn.", household_id=ba),
                                                         OpinionDraft("Đồng ý.", speaker_name="Ông Tư")]),
                    AgendaDraft("Vệ sinh môi trường")]
    draft.attendance[2].status = AttendanceStatus.ABSENT_EXCUSED  # Trần Minh Tâm: neither chair nor secretary
    draft.attendance[2].reason = "Đi làm xa"
    _save(seeded.db, mid, draft)
    return mid


def test_new_meeting_takes_the_group_defaults(seeded) -> None:
    ba, hoa = seeded.households["Nguyễn Văn Ba"], seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=ba, deputy_household_id=hoa)
    draft = _load(seeded.db, _new(seeded))
    assert draft.place == "Nhà ông/bà Nguyễn Văn Ba, 10 đường liên ấp"
    assert (draft.chair_name, draft.chair_role, draft.chair_household_id) == ("Nguyễn Văn Ba", "Tổ trưởng", ba)
    assert (draft.secretary_name, draft.secretary_role) == ("Lê Thị Hoa", "Tổ phó")
    assert draft.title == "Sinh hoạt Tổ nhân dân tự quản số 1, quý I năm 2024"
    assert len(draft.attendance) == 3 and draft.group_name == "Tổ NDTQ số 1"
    assert [a.household_name for a in draft.attendance] == ["Nguyễn Văn Ba", "Lê Thị Hoa", "Trần Minh Tâm"]


def test_round_trip_and_unchanged_save_bumps_no_version(seeded) -> None:
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    assert [g.name for g in draft.guests] == ["Đ/c Trần Minh Tâm", "Bà Lê Thị Năm"]
    assert [i.title for i in draft.agenda] == ["Phòng, chống trộm cắp", "Vệ sinh môi trường"]
    assert draft.agenda[0].opinions[1].speaker_name == "Ông Tư"
    assert (draft.agenda[0].votes_for, draft.agenda[0].votes_other) == (1, 1)
    before, counts = _versions(seeded.db), table_counts(seeded.db.path)
    _save(seeded.db, mid, draft)
    _save(seeded.db, mid, _load(seeded.db, mid))
    assert _versions(seeded.db) == before
    assert table_counts(seeded.db.path) == counts  # no audit entries either
    draft.agenda[1].conclusion = "Tổng vệ sinh mỗi tháng."
    _save(seeded.db, mid, draft)
    after = _versions(seeded.db)
    assert {k for k in after if after[k] != before[k]} == {draft.agenda[1].id}


def test_removed_guest_is_tombstoned_and_new_rows_get_ids(seeded) -> None:
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    removed = draft.guests.pop(0)
    draft.guests.append(GuestDraft("Đ/c Võ Văn Sáu", organisation="Hội Nông dân xã"))
    saved = _save(seeded.db, mid, draft)
    assert saved.guests[1].id is not None and draft.guests[1].id is None  # the input is left alone
    with seeded.db.session() as s:
        gone = s.get(MeetingGuest, removed.id)
        assert gone.deleted and gone.version == 2
        assert meetings.content_snapshot(s, mid)["guests"] == [
            ["Bà Lê Thị Năm", "Trưởng ấp", None], ["Đ/c Võ Văn Sáu", None, "Hội Nông dân xã"]]
    assert [g.name for g in _load(seeded.db, mid).guests] == ["Bà Lê Thị Năm", "Đ/c Võ Văn Sáu"]
    # Saving what was returned again adds nothing (the new guest kept its id).
    counts = table_counts(seeded.db.path)
    _save(seeded.db, mid, saved)
    assert table_counts(seeded.db.path) == counts


def test_reordering_and_removing_agenda_items(seeded) -> None:
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    draft.agenda.reverse()
    _save(seeded.db, mid, draft)
    assert [i.title for i in _load(seeded.db, mid).agenda] == ["Vệ sinh môi trường", "Phòng, chống trộm cắp"]
    gone = draft.agenda.pop()
    _save(seeded.db, mid, draft)
    with seeded.db.session() as s:
        assert s.get(AgendaItem, gone.id).deleted
    assert [i.title for i in _load(seeded.db, mid).agenda] == ["Vệ sinh môi trường"]


def test_attendance_normalised_and_new_household_addable(seeded) -> None:
    mid = _filled(seeded)
    with seeded.db.session() as s:
        late = households.create_household(s, HouseholdInput(head_name="Huỳnh Văn Mới",
                                                             hamlet_id=seeded.hamlet_a,
                                                             group_id=seeded.group_a1))
    draft = _load(seeded.db, mid)
    assert [a.household_name for a in draft.missing_households] == ["Huỳnh Văn Mới"]
    assert late not in {a.household_id for a in draft.attendance}  # not added behind the clerk's back
    draft.attendance.append(replace(draft.missing_households[0], status=AttendanceStatus.PRESENT,
                                    representative="Con trai"))  # a household added later starts unmarked
    draft.attendance[0] = replace(draft.attendance[0], status=AttendanceStatus.PRESENT, representative="Vợ")
    draft.attendance[1] = replace(draft.attendance[1], status=AttendanceStatus.ABSENT_UNEXCUSED,
                                  reason="không ghi", representative="không ghi")
    saved = _save(seeded.db, mid, draft)
    assert saved.missing_households == []
    by_id = {a.household_id: a for a in _load(seeded.db, mid).attendance}
    assert by_id[late].representative == "Con trai" and by_id[late].id
    assert (by_id[draft.attendance[0].household_id].reason, by_id[draft.attendance[0].household_id]
            .representative) == (None, "Vợ")
    assert (by_id[draft.attendance[1].household_id].reason,
            by_id[draft.attendance[1].household_id].representative) == (None, None)
    with seeded.db.session() as s:
        assert meetings.list_meetings(s, group_id=seeded.group_a1)[0].total == 4


@pytest.mark.parametrize("change, field", [
    (lambda d: setattr(d, "ends_at", datetime(2024, 3, 15, 19)), "ends_at"),
    (lambda d: setattr(d, "kind", "hop_mat"), "kind"),
    (lambda d: setattr(d.agenda[1], "title", "x" * 301), "agenda[1].title"),
    (lambda d: setattr(d.agenda[0], "votes_against", -1), "agenda[0].votes_against"),
    (lambda d: setattr(d.attendance[2], "status", "di_vang"), "attendance[2].status"),
    (lambda d: setattr(d.guests[1], "organisation", "x" * 501), "guests[1].organisation"),
])
def test_validation_names_the_field_and_saves_nothing(seeded, change, field) -> None:
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    draft.place = "Nhà văn hóa ấp"  # a valid change in the same save is not kept either
    change(draft)
    before = _versions(seeded.db)
    with pytest.raises(ValidationError) as err:
        _save(seeded.db, mid, draft)
    assert err.value.field == field
    assert _versions(seeded.db) == before


def test_incomplete_draft_saves_but_does_not_finalise(seeded) -> None:
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    draft.agenda.append(AgendaDraft(content="Tiêu đề chưa nghĩ ra"))
    _save(seeded.db, mid, draft)  # nothing typed is refused
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            meeting_drafts.finalise_draft(s, mid)
    assert err.value.field == "agenda[2].title"
    with seeded.db.session() as s:
        assert s.get(Meeting, mid).status == MeetingStatus.DRAFT


@pytest.mark.parametrize("role", ["chair", "secretary"])
def test_minutes_never_list_their_chair_or_secretary_as_absent(seeded, role) -> None:
    """The minutes would say he chaired the meeting and his household was away: refused at
    finishing, naming the household; the draft stays a draft."""
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    hoa = seeded.households["Lê Thị Hoa"]
    setattr(draft, f"{role}_name", "Lê Thị Hoa")
    setattr(draft, f"{role}_household_id", hoa)
    row = next(a for a in draft.attendance if a.household_id == hoa)
    row.status, row.reason = AttendanceStatus.ABSENT_UNEXCUSED, None
    draft.agenda[0].votes_other = 0  # one household present now: one vote
    _save(seeded.db, mid, draft)
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            meeting_drafts.finalise_draft(s, mid)
    assert err.value.field == "attendance" and "Lê Thị Hoa" in err.value.message, err.value.message
    with seeded.db.session() as s:
        assert s.get(Meeting, mid).status == MeetingStatus.DRAFT


def test_final_meeting_refuses_drafts_and_amendment_keeps_history(seeded) -> None:
    mid = _filled(seeded)
    with seeded.db.session() as s:
        assert meeting_drafts.finalise_draft(s, mid) == 1
    draft = _load(seeded.db, mid)
    assert draft.is_final and draft.missing_households == []
    draft.place = "Nơi khác"
    with pytest.raises(ConflictError):
        _save(seeded.db, mid, draft)
    with pytest.raises(ConflictError):
        with seeded.db.session() as s:
            meeting_drafts.delete_draft(s, mid)
    with seeded.db.session(actor="cán bộ xã") as s:
        meeting_drafts.amend(s, mid, reason="Ghi sai giờ kết thúc")
    _save(seeded.db, mid, draft)
    with seeded.db.session() as s:
        history = meeting_drafts.meeting_history(s, mid)
        assert meeting_drafts.finalise_draft(s, mid) == 1  # keeps its number
    assert len(history) == 1
    entry = history[0]
    assert (entry.reason, entry.amended_by, entry.amended_on) == ("Ghi sai giờ kết thúc", "cán bộ xã",
                                                                  date.today())
    assert entry.previous_snapshot["place"] != "Nơi khác" and len(entry.previous_hash) == 64
    assert entry.names[seeded.households["Nguyễn Văn Ba"]] == "Nguyễn Văn Ba"


def test_delete_draft_and_years(seeded) -> None:
    mid = _new(seeded)
    with seeded.db.session() as s:
        assert 2024 in meeting_drafts.meeting_years(s)
        meeting_drafts.delete_draft(s, mid)
    with seeded.db.session() as s:
        assert meetings.list_meetings(s) == []
        assert meeting_drafts.meeting_years(s) == [date.today().year]


def test_removed_opinion_leaves_the_snapshot(seeded) -> None:
    mid = _filled(seeded)
    draft = _load(seeded.db, mid)
    draft.agenda[0].opinions.pop()
    _save(seeded.db, mid, draft)
    with seeded.db.session() as s:
        opinions = meetings.content_snapshot(s, mid)["agenda"][0]["opinions"]
    assert [o[2] for o in opinions] == ["Đề nghị lắp đèn."]
