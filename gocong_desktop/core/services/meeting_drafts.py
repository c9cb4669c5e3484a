"""A meeting as one editable draft, for an editor that saves as you type.

``load_draft`` gives the whole record (header, guests, attendance, agenda with
opinions); ``save_draft`` takes it back and diffs by id: changed rows are
updated, new ones (id None) added, missing ones tombstoned. Only real changes
reach the database, so saving an unchanged draft bumps no version.
Drafts may be incomplete (an agenda item without its title yet: nothing typed
is refused) — except votes above the households present (``rules.votes``),
refused at every save; ``finalise_draft`` checks completeness before numbering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.sql_functions import year_text
from gocong_desktop.core.db.models import (AdminUnit, AgendaItem, AgendaOpinion, Attendance, AttendanceStatus, Gender,
                         Household, Meeting, MeetingAmendment, MeetingGuest, MeetingKind, MeetingStatus,
                         SelfManagedGroup, SyncedRecord, live)
from gocong_desktop.core.services.register_criteria import household_on_register
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.rules import VOTE_COLUMNS, VOTES_HINT, field_rule, item_votes_message
from gocong_desktop.core.services.common import field_choice, field_date, field_number, field_text, get_live
from gocong_desktop.core.services.meetings import (_editable, amend_meeting, check_attendee, create_meeting,
                                                   finalise_meeting, unmarked_message)
from gocong_desktop.core.services.meeting_words import (  # noqa: F401 (re-exported)
    ATTENDANCE_TEXT, KIND_TEXT, STATUS_TEXT, minutes_number_text)

ROMAN = ("", "I", "II", "III", "IV")
MAX_VOTES = field_rule("agenda_item", "votes_for").upper


@dataclass
class GuestDraft:
    name: str = ""
    role: str | None = None
    organisation: str | None = None
    id: str | None = None


@dataclass
class AttendanceDraft:
    household_id: str
    household_name: str = ""  # shown, not saved
    address: str | None = None  # shown, not saved
    status: str = AttendanceStatus.UNMARKED
    reason: str | None = None  # kept only when absent with a reason
    representative: str | None = None  # kept only when present
    id: str | None = None


@dataclass
class OpinionDraft:
    text: str = ""
    household_id: str | None = None  # a household of the group, or
    speaker_name: str | None = None  # anyone else, by name
    id: str | None = None


@dataclass
class AgendaDraft:
    title: str = ""
    content: str | None = None
    conclusion: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_other: int | None = None
    opinions: list[OpinionDraft] = field(default_factory=list)
    id: str | None = None


@dataclass
class MeetingDraft:
    id: str
    group_id: str
    starts_at: datetime
    kind: str = MeetingKind.REGULAR
    ends_at: datetime | None = None
    title: str | None = None
    place: str | None = None
    chair_name: str | None = None
    chair_role: str | None = None
    chair_household_id: str | None = None
    secretary_name: str | None = None
    secretary_role: str | None = None
    secretary_household_id: str | None = None
    closing_conclusion: str | None = None
    guests: list[GuestDraft] = field(default_factory=list)
    attendance: list[AttendanceDraft] = field(default_factory=list)
    agenda: list[AgendaDraft] = field(default_factory=list)
    # Read-only context, ignored by save_draft.
    group_name: str = ""
    hamlet_name: str = ""
    status: str = MeetingStatus.DRAFT
    minutes_number: int | None = None
    minutes_year: int | None = None
    # Households of the group without an attendance row (joined after the meeting
    # was created): the editor may add them to ``attendance``.
    missing_households: list[AttendanceDraft] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return self.status == MeetingStatus.FINAL


HEADER_FIELDS = ("kind", "starts_at", "ends_at", "title", "place", "chair_name", "chair_role",
                 "chair_household_id", "secretary_name", "secretary_role", "secretary_household_id",
                 "closing_conclusion")
_GUEST_FIELDS = ("name", "role", "organisation")
_AGENDA_FIELDS = ("title", "content", "conclusion", "votes_for", "votes_against", "votes_other")


# --------------------------------------------------------------------------- loading


def load_draft(session: Session, meeting_id: str) -> MeetingDraft:
    m = get_live(session, Meeting, meeting_id, "cuộc họp")
    group_name, hamlet_name = session.exec(
        select(SelfManagedGroup.name, AdminUnit.name).join(AdminUnit, AdminUnit.id == SelfManagedGroup.hamlet_id)
        .where(SelfManagedGroup.id == m.group_id)).one()
    guests = [GuestDraft(g.name, g.role, g.organisation, g.id) for g in _live(
        session, MeetingGuest, MeetingGuest.meeting_id == m.id, MeetingGuest.position)]
    draft = MeetingDraft(id=m.id, group_id=m.group_id, starts_at=m.starts_at, guests=guests,
                         attendance=_load_attendance(session, m.id), agenda=_load_agenda(session, m.id),
                         group_name=group_name, hamlet_name=hamlet_name, status=m.status,
                         minutes_number=m.minutes_number, minutes_year=m.minutes_year,
                         **{k: getattr(m, k) for k in HEADER_FIELDS if k != "starts_at"})
    if not draft.is_final:
        listed = {a.household_id for a in draft.attendance}
        draft.missing_households = [a for a in _group_households(session, m.group_id)
                                    if a.household_id not in listed]
    return draft


def _live(session: Session, model: type, where: Any, order: Any) -> list:
    return list(session.exec(select(model).where(where, live(model)).order_by(order)).all())


def _load_attendance(session: Session, meeting_id: str) -> list[AttendanceDraft]:
    rows = session.exec(select(Attendance, Household.head_name, Household.address)
                        .join(Household, Household.id == Attendance.household_id)
                        .where(Attendance.meeting_id == meeting_id, live(Attendance))
                        .order_by(Household.name_sort_key, Household.id)).all()
    return [AttendanceDraft(a.household_id, name, address, a.status, a.reason, a.representative, a.id)
            for a, name, address in rows]


def _group_households(session: Session, group_id: str) -> list[AttendanceDraft]:
    rows = session.exec(select(Household).where(
        Household.group_id == group_id, household_on_register())
        .order_by(Household.name_sort_key, Household.id)).all()
    return [AttendanceDraft(h.id, h.head_name, h.address) for h in rows]


def _load_agenda(session: Session, meeting_id: str) -> list[AgendaDraft]:
    items = _live(session, AgendaItem, AgendaItem.meeting_id == meeting_id, AgendaItem.position)
    result = []
    for item in items:
        opinions = [OpinionDraft(o.text, o.household_id, o.speaker_name, o.id) for o in _live(
            session, AgendaOpinion, AgendaOpinion.agenda_item_id == item.id, AgendaOpinion.position)]
        result.append(AgendaDraft(**{k: getattr(item, k) for k in _AGENDA_FIELDS},
                                  opinions=opinions, id=item.id))
    return result


# --------------------------------------------------------------------------- saving


def save_draft(session: Session, meeting_id: str, draft: MeetingDraft) -> MeetingDraft:
    """Store the draft; returns it normalised, with the ids of rows just added."""
    meeting = _editable(session, meeting_id)
    header = _checked_header(session, draft)
    guests = [_checked_guest(g, i) for i, g in enumerate(draft.guests)]
    listed = set(session.exec(select(Attendance.household_id).where(Attendance.meeting_id == meeting.id)).all())
    attendance = [_checked_attendance(session, meeting, listed, a, i) for i, a in enumerate(draft.attendance)]
    agenda = [_checked_item(session, item, i) for i, item in enumerate(draft.agenda)]
    check_votes(agenda, _present_after(session, meeting.id, attendance))
    _assign(meeting, header)
    _sync_children(session, MeetingGuest, "meeting_id", meeting.id,
                   [(g, {k: getattr(g, k) for k in _GUEST_FIELDS}) for g in guests])
    _save_attendance(session, meeting.id, attendance)
    _save_agenda(session, meeting.id, agenda)
    session.flush()
    return replace(draft, **header, guests=guests, attendance=attendance, agenda=agenda,
                   status=meeting.status, missing_households=[
                       a for a in draft.missing_households
                       if a.household_id not in {b.household_id for b in attendance}])


def _assign(obj: SyncedRecord, values: dict[str, Any]) -> None:
    """Set only what differs, so an unchanged save is no change at all."""
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def _text(table: str, column: str, value: str | None, where: str) -> str | None:
    return field_text(table, column, value, field=where)


def _checked_header(session: Session, d: MeetingDraft) -> dict[str, Any]:
    if d.kind not in list(MeetingKind):
        raise ValidationError("Loại cuộc họp phải là định kỳ hoặc đột xuất.", field="kind")
    if not isinstance(d.starts_at, datetime):
        raise ValidationError("Chưa nhập ngày giờ bắt đầu.", field="starts_at")
    if d.ends_at is not None and d.ends_at <= d.starts_at:
        raise ValidationError("Giờ kết thúc phải sau giờ bắt đầu.", field="ends_at")
    values = {"kind": d.kind, "starts_at": d.starts_at.replace(second=0, microsecond=0),
              "ends_at": d.ends_at.replace(second=0, microsecond=0) if d.ends_at else None}
    field_date("meeting", "starts_at", values["starts_at"])
    field_date("meeting", "ends_at", values["ends_at"])
    for column in ("title", "place", "closing_conclusion", "chair_name", "chair_role", "secretary_name",
                   "secretary_role"):
        values[column] = _text("meeting", column, getattr(d, column), column)
    for who, label in (("chair", "chủ trì"), ("secretary", "thư ký")):
        household_id = getattr(d, f"{who}_household_id") or None
        if household_id:
            get_live(session, Household, household_id, f"hộ của {label}")
        values[f"{who}_household_id"] = household_id if values[f"{who}_name"] else None
    return values


def _checked_guest(g: GuestDraft, i: int) -> GuestDraft:
    where = f"guests[{i}]"
    return GuestDraft(name=_text("meeting_guest", "name", g.name, f"{where}.name") or "",
                      role=_text("meeting_guest", "role", g.role, f"{where}.role"),
                      organisation=_text("meeting_guest", "organisation", g.organisation, f"{where}.organisation"),
                      id=g.id)


def _checked_attendance(session: Session, meeting: Meeting, listed: set[str], a: AttendanceDraft,
                        i: int) -> AttendanceDraft:
    """``listed``: households the meeting already has a row for (kept even if they moved since)."""
    where = f"attendance[{i}]"
    field_choice("attendance", "status", a.status, message="Trạng thái tham dự không hợp lệ.",
                 field=f"{where}.status")
    if a.household_id in listed:
        get_live(session, Household, a.household_id, "hộ gia đình")
    else:
        check_attendee(session, meeting, a.household_id, field=f"{where}.household_id")
    excused, present = a.status == AttendanceStatus.ABSENT_EXCUSED, a.status == AttendanceStatus.PRESENT
    return replace(a, reason=_text("attendance", "reason", a.reason, f"{where}.reason") if excused else None,
                   representative=_text("attendance", "representative", a.representative,
                                        f"{where}.representative") if present else None)


def _present_after(session: Session, meeting_id: str, attendance: list[AttendanceDraft]) -> int:
    """Households present once ``attendance`` is saved over the rows stored (none is ever removed)."""
    status = dict(session.exec(select(Attendance.household_id, Attendance.status).where(
        Attendance.meeting_id == meeting_id, live(Attendance))).all())
    status.update((a.household_id, a.status) for a in attendance)
    return sum(s == AttendanceStatus.PRESENT for s in status.values())


def present_count(attendance: list[AttendanceDraft]) -> int:
    return sum(a.status == AttendanceStatus.PRESENT for a in attendance)


def check_votes(agenda: list[AgendaDraft], present: int) -> None:
    """No item has more votes than households present (``rules.votes``); raises naming the item."""
    for i, item in enumerate(agenda):
        votes = tuple(getattr(item, k) for k in VOTE_COLUMNS)
        if (message := item_votes_message(i + 1, item.title, votes, present)) is not None:
            raise ValidationError(f"{message}. {VOTES_HINT}", field=f"agenda[{i}].votes_for")


def _checked_item(session: Session, item: AgendaDraft, i: int) -> AgendaDraft:
    where = f"agenda[{i}]"
    votes = {k: field_number("agenda_item", k, getattr(item, k), field=f"{where}.{k}") for k in VOTE_COLUMNS}
    opinions = [_checked_opinion(session, o, f"{where}.opinions[{j}]") for j, o in enumerate(item.opinions)]
    return AgendaDraft(title=_text("agenda_item", "title", item.title, f"{where}.title") or "",
                       content=_text("agenda_item", "content", item.content, f"{where}.content"),
                       conclusion=_text("agenda_item", "conclusion", item.conclusion, f"{where}.conclusion"),
                       opinions=opinions, id=item.id, **votes)


def _checked_opinion(session: Session, o: OpinionDraft, where: str) -> OpinionDraft:
    household_id = o.household_id or None
    if household_id:
        get_live(session, Household, household_id, "hộ phát biểu")
    return OpinionDraft(text=_text("agenda_opinion", "text", o.text, f"{where}.text") or "",
                        household_id=household_id,
                        speaker_name=None if household_id else _text("agenda_opinion", "speaker_name",
                                                                     o.speaker_name, f"{where}.speaker_name"),
                        id=o.id)


def _sync_children(session: Session, model: type, parent_key: str, parent_id: str,
                   wanted: list[tuple[Any, dict[str, Any]]]) -> None:
    """Rows of ``model`` under the parent become ``wanted`` (draft, values) in order:
    matched by id and updated, added when new (the draft gets the id), the rest
    tombstoned. A tombstoned row named again comes back."""
    existing = {r.id: r for r in session.exec(select(model).where(getattr(model, parent_key) == parent_id))}
    kept = set()
    for position, (draft, values) in enumerate(wanted):
        values = {**values, "position": position, "deleted": False}
        row = existing.get(draft.id) if draft.id else None
        if draft.id and row is None:
            raise ValidationError("Dữ liệu đang sửa không còn khớp; hãy đóng và mở lại biên bản.")
        if row is None:
            row = model(**{parent_key: parent_id}, **values)
            session.add(row)
            session.flush()  # parents before their children (no ORM relationships here)
            draft.id = row.id
        _assign(row, values)
        kept.add(row.id)
    for row in existing.values():
        if row.id not in kept and not row.deleted:
            row.deleted = True


def _save_attendance(session: Session, meeting_id: str, rows: list[AttendanceDraft]) -> None:
    """Matched by household (one row per household); rows are never removed."""
    existing = {a.household_id: a for a in session.exec(
        select(Attendance).where(Attendance.meeting_id == meeting_id))}
    for draft in rows:
        values = {"status": draft.status, "reason": draft.reason,
                  "representative": draft.representative, "deleted": False}
        row = existing.get(draft.household_id)
        if row is None:
            row = Attendance(meeting_id=meeting_id, household_id=draft.household_id, **values)
            session.add(row)
            existing[draft.household_id] = row
        _assign(row, values)
        draft.id = row.id


def _save_agenda(session: Session, meeting_id: str, items: list[AgendaDraft]) -> None:
    _sync_children(session, AgendaItem, "meeting_id", meeting_id,
                   [(i, {k: getattr(i, k) for k in _AGENDA_FIELDS}) for i in items])
    for item in items:
        _sync_children(session, AgendaOpinion, "agenda_item_id", item.id,
                       [(o, {"text": o.text, "household_id": o.household_id,
                             "speaker_name": o.speaker_name}) for o in item.opinions])


# --------------------------------------------------------------------------- life cycle

_HONORIFIC = {Gender.MALE: "ông", Gender.FEMALE: "bà"}


def default_place(leader: Household | None) -> str | None:
    """At the leader's house: "Nhà ông Nguyễn Văn Ba, 10 đường liên ấp"."""
    if leader is None:
        return None
    place = f"Nhà {_HONORIFIC.get(leader.gender, 'ông/bà')} {leader.head_name}"
    return f"{place}, {leader.address}" if leader.address else place


