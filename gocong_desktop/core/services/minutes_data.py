"""What the minutes PDF prints, read once into plain frozen data.

The PDF layer and the GUI get these read models, never ORM rows, so printing can
run after the session closed (ARCHITECTURE.md, rule 3). Text is NFC here; the
PDF layer normalises again because a caller may build a document by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from gocong_desktop.core.db.models import (Account, AdminUnit, AgendaItem, AgendaOpinion, Attendance, AttendanceStatus, Gender,
                         Household, Meeting, MeetingAmendment, MeetingGuest, MeetingKind, MeetingStatus,
                         SelfManagedGroup, live)
from gocong_desktop.core.services.register_criteria import household_on_register
from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.text import nfc, nfc_multiline
from gocong_desktop.core.services.common import get_live
from gocong_desktop.core.services.meetings import content_snapshot
from gocong_desktop.core.services.minutes_changes import Change, snapshot_changes
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
    """One amendment, for the statement the amended minutes print."""

    amended_on: date
    reason: str
    amended_by: str | None  # the account's display name when it is still known, else its user name
    replaced_number: int | None = None  # the number and date the replaced version carried
    replaced_date: date | None = None
    changes: tuple[Change, ...] = ()  # from the replaced version to the next one


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
    superseded_on: date | None = None  # an earlier version: the date of the amendment that replaced it

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


def _speaker(household_id: str | None, speaker_name: str | None, households: dict[str, Household]) -> str:
    household = households.get(household_id or "")
    if household is None:
        return nfc(speaker_name) or "Ý kiến khác"
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
        said = tuple(Opinion(_speaker(o.household_id, o.speaker_name, households), nfc_multiline(o.text))
                     for o in opinions if o.agenda_item_id == item.id)
        votes = (item.votes_for, item.votes_against, item.votes_other)
        lines.append(AgendaLine(title=nfc(item.title), content=nfc_multiline(item.content),
                                conclusion=nfc_multiline(item.conclusion),
                                votes=None if all(v is None for v in votes) else tuple(v or 0 for v in votes),
                                opinions=said))
    return tuple(lines)


def _amendments(session: Session, meeting: Meeting) -> tuple[AmendmentLine, ...]:
    rows = _amendment_rows(session, meeting.id)
    return _amendment_lines(session, rows, content_snapshot(session, meeting.id)) if rows else ()


def _amendment_rows(session: Session, meeting_id: str) -> list[MeetingAmendment]:
    return session.exec(select(MeetingAmendment).where(MeetingAmendment.meeting_id == meeting_id,
                                                       live(MeetingAmendment))
                        .order_by(MeetingAmendment.amended_on, MeetingAmendment.created_at)).all()


def _amendment_lines(session: Session, rows: list[MeetingAmendment], last: dict) -> tuple[AmendmentLine, ...]:
    """Each amendment with what it changed: from the version it replaced to the next
    one (``last``, the version the amendments led to)."""
    versions = [json.loads(a.previous_snapshot) for a in rows] + [last]
    names = _head_names(session, versions)
    people = dict(session.exec(select(Account.username, Account.display_name).where(
        Account.username.in_({a.amended_by for a in rows if a.amended_by}))).all())
    return tuple(AmendmentLine(
        a.amended_on, nfc(a.reason), nfc(people.get(a.amended_by) or a.amended_by),
        replaced_number=old.get("minutes_number"), replaced_date=datetime.fromisoformat(old["starts_at"]).date(),
        changes=tuple(snapshot_changes(old, new, names)))
        for a, old, new in zip(rows, versions, versions[1:]))


def _head_names(session: Session, snapshots: list[dict]) -> dict[str, str]:
    """Household id -> the head's name, for the households the snapshots name."""
    ids = {row[0] for snap in snapshots for row in snap.get("attendance", [])}
    return {h: nfc(name) for h, name in session.exec(
        select(Household.id, Household.head_name).where(Household.id.in_(ids))).all()}


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
        amendments=_amendments(session, m), recipients=_recipients(issuer))


def superseded_minutes_document(session: Session, amendment_id: str) -> MinutesDocument:
    """The version an amendment replaced, as it was printed (with its own code),
    marked as superseded on the amendment's date."""
    amendment = get_live(session, MeetingAmendment, amendment_id, "lần đính chính")
    snap = json.loads(amendment.previous_snapshot)
    issuer = _issuer(session, session.get(SelfManagedGroup, snap["group_id"]))
    earlier = [a for a in _amendment_rows(session, amendment.meeting_id) if a.created_at < amendment.created_at]
    people = {h.id: h for h in _snapshot_households(session, snap)}
    ends_at = snap.get("ends_at")
    return MinutesDocument(
        id=amendment.meeting_id, issuer=issuer, status=MeetingStatus.FINAL, kind=snap["kind"],
        title=nfc(snap.get("title")) or default_title(snap["kind"], issuer),
        minutes_number=snap.get("minutes_number"), minutes_year=snap.get("minutes_year"),
        starts_at=datetime.fromisoformat(snap["starts_at"]),
        ends_at=datetime.fromisoformat(ends_at) if ends_at else None, place=nfc(snap.get("place")),
        chair=_snapshot_person(snap, "chair"), secretary=_snapshot_person(snap, "secretary"),
        guests=tuple(Guest(nfc(n), nfc(r), nfc(o)) for n, r, o in snap["guests"]),
        attendance=_snapshot_attendance(snap, people), agenda=_snapshot_agenda(snap, people),
        closing_conclusion=nfc_multiline(snap.get("closing_conclusion")), content_hash=amendment.previous_hash,
        amendments=_amendment_lines(session, earlier, snap) if earlier else (), recipients=_recipients(issuer),
        superseded_on=amendment.amended_on)


def _snapshot_households(session: Session, snap: dict) -> list[Household]:
    ids = {row[0] for row in snap["attendance"]} | {o[0] for i in snap["agenda"] for o in i["opinions"] if o[0]}
    return session.exec(select(Household).where(Household.id.in_(ids))).all()


def _snapshot_person(snap: dict, who: str) -> Person | None:
    name = snap.get(f"{who}_name")
    return Person(name=nfc(name), role=nfc(snap.get(f"{who}_role"))) if name else None


def _snapshot_attendance(snap: dict, people: dict[str, Household]) -> tuple[AttendanceLine, ...]:
    rows = [r for r in snap["attendance"] if r[0] in people]
    rows.sort(key=lambda r: (people[r[0]].name_sort_key, r[0]))
    return tuple(AttendanceLine(h, nfc(people[h].head_name), nfc(rep), status, nfc(reason))
                 for h, status, reason, rep in rows)


def _snapshot_agenda(snap: dict, people: dict[str, Household]) -> tuple[AgendaLine, ...]:
    return tuple(AgendaLine(
        title=nfc(i["title"]), content=nfc_multiline(i.get("content")), conclusion=nfc_multiline(i.get("conclusion")),
        votes=None if all(v is None for v in i["votes"]) else tuple(v or 0 for v in i["votes"]),
        opinions=tuple(Opinion(_speaker(h, speaker, people), nfc_multiline(t)) for h, speaker, t in i["opinions"]))
        for i in snap["agenda"])


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
