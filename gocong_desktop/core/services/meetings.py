"""Group meetings: a new draft with its attendance, finalising with a minutes
number, amending final minutes, the hashed content, the list.

Editing a draft's content (header, guests, attendance, agenda) has one API, the
editor's: ``meeting_drafts.load_draft``/``save_draft``, which builds on these."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import case, func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import (AdminUnit, AgendaItem, AgendaOpinion, Attendance, AttendanceStatus,
                         Household, Meeting, MeetingAmendment, MeetingGuest, MeetingKind, MeetingStatus,
                         SelfManagedGroup, utcnow, live)
from gocong_desktop.core.services.register_criteria import household_on_register
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services.common import field_date, field_text, get_live, where_folded_match


@dataclass(frozen=True)
class MeetingRow:
    id: str
    group_id: str
    group_name: str
    hamlet_name: str
    kind: str
    starts_at: datetime
    place: str | None
    status: str
    minutes_number: int | None
    minutes_year: int | None
    present: int
    total: int


def _editable(session: Session, meeting_id: str) -> Meeting:
    meeting = get_live(session, Meeting, meeting_id, "cuộc họp")
    if meeting.status == MeetingStatus.FINAL:
        raise ConflictError("Biên bản đã hoàn tất; chỉ sửa được bằng cách lập đính chính có lý do.")
    return meeting


def create_meeting(session: Session, *, group_id: str, starts_at: datetime,
                   kind: str = MeetingKind.REGULAR, ends_at: datetime | None = None,
                   place: str | None = None, title: str | None = None,
                   attendance: str = AttendanceStatus.UNMARKED) -> str:
    """A draft meeting with an attendance row for every household of the group, in
    status ``attendance``: not yet marked for a meeting about to be held (the roll call
    marks them), present for minutes copied from a paper record."""
    group = get_live(session, SelfManagedGroup, group_id, "tổ")
    if kind not in list(MeetingKind):
        raise ValidationError("Loại cuộc họp phải là định kỳ hoặc đột xuất.", field="kind")
    if attendance not in list(AttendanceStatus):
        raise ValidationError("Trạng thái tham dự không hợp lệ.", field="attendance")
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError("Giờ kết thúc phải sau giờ bắt đầu.", field="ends_at")
    field_date("meeting", "starts_at", starts_at)
    field_date("meeting", "ends_at", ends_at)
    meeting = Meeting(group_id=group.id, kind=kind, starts_at=starts_at, ends_at=ends_at,
                      place=field_text("meeting", "place", place), title=field_text("meeting", "title", title))
    session.add(meeting)
    session.flush()
    households = session.exec(select(Household.id).where(
        Household.group_id == group.id, household_on_register())).all()
    for household_id in households:
        session.add(Attendance(meeting_id=meeting.id, household_id=household_id, status=attendance))
    session.flush()
    return meeting.id


def same_day_meetings(session: Session, group_id: str, day: date, *,
                      other_than: str | None = None) -> list[datetime]:
    """When the group's other meetings of ``day`` start (a second one is usually typed twice
    by mistake, but may be real: the caller warns, it does not refuse)."""
    first, last = datetime.combine(day, datetime.min.time()), datetime.combine(day, datetime.max.time())
    stmt = select(Meeting.starts_at).where(Meeting.group_id == group_id, live(Meeting),
                                           Meeting.starts_at.between(first, last))
    if other_than:
        stmt = stmt.where(Meeting.id != other_than)
    return list(session.exec(stmt.order_by(Meeting.starts_at)).all())


def check_attendee(session: Session, meeting: Meeting, household_id: str, *, field: str = "household_id") -> None:
    """A household added to a meeting's attendance belongs to the meeting's group
    (``check`` requires it; a household that moved keeps the rows it already has)."""
    household = get_live(session, Household, household_id, "hộ gia đình")
    if household.group_id != meeting.group_id:
        raise ValidationError(f"Hộ «{household.head_name}» không thuộc tổ của cuộc họp.", field=field)


def unmarked_households(session: Session, meeting_id: str) -> list[str]:
    """Heads of the households whose attendance is not marked yet, in the list's order."""
    return list(session.exec(select(Household.head_name).join(Attendance, Attendance.household_id == Household.id)
                             .where(Attendance.meeting_id == meeting_id, live(Attendance),
                                    Attendance.status == AttendanceStatus.UNMARKED)
                             .order_by(Household.name_sort_key, Household.id)).all())