def default_title(group: SelfManagedGroup, kind: str, starts_at: datetime) -> str:
    who = f"Tổ nhân dân tự quản số {group.number}" if group.number else group.name
    if kind == MeetingKind.EXTRA:
        return f"Họp đột xuất {who}"
    return f"Sinh hoạt {who}, quý {ROMAN[(starts_at.month + 2) // 3]} năm {starts_at.year}"


def new_meeting(session: Session, *, group_id: str, starts_at: datetime, kind: str = MeetingKind.REGULAR,
                ends_at: datetime | None = None, attendance: str = AttendanceStatus.UNMARKED) -> str:
    """A draft with the group's defaults: at the leader's house, the leader chairs,
    the deputy keeps the minutes; every household of the group listed (``create_meeting``)."""
    group = get_live(session, SelfManagedGroup, group_id, "tổ")
    leader = session.get(Household, group.leader_household_id) if group.leader_household_id else None
    deputy = session.get(Household, group.deputy_household_id) if group.deputy_household_id else None
    meeting_id = create_meeting(session, group_id=group.id, starts_at=starts_at, kind=kind, ends_at=ends_at,
                                place=default_place(leader), title=default_title(group, kind, starts_at),
                                attendance=attendance)
    meeting = session.get(Meeting, meeting_id)
    for who, household, role in (("chair", leader, "Tổ trưởng"), ("secretary", deputy, "Tổ phó")):
        if household is not None:
            _assign(meeting, {f"{who}_name": household.head_name, f"{who}_role": role,
                              f"{who}_household_id": household.id})
    return meeting_id


