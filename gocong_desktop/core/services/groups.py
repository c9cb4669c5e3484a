"""Self-managed groups (Tổ NDTQ): creation, leader/deputy, retirement."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, Household, SelfManagedGroup, live
from gocong_desktop.core.services.register_criteria import group_active_now, household_on_register
from gocong_desktop.core.errors import ConflictError, NotFoundError, ValidationError
from gocong_desktop.core.text import fold
from gocong_desktop.core.rules import field_rule
from gocong_desktop.core.services.common import clean_text, field_date, field_number, field_text, get_live, where_folded_match


@dataclass(frozen=True)
class GroupRow:
    id: str
    number: int | None
    name: str
    hamlet_id: str
    hamlet_name: str
    households: int
    leader_name: str | None
    deputy_name: str | None
    last_meeting: datetime | None
    active: bool


@dataclass(frozen=True)
class GroupDetails:
    """A group's stored values in form shape, for an edit dialog."""

    id: str
    hamlet_id: str
    number: int | None
    name: str
    founded_date: date | None
    leader_household_id: str | None
    deputy_household_id: str | None
    notes: str | None
    active: bool


def group_details(session: Session, group_id: str) -> GroupDetails:
    g = get_live(session, SelfManagedGroup, group_id, "tổ")
    return GroupDetails(id=g.id, hamlet_id=g.hamlet_id, number=g.number, name=g.name,
                        founded_date=g.founded_date, leader_household_id=g.leader_household_id,
                        deputy_household_id=g.deputy_household_id, notes=g.notes, active=g.active)


def default_group_name(number: int) -> str:
    return f"Tổ NDTQ số {number}"


def _check_officer(session: Session, group_id: str | None, household_id: str | None,
                   field: str, label: str) -> str | None:
    if not household_id:
        return None
    household = get_live(session, Household, household_id, "hộ gia đình")
    if group_id is None or household.group_id != group_id:
        raise ValidationError(f"{label} phải là chủ hộ thuộc tổ.", field=field)
    return household.id


def _check_number_free(session: Session, hamlet_id: str, number: int | None,
                       exclude_id: str | None) -> None:
    if number is None:
        return
    stmt = select(SelfManagedGroup.id).join(AdminUnit, AdminUnit.id == SelfManagedGroup.hamlet_id).where(
        SelfManagedGroup.number == number, group_active_now(),
        AdminUnit.parent_id == select(AdminUnit.parent_id).where(AdminUnit.id == hamlet_id).scalar_subquery())
    if exclude_id:
        stmt = stmt.where(SelfManagedGroup.id != exclude_id)
    if session.exec(stmt).first():
        raise ConflictError(f"Số tổ {number} đã được dùng cho một tổ khác trong xã.", field="number")


def _move_members_to_hamlet(session: Session, group_id: str, hamlet_id: str) -> None:
    for household in session.exec(select(Household).where(Household.group_id == group_id,
                                                           live(Household))).all():
        household.hamlet_id = hamlet_id


def save_group(session: Session, *, hamlet_id: str, number: int | None, name: str | None = None,
               group_id: str | None = None, leader_household_id: str | None = None,
               deputy_household_id: str | None = None, founded_date: date | None = None,
               notes: str | None = None) -> str:
    """Create (no ``group_id``) or update a group; the name defaults from its number."""
    hamlet = get_live(session, AdminUnit, hamlet_id, "ấp")
    number = field_number("self_managed_group", "number", number)
    name = clean_text(name, replace(field_rule("self_managed_group", "name"), required=False), field="name")
    if not name and number is None:
        raise ValidationError("Chưa nhập số tổ hoặc tên tổ.", field="number")
    name = name or default_group_name(number)
    _check_number_free(session, hamlet.id, number, group_id)
    group = get_live(session, SelfManagedGroup, group_id, "tổ") if group_id else None
    if group is None:
        group = SelfManagedGroup(hamlet_id=hamlet.id, name=name)
        session.add(group)
    if group.hamlet_id and group.hamlet_id != hamlet.id:
        _move_members_to_hamlet(session, group.id, hamlet.id)  # a group's households go with it
    group.hamlet_id, group.number, group.name, group.name_fold = hamlet.id, number, name, fold(name)
    group.founded_date = field_date("self_managed_group", "founded_date", founded_date)
    group.notes = field_text("self_managed_group", "notes", notes)
    group.leader_household_id = _check_officer(session, group_id, leader_household_id,
                                               "leader_household_id", "Tổ trưởng")
    group.deputy_household_id = _check_officer(session, group_id, deputy_household_id,
                                               "deputy_household_id", "Tổ phó")
    if group.leader_household_id and group.leader_household_id == group.deputy_household_id:
        raise ValidationError("Tổ trưởng và tổ phó phải là hai hộ khác nhau.", field="deputy_household_id")
    session.flush()
    return group.id


