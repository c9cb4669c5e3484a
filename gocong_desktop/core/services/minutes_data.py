"""What the minutes PDF prints, read once into plain frozen data.

The PDF layer and the GUI get these read models, never ORM rows, so printing can
run after the session closed (ARCHITECTURE.md, rule 3). Text is NFC here; the
PDF layer normalises again because a caller may build a document by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from gocong_desktop.core.db.models import (AdminUnit, AgendaItem, AgendaOpinion, Attendance, AttendanceStatus, Gender,
                         Household, Meeting, MeetingAmendment, MeetingGuest, MeetingKind, MeetingStatus,
                         SelfManagedGroup, live)
from gocong_desktop.core.services.register_criteria import household_on_register
from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.text import nfc, nfc_multiline
from gocong_desktop.core.services.common import get_live
from gocong_desktop.core.services.office import get_office


@dataclass(frozen=True)
class Issuer:
    """Who issues the minutes: a group of a hamlet of this commune."""

    unit_type: str  # "xã"
    unit_name: str  # "Bình Tân"
    hamlet_type: str  # "ấp"
    hamlet_name: str  # "Lợi An"
    group_name: str  # "Tổ NDTQ số 5"
    group_number: int | None

    @property
    def parent_body(self) -> str:
        return f"UBND {self.unit_type} {self.unit_name}"

    @property
    def issuing_body(self) -> str:
        return f"{self.group_name} – {self.hamlet_type} {self.hamlet_name}"

    @property
    def group_full_name(self) -> str:
        """"Tổ nhân dân tự quản số 5", as the minutes' text names the group."""
        return f"Tổ nhân dân tự quản số {self.group_number}" if self.group_number else self.group_name

    @property
    def hamlet_display(self) -> str:
        return f"{self.hamlet_type} {self.hamlet_name}"

    @property
    def commune_display(self) -> str:
        return f"{self.unit_type} {self.unit_name}"


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None  # "Tổ trưởng"
    title: str | None = None  # "Ông" / "Bà" when the household's gender is known


@dataclass(frozen=True)
class Guest:
    name: str  # "Đ/c Trần Minh Tâm"
    role: str | None
    organisation: str | None


@dataclass(frozen=True)
class AttendanceLine:
    household_id: str
    head_name: str
    representative: str | None
    status: str  # AttendanceStatus value
    reason: str | None


@dataclass(frozen=True)
class Opinion:
    speaker: str  # "Hộ ông Nguyễn Văn Ba", or a name as typed
    text: str


@dataclass(frozen=True)
class AgendaLine:
    title: str
    content: str | None
    conclusion: str | None
    votes: tuple[int, int, int] | None  # for, against, other
    opinions: tuple[Opinion, ...]


@dataclass(frozen=True)
class AmendmentLine:
    amended_on: date
    reason: str
    amended_by: str | None


@dataclass(frozen=True)
class MinutesDocument:
    id: str
    issuer: Issuer
    status: str  # MeetingStatus value
    kind: str  # MeetingKind value
    title: str  # the summary line under "BIÊN BẢN"
    minutes_number: int | None
    minutes_year: int | None
    starts_at: datetime
    ends_at: datetime | None
    place: str | None
    chair: Person | None
    secretary: Person | None
    guests: tuple[Guest, ...]
    attendance: tuple[AttendanceLine, ...]  # Vietnamese name order
    agenda: tuple[AgendaLine, ...]
    closing_conclusion: str | None
    content_hash: str | None
    amendments: tuple[AmendmentLine, ...]
    recipients: tuple[str, ...]  # "Nơi nhận", without dashes and final punctuation

    @property
    def is_final(self) -> bool:
        return self.status == MeetingStatus.FINAL and bool(self.content_hash)

    def count(self, status: str) -> int:
        return sum(1 for a in self.attendance if a.status == status)

    @property
    def present(self) -> int:
        return self.count(AttendanceStatus.PRESENT)


@dataclass(frozen=True)
class BlankHousehold:
    household_id: str
    head_name: str


@dataclass(frozen=True)
class BlankMinutesDocument:
    """A form to fill by hand at the meeting, typed in afterwards."""

    group_id: str
    issuer: Issuer
    households: tuple[BlankHousehold, ...]  # active households, Vietnamese name order
    recipients: tuple[str, ...]


def _issuer(session: Session, group: SelfManagedGroup) -> Issuer:
    office = get_office(session)
    hamlet = session.get(AdminUnit, group.hamlet_id)
    return Issuer(unit_type=office.unit_type, unit_name=nfc(office.unit_name),
                  hamlet_type=hamlet.unit_type, hamlet_name=nfc(hamlet.name),
                  group_name=nfc(group.name), group_number=group.number)


def _recipients(issuer: Issuer) -> tuple[str, ...]:
    return (f"Ban nhân dân {issuer.hamlet_display}", f"Công an {issuer.commune_display}",
            "Lưu: Hồ sơ Tổ")


def _title_word(gender: str | None) -> str | None:
    return {Gender.MALE: "ông", Gender.FEMALE: "bà"}.get(gender)