def delete_draft(session: Session, meeting_id: str) -> None:
    """Only a draft that was never numbered can go (as a tombstone)."""
    meeting = _editable(session, meeting_id)
    if meeting.minutes_number is not None:
        raise ValidationError(f"Biên bản số {minutes_number_text(meeting.minutes_number)} đã được đánh số; "
                              "không thể xóa, chỉ có thể đính chính.")
    meeting.deleted = True


def check_marked(attendance: list[AttendanceDraft]) -> None:
    """Every household marked present or absent (``meetings.check_all_marked`` on the stored rows)."""
    if names := [a.household_name for a in attendance if a.status == AttendanceStatus.UNMARKED]:
        raise ValidationError(unmarked_message(names), field="attendance")


def check_officials_present(draft: MeetingDraft) -> None:
    """The chair and the secretary came: their households are not listed as away."""
    away = {a.household_id: a.household_name for a in draft.attendance
            if a.status in (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED)}
    for role, name, household in (("Chủ trì", draft.chair_name, draft.chair_household_id),
                                  ("Thư ký", draft.secretary_name, draft.secretary_household_id)):
        if household in away:
            raise ValidationError(f"{role} là {name}, nhưng hộ {away[household]} đang ghi vắng ở tab «Điểm danh». "
                                  "Hãy đánh dấu hộ này có mặt, hoặc sửa lại chủ trì, thư ký, rồi hoàn tất biên bản.",
                                  field="attendance")