def unmarked_message(names: list[str]) -> str:
    shown = ", ".join(names[:3]) + (f" và {len(names) - 3} hộ khác" if len(names) > 3 else "")
    return (f"Còn {len(names)} hộ chưa điểm danh ({shown}). Hãy đánh dấu có mặt hoặc vắng cho mọi hộ "
            "ở tab «Điểm danh» rồi hoàn tất biên bản.")


def check_all_marked(session: Session, meeting_id: str) -> None:
    """Final minutes say of every household whether it came: none may be left unmarked."""
    if names := unmarked_households(session, meeting_id):
        raise ValidationError(unmarked_message(names), field="attendance")


# The meeting's own fields in the hashed content (plus id and the two times).
_SNAPSHOT_FIELDS = ("group_id", "kind", "title", "place", "chair_name", "chair_role", "secretary_name",
                    "secretary_role", "closing_conclusion", "minutes_number", "minutes_year")


def snapshot_from_rows(meeting: Mapping[str, Any], guests: Iterable[Sequence],
                       attendance: Iterable[Sequence], agenda: Iterable[Sequence]) -> dict:
    """The minutes' content as plain JSON-able data, from plain values.

    The one definition of what is hashed: ``content_snapshot`` feeds it rows read
    from the database and the demo generator its rows in memory, so both hashes agree.
    ``meeting`` maps the fields above plus ``id``, ``starts_at`` and ``ends_at``;
    ``guests`` are (name, role, organisation) in order; ``attendance`` rows are
    (household id, status, reason, representative) in any order; ``agenda`` items are
    (title, content, conclusion, (for, against, other), opinions) in order, each
    opinion (household id, speaker name, text).
    """
    snap = {k: meeting[k] for k in _SNAPSHOT_FIELDS}
    ends_at = meeting["ends_at"]
    snap.update(id=meeting["id"], starts_at=meeting["starts_at"].isoformat(),
                ends_at=ends_at.isoformat() if ends_at else None)
    snap["guests"] = [[name, role, organisation] for name, role, organisation in guests]
    snap["attendance"] = sorted([h, status, reason, rep] for h, status, reason, rep in attendance)
    snap["agenda"] = [{"title": title, "content": content, "conclusion": conclusion, "votes": list(votes),
                       "opinions": [[h, speaker, text] for h, speaker, text in opinions]}
                      for title, content, conclusion, votes, opinions in agenda]
    return snap


def content_snapshot(session: Session, meeting_id: str) -> dict:
    """Everything the minutes say, as plain JSON-able data (hashed when final)."""
    m = get_live(session, Meeting, meeting_id, "cuộc họp")
    fields = {k: getattr(m, k) for k in (*_SNAPSHOT_FIELDS, "id", "starts_at", "ends_at")}
    guests = session.exec(select(MeetingGuest.name, MeetingGuest.role, MeetingGuest.organisation)
                          .where(MeetingGuest.meeting_id == m.id, live(MeetingGuest))
                          .order_by(MeetingGuest.position)).all()
    # Tombstoned rows are not part of the minutes: the hash covers what is printed.
    attendance = session.exec(select(Attendance.household_id, Attendance.status, Attendance.reason,
                                     Attendance.representative)
                              .where(Attendance.meeting_id == m.id, live(Attendance))).all()
    items = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == m.id,
                         live(AgendaItem)).order_by(AgendaItem.position)).all()
    agenda = [(i.title, i.content, i.conclusion, (i.votes_for, i.votes_against, i.votes_other),
               session.exec(select(AgendaOpinion.household_id, AgendaOpinion.speaker_name,
                                   AgendaOpinion.text)
                            .where(AgendaOpinion.agenda_item_id == i.id, live(AgendaOpinion))
                            .order_by(AgendaOpinion.position)).all()) for i in items]
    return snapshot_from_rows(fields, guests, attendance, agenda)


def content_hash(snapshot: dict) -> str:
    data = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def finalise_meeting(session: Session, meeting_id: str) -> int:
    """Number the minutes (per group per year) and lock the record."""
    meeting = _editable(session, meeting_id)
    if not meeting.chair_name or not meeting.secretary_name:
        raise ValidationError("Chưa nhập chủ trì và thư ký; chưa thể hoàn tất biên bản.",
                              field="chair_name")
    check_all_marked(session, meeting.id)
    if meeting.minutes_number is None:  # an amended record keeps its number
        year = meeting.starts_at.year
        last = session.exec(select(func.max(Meeting.minutes_number)).where(
            Meeting.group_id == meeting.group_id, Meeting.minutes_year == year)).one()
        meeting.minutes_number, meeting.minutes_year = (last or 0) + 1, year
    meeting.status, meeting.finalised_at = MeetingStatus.FINAL, utcnow()
    session.flush()
    meeting.content_hash = content_hash(content_snapshot(session, meeting.id))
    return meeting.minutes_number