def _person(session: Session, name: str | None, role: str | None, household_id: str | None) -> Person | None:
    if not name:
        return None
    household = session.get(Household, household_id) if household_id else None
    title = _title_word(household.gender) if household else None
    return Person(name=nfc(name), role=nfc(role), title=title.capitalize() if title else None)


def _attendance(session: Session, meeting_id: str) -> tuple[AttendanceLine, ...]:
    rows = session.exec(select(Attendance, Household.head_name)
                        .join(Household, Household.id == Attendance.household_id)
                        .where(Attendance.meeting_id == meeting_id, live(Attendance))
                        .order_by(Household.name_sort_key, Household.id)).all()
    return tuple(AttendanceLine(household_id=a.household_id, head_name=nfc(name),
                                representative=nfc(a.representative), status=a.status,
                                reason=nfc(a.reason)) for a, name in rows)


def _speaker(opinion: AgendaOpinion, households: dict[str, Household]) -> str:
    household = households.get(opinion.household_id or "")
    if household is None:
        return nfc(opinion.speaker_name) or "Ý kiến khác"
    title = _title_word(household.gender)
    return f"Hộ {title} {nfc(household.head_name)}" if title else f"Hộ {nfc(household.head_name)}"


def _agenda(session: Session, meeting_id: str) -> tuple[AgendaLine, ...]:
    items = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id,
                                                  live(AgendaItem))
                         .order_by(AgendaItem.position)).all()
    opinions = session.exec(select(AgendaOpinion).where(
        AgendaOpinion.agenda_item_id.in_([i.id for i in items]), live(AgendaOpinion))
        .order_by(AgendaOpinion.position)).all()
    speaker_ids = {o.household_id for o in opinions if o.household_id}
    households = {h.id: h for h in session.exec(select(Household).where(Household.id.in_(speaker_ids)))}
    lines = []
    for item in items:
        said = tuple(Opinion(_speaker(o, households), nfc_multiline(o.text))
                     for o in opinions if o.agenda_item_id == item.id)
        votes = (item.votes_for, item.votes_against, item.votes_other)
        lines.append(AgendaLine(title=nfc(item.title), content=nfc_multiline(item.content),
                                conclusion=nfc_multiline(item.conclusion),
                                votes=None if all(v is None for v in votes) else tuple(v or 0 for v in votes),
                                opinions=said))
    return tuple(lines)


def _amendments(session: Session, meeting_id: str) -> tuple[AmendmentLine, ...]:
    rows = session.exec(select(MeetingAmendment).where(MeetingAmendment.meeting_id == meeting_id,
                                                       live(MeetingAmendment))
                        .order_by(MeetingAmendment.amended_on, MeetingAmendment.created_at)).all()
    return tuple(AmendmentLine(a.amended_on, nfc(a.reason), nfc(a.amended_by)) for a in rows)


def default_title(kind: str, issuer: Issuer) -> str:
    """Summary line when none was typed: "Sinh hoạt Tổ nhân dân tự quản số 5"."""
    if kind == MeetingKind.EXTRA:
        return f"Họp đột xuất {issuer.group_full_name}"
    return f"Sinh hoạt {issuer.group_full_name}"


def minutes_document(session: Session, meeting_id: str) -> MinutesDocument:
    m = get_live(session, Meeting, meeting_id, "cuộc họp")
    issuer = _issuer(session, session.get(SelfManagedGroup, m.group_id))
    guests = session.exec(select(MeetingGuest).where(MeetingGuest.meeting_id == m.id,
                                                     live(MeetingGuest))
                          .order_by(MeetingGuest.position)).all()
    return MinutesDocument(
        id=m.id, issuer=issuer, status=m.status, kind=m.kind,
        title=nfc(m.title) or default_title(m.kind, issuer),
        minutes_number=m.minutes_number, minutes_year=m.minutes_year,
        starts_at=m.starts_at, ends_at=m.ends_at, place=nfc(m.place),
        chair=_person(session, m.chair_name, m.chair_role, m.chair_household_id),
        secretary=_person(session, m.secretary_name, m.secretary_role, m.secretary_household_id),
        guests=tuple(Guest(nfc(g.name), nfc(g.role), nfc(g.organisation)) for g in guests),
        attendance=_attendance(session, m.id), agenda=_agenda(session, m.id),
        closing_conclusion=nfc_multiline(m.closing_conclusion),
        content_hash=m.content_hash if m.status == MeetingStatus.FINAL else None,
        amendments=_amendments(session, m.id), recipients=_recipients(issuer))


def blank_minutes_document(session: Session, group_id: str) -> BlankMinutesDocument:
    group = get_live(session, SelfManagedGroup, group_id, "tổ")
    if not group.active:
        raise ConflictError(f"{group.name} đã ngừng hoạt động; không in mẫu biên bản.")
    issuer = _issuer(session, group)
    rows = session.exec(select(Household.id, Household.head_name).where(
        Household.group_id == group.id, household_on_register())
        .order_by(Household.name_sort_key, Household.id)).all()
    return BlankMinutesDocument(group_id=group.id, issuer=issuer,
                                households=tuple(BlankHousehold(i, nfc(n)) for i, n in rows),
                                recipients=_recipients(issuer))