def check_complete(draft: MeetingDraft) -> None:
    """What final minutes must have, beyond a draft; raises naming the field."""
    check_marked(draft.attendance)
    check_officials_present(draft)
    if not draft.agenda:
        raise ValidationError("Biên bản chưa có nội dung nào.", field="agenda")
    for i, guest in enumerate(draft.guests):
        if not guest.name:
            raise ValidationError(f"Khách mời thứ {i + 1} chưa có tên.", field=f"guests[{i}].name")
    for i, item in enumerate(draft.agenda):
        if not item.title:
            raise ValidationError(f"Nội dung {i + 1} chưa có tiêu đề.", field=f"agenda[{i}].title")
        for j, opinion in enumerate(item.opinions):
            if not opinion.text:
                raise ValidationError(f"Ý kiến thứ {j + 1} của nội dung {i + 1} còn trống.",
                                      field=f"agenda[{i}].opinions[{j}].text")
    check_votes(draft.agenda, present_count(draft.attendance))  # minutes stored before the rule existed


def finalise_draft(session: Session, meeting_id: str) -> int:
    """Check completeness, then number and lock (``finalise_meeting``)."""
    check_complete(load_draft(session, meeting_id))
    return finalise_meeting(session, meeting_id)


def amend(session: Session, meeting_id: str, *, reason: str) -> str:
    """``amend_meeting`` by the session's user."""
    return amend_meeting(session, meeting_id, reason=reason, amended_by=session.info.get("actor"))


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class AmendmentRow:
    id: str
    amended_on: date
    reason: str
    amended_by: str | None
    previous_hash: str | None
    previous_snapshot: dict  # as ``content_snapshot`` gave it
    recorded_at: datetime
    names: dict[str, str]  # household id -> head's name, for the snapshot's ids