def retire_group(session: Session, group_id: str, *, when: date,
                 move_households_to: str | None = None) -> int:
    """Retire a group; its households move to another group, or are refused."""
    group = get_live(session, SelfManagedGroup, group_id, "tổ")
    members = session.exec(select(Household).where(
        Household.group_id == group.id, household_on_register())).all()
    if members and not move_households_to:
        raise ConflictError(f"{group.name} còn {len(members)} hộ; hãy chọn tổ nhận các hộ này.",
                            field="move_households_to")
    if members:
        target = get_live(session, SelfManagedGroup, move_households_to, "tổ nhận")
        if target.id == group.id or not target.active:
            raise ValidationError("Tổ nhận phải là một tổ khác đang hoạt động.", field="move_households_to")
        for household in members:
            household.group_id, household.hamlet_id = target.id, target.hamlet_id
    group.active, group.retired_date = False, when
    group.leader_household_id = group.deputy_household_id = None
    return len(members)


def list_groups(session: Session, *, hamlet_id: str | None = None, search: str | None = None,
                include_retired: bool = False, not_met_in: date | None = None) -> list[GroupRow]:
    """``not_met_in``: only the groups without a meeting in that day's quarter."""
    from gocong_desktop.core.db.models import Meeting  # for the last meeting: finding a group needs none

    counts = (select(Household.group_id, func.count().label("n"))
              .where(household_on_register())
              .group_by(Household.group_id).subquery())
    last = (select(Meeting.group_id, func.max(Meeting.starts_at).label("last"))
            .where(live(Meeting)).group_by(Meeting.group_id).subquery())
    leader = select(Household.head_name).where(Household.id == SelfManagedGroup.leader_household_id)
    deputy = select(Household.head_name).where(Household.id == SelfManagedGroup.deputy_household_id)
    stmt = (select(SelfManagedGroup, AdminUnit.name, func.coalesce(counts.c.n, 0), last.c.last,
                   leader.scalar_subquery(), deputy.scalar_subquery())
            .join(AdminUnit, AdminUnit.id == SelfManagedGroup.hamlet_id)
            .outerjoin(counts, counts.c.group_id == SelfManagedGroup.id)
            .outerjoin(last, last.c.group_id == SelfManagedGroup.id)
            .where(live(SelfManagedGroup))
            .order_by(SelfManagedGroup.number, SelfManagedGroup.name_fold))
    if hamlet_id:
        stmt = stmt.where(SelfManagedGroup.hamlet_id == hamlet_id)
    if not include_retired:
        stmt = stmt.where(SelfManagedGroup.active.is_(True))
    if not_met_in is not None:
        from gocong_desktop.core.services.figures import group_met, quarter_bounds  # figures builds the pledge tables too

        stmt = stmt.where(~group_met(*quarter_bounds(not_met_in)))
    stmt = where_folded_match(stmt, SelfManagedGroup.name_fold, search)
    return [GroupRow(id=g.id, number=g.number, name=g.name, hamlet_id=g.hamlet_id,
                     hamlet_name=hamlet, households=n, leader_name=lead, deputy_name=dep,
                     last_meeting=last_at, active=g.active)
            for g, hamlet, n, last_at, lead, dep in session.exec(stmt).all()]


@dataclass(frozen=True)
class GroupChoice:
    id: str
    name: str


def group_choices(session: Session, *, hamlet_id: str | None = None) -> list[GroupChoice]:
    """The active groups as a filter or a form lists them (``list_groups``' rows and
    order), without its counts: those read every household and meeting (issue 16:
    134 ms at 50,000 households, on a reader that the page's first visit waited for)."""
    stmt = (select(SelfManagedGroup.id, SelfManagedGroup.name)
            .join(AdminUnit, AdminUnit.id == SelfManagedGroup.hamlet_id)
            .where(live(SelfManagedGroup), SelfManagedGroup.active.is_(True))
            .order_by(SelfManagedGroup.number, SelfManagedGroup.name_fold))
    if hamlet_id:
        stmt = stmt.where(SelfManagedGroup.hamlet_id == hamlet_id)
    return [GroupChoice(group_id, name) for group_id, name in session.exec(stmt).all()]


def find_group(session: Session, text: str) -> str:
    """The id of a group named by its id, or by its number in the commune (an
    active group: a retired one may share its number)."""
    # The groups alone, in the list's order: not the list's counts of households and meetings.
    rows = session.exec(select(SelfManagedGroup.id, SelfManagedGroup.number, SelfManagedGroup.active)
                        .join(AdminUnit, AdminUnit.id == SelfManagedGroup.hamlet_id)
                        .where(live(SelfManagedGroup))
                        .order_by(SelfManagedGroup.number, SelfManagedGroup.name_fold)).all()
    found = [g for g in rows if g.id == text] or [g for g in rows if text.isdigit() and g.number == int(text)
                                                  and g.active]
    if not found:
        raise NotFoundError(f"Không tìm thấy tổ «{text}».")
    return found[0].id