def amend_meeting(session: Session, meeting_id: str, *, reason: str,
                  amended_by: str | None = None) -> str:
    """Reopen final minutes for correction; the replaced version is kept with the reason."""
    meeting = get_live(session, Meeting, meeting_id, "cuộc họp")
    if meeting.status != MeetingStatus.FINAL:
        raise ConflictError("Biên bản chưa hoàn tất; có thể sửa trực tiếp.")
    amendment = MeetingAmendment(
        meeting_id=meeting.id, amended_on=date.today(),
        reason=field_text("meeting_amendment", "reason", reason),
        amended_by=field_text("meeting_amendment", "amended_by", amended_by),
        previous_hash=meeting.content_hash,
        previous_snapshot=json.dumps(content_snapshot(session, meeting.id), ensure_ascii=False))
    session.add(amendment)
    meeting.status, meeting.content_hash = MeetingStatus.DRAFT, None
    session.flush()
    return amendment.id


def _meetings_filtered(stmt, *, group_id: str | None, hamlet_id: str | None, status: str | None,
                       since: date | None, until: date | None, search: str | None):
    stmt = stmt.where(live(Meeting))
    if group_id:
        stmt = stmt.where(Meeting.group_id == group_id)
    if hamlet_id:
        stmt = stmt.where(SelfManagedGroup.hamlet_id == hamlet_id)
    if status:
        stmt = stmt.where(Meeting.status == status)
    if since:
        stmt = stmt.where(Meeting.starts_at >= datetime.combine(since, datetime.min.time()))
    if until:
        stmt = stmt.where(Meeting.starts_at <= datetime.combine(until, datetime.max.time()))
    return where_folded_match(stmt, SelfManagedGroup.name_fold, search)


def list_meetings(session: Session, *, group_id: str | None = None, hamlet_id: str | None = None,
                  status: str | None = None, since: date | None = None, until: date | None = None,
                  search: str | None = None, offset: int = 0, limit: int | None = None) -> list[MeetingRow]:
    """Newest first, with attendance counts; ``offset``/``limit``: one page of that order
    (the attendance of that page only is counted)."""
    order = (Meeting.starts_at.desc(), Meeting.id)
    page = (_meetings_filtered(select(Meeting.id).join(SelfManagedGroup, SelfManagedGroup.id == Meeting.group_id),
                               group_id=group_id, hamlet_id=hamlet_id, status=status, since=since,
                               until=until, search=search)
            .order_by(*order).offset(offset).limit(limit).subquery())
    counts = (select(Attendance.meeting_id,
                     func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)).label("p"),
                     func.count().label("t"))
              .where(live(Attendance), Attendance.meeting_id.in_(select(page.c.id)))
              .group_by(Attendance.meeting_id).subquery())
    stmt = (select(Meeting, SelfManagedGroup.name, AdminUnit.name,
                   func.coalesce(counts.c.p, 0), func.coalesce(counts.c.t, 0))
            .join(page, page.c.id == Meeting.id)
            .join(SelfManagedGroup, SelfManagedGroup.id == Meeting.group_id)
            .join(AdminUnit, AdminUnit.id == SelfManagedGroup.hamlet_id)
            .outerjoin(counts, counts.c.meeting_id == Meeting.id)
            .order_by(*order))
    return [MeetingRow(id=m.id, group_id=m.group_id, group_name=g, hamlet_name=h, kind=m.kind,
                       starts_at=m.starts_at, place=m.place, status=m.status,
                       minutes_number=m.minutes_number, minutes_year=m.minutes_year,
                       present=p, total=t) for m, g, h, p, t in session.exec(stmt).all()]


def count_meetings(session: Session, *, group_id: str | None = None, hamlet_id: str | None = None,
                   status: str | None = None, since: date | None = None, until: date | None = None,
                   search: str | None = None) -> int:
    """How many meetings ``list_meetings`` lists with the same filters."""
    stmt = select(func.count()).select_from(Meeting).join(SelfManagedGroup, SelfManagedGroup.id == Meeting.group_id)
    return session.exec(_meetings_filtered(stmt, group_id=group_id, hamlet_id=hamlet_id, status=status,
                                           since=since, until=until, search=search)).one()