def meeting_history(session: Session, meeting_id: str) -> list[AmendmentRow]:
    """The amendments of a meeting, oldest first, each with the version it replaced."""
    get_live(session, Meeting, meeting_id, "cuộc họp")
    rows = _live(session, MeetingAmendment, MeetingAmendment.meeting_id == meeting_id,
                 MeetingAmendment.created_at)
    snapshots = [json.loads(a.previous_snapshot) for a in rows]
    ids = {h for snap in snapshots for h in _household_ids(snap)}
    names = dict(session.exec(select(Household.id, Household.head_name).where(Household.id.in_(ids))).all())
    return [AmendmentRow(a.id, a.amended_on, a.reason, a.amended_by, a.previous_hash, snap, a.created_at,
                         {h: names[h] for h in _household_ids(snap) if h in names})
            for a, snap in zip(rows, snapshots)]


def _household_ids(snapshot: dict) -> set[str]:
    return ({a[0] for a in snapshot.get("attendance", [])}
            | {o[0] for item in snapshot.get("agenda", []) for o in item["opinions"] if o[0]})


def meeting_years(session: Session) -> list[int]:
    """Years that have meetings, and this year; newest first."""
    years = session.exec(select(func.distinct(year_text(Meeting.starts_at)))
                         .where(live(Meeting))).all()
    return sorted({int(y) for y in years if y} | {date.today().year}, reverse=True)
