"""One commune's records as the upper office holds them (read-only view):
groups, households (citizen IDs masked) and meetings, by owner unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, Household, Meeting, MeetingStatus, SelfManagedGroup, live
from gocong_desktop.core.text import mask_citizen_id, sort_key


@dataclass(frozen=True)
class GroupLine:
    name: str
    hamlet: str
    founded: date | None
    active: bool


@dataclass(frozen=True)
class HouseholdLine:
    head_name: str
    hamlet: str
    group: str
    members: int
    citizen_id: str  # masked
    moved_out: date | None


@dataclass(frozen=True)
class MeetingLine:
    starts_at: datetime
    group: str
    title: str
    final: bool


def commune_records(session: Session, unit_id: str) -> tuple[list, list, list]:
    """(groups, households, meetings) of one commune, deleted records left out."""
    hamlet = aliased(AdminUnit)
    groups = [GroupLine(g.name, h, g.founded_date, g.active) for g, h in session.exec(
        select(SelfManagedGroup, hamlet.name).join(hamlet, hamlet.id == SelfManagedGroup.hamlet_id)
        .where(SelfManagedGroup.owner_unit_id == unit_id, live(SelfManagedGroup))).all()]
    households = [HouseholdLine(x.head_name, h, g or "", x.members, mask_citizen_id(x.citizen_id or ""),
                                x.moved_out_date) for x, h, g in session.exec(
        select(Household, hamlet.name, SelfManagedGroup.name).join(hamlet, hamlet.id == Household.hamlet_id)
        .outerjoin(SelfManagedGroup, SelfManagedGroup.id == Household.group_id)
        .where(Household.owner_unit_id == unit_id, live(Household))).all()]
    meetings = [MeetingLine(m.starts_at, g, m.title or "", m.status == MeetingStatus.FINAL) for m, g in session.exec(
        select(Meeting, SelfManagedGroup.name).join(SelfManagedGroup, SelfManagedGroup.id == Meeting.group_id)
        .where(Meeting.owner_unit_id == unit_id, live(Meeting))).all()]
    # Sorted on every field shown: rows alike in name come in the same order from any store
    # (a file and a server return them in orders of their own).
    return (sorted(groups, key=lambda r: (sort_key(r.hamlet), sort_key(r.name), r.founded or date.min, r.active)),
            sorted(households, key=_household_order),
            sorted(sorted(meetings, key=lambda r: (sort_key(r.group), sort_key(r.title), r.final)),
                   key=lambda r: r.starts_at, reverse=True))  # newest first (a stable sort keeps the rest)


def _household_order(r: HouseholdLine) -> tuple:
    return (sort_key(r.head_name), sort_key(r.hamlet), sort_key(r.group), r.members, r.citizen_id,
            r.moved_out or date.min)
