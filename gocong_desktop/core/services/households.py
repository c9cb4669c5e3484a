"""The household register: validation, paged lists sorted and searched in SQL."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import case, func
from sqlmodel import Session, select

from gocong_desktop.core.db.access import can_write, is_admin, role_of
from gocong_desktop.core.db.models import AdminUnit, Household, SelfManagedGroup, live
from gocong_desktop.core.db.portable import text_position
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.text import citizen_id_error, mask_citizen_id, normalize_phone, phone_error
from gocong_desktop.core.rules import field_rule
from gocong_desktop.core.services.common import field_choice, field_date, field_number, field_text, folded_match, get_live, marked_match, where_folded_match
from gocong_desktop.core.services.pledges import join_open_campaigns
from gocong_desktop.core.services.search_keys import household_search_fold, household_sort_key

MIN_BIRTH_YEAR = field_rule("household", "birth_year").low
MAX_MEMBERS = field_rule("household", "members").upper


@dataclass
class HouseholdInput:
    """What a form or the CLI submits; every field is checked by ``validate``."""

    head_name: str
    hamlet_id: str
    group_id: str | None = None
    birth_year: int | None = None
    gender: str | None = None
    address: str | None = None
    members: int = 1
    phone: str | None = None
    citizen_id: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    head_name: str
    birth_year: int | None
    gender: str | None
    address: str | None
    hamlet_id: str
    hamlet_name: str
    group_id: str | None
    group_name: str | None
    members: int
    phone: str | None
    citizen_id_masked: str
    moved_out_date: date | None


def validate(session: Session, data: HouseholdInput) -> dict:
    """Checked, normalised column values; raises ValidationError naming the field."""
    values = {column: field_text("household", column, getattr(data, column))
              for column in ("head_name", "address", "notes")}
    values.update({column: field_number("household", column, getattr(data, column))
                   for column in ("birth_year", "members")})
    values["gender"] = data.gender and field_choice("household", "gender", data.gender,
                                                    message="Giới tính phải là «nam» hoặc «nu».") or None
    phone = normalize_phone(data.phone or "")
    if message := phone_error(phone):
        raise ValidationError(message, field="phone")
    values["phone"] = phone or None
    cid = (data.citizen_id or "").strip()
    if message := citizen_id_error(cid):
        raise ValidationError(message, field="citizen_id")
    values["citizen_id"] = cid or None
    hamlet = get_live(session, AdminUnit, data.hamlet_id, "ấp")
    values["hamlet_id"] = hamlet.id
    values["group_id"] = None
    if data.group_id:
        group = get_live(session, SelfManagedGroup, data.group_id, "tổ")
        if group.hamlet_id != hamlet.id:
            raise ValidationError(f"{group.name} không thuộc ấp {hamlet.name}.", field="group_id")
        values["group_id"] = group.id
    values["name_sort_key"] = household_sort_key(values["head_name"])
    values["search_fold"] = household_search_fold(values["head_name"], values["address"], values["phone"])
    return values


def create_household(session: Session, data: HouseholdInput) -> str:
    household = add_household(session, data)
    session.flush()
    join_open_campaigns(session, household.id)  # a household added mid-campaign is asked too
    return household.id


def add_household(session: Session, data: HouseholdInput, *, checked: dict | None = None) -> Household:
    """Validated and added, not yet flushed nor joined to open campaigns: an import
    adds thousands, then flushes and joins them together (``join_open_campaigns``).
    ``checked``: what ``validate`` gave for ``data`` in this session (an import
    checks every row before it writes one)."""
    values = dict(checked) if checked is not None else validate(session, data)
    if not is_admin(session):
        values["notes"] = None  # notes on people: administrators only
    household = Household(**values)
    session.add(household)
    return household


def update_household(session: Session, household_id: str, data: HouseholdInput) -> None:
    household = get_live(session, Household, household_id, "hộ gia đình")
    values = validate(session, data)
    if not is_admin(session):
        del values["notes"]  # not shown to this role, so kept as stored
    if values["group_id"] != household.group_id:
        _step_down(session, household)
    for key, value in values.items():
        setattr(household, key, value)


def _step_down(session: Session, household: Household) -> None:
    """A household leaving its group (or deleted) is no longer its leader or deputy:
    ``check`` requires both to be households of the group."""
    group = session.get(SelfManagedGroup, household.group_id) if household.group_id else None
    if group is not None:
        if group.leader_household_id == household.id:
            group.leader_household_id = None
        if group.deputy_household_id == household.id:
            group.deputy_household_id = None


def household_input(session: Session, household_id: str) -> HouseholdInput:
    """The stored values in form shape, for an edit dialog (notes only for administrators;
    the CCCD in full only for those who may change it: a viewer sees it masked, as in lists)."""
    household = get_live(session, Household, household_id, "hộ gia đình")
    values = {f.name: getattr(household, f.name) for f in fields(HouseholdInput)}
    if not is_admin(session):
        values["notes"] = None
    if not can_write(role_of(session)) and household.citizen_id:
        values["citizen_id"] = mask_citizen_id(household.citizen_id)
    return HouseholdInput(**values)


def move_household(session: Session, household_id: str, group_id: str) -> None:
    """Move to another group (possibly in another hamlet)."""
    household = get_live(session, Household, household_id, "hộ gia đình")
    group = get_live(session, SelfManagedGroup, group_id, "tổ")
    if group.id != household.group_id:
        _step_down(session, household)
    household.group_id, household.hamlet_id = group.id, group.hamlet_id


def mark_moved_out(session: Session, household_id: str, when: date) -> None:
    """Kept for history (meetings, pledges), hidden from lists by default."""
    household = get_live(session, Household, household_id, "hộ gia đình")
    household.moved_out_date = field_date("household", "moved_out_date", when)


def delete_household(session: Session, household_id: str) -> None:
    household = get_live(session, Household, household_id, "hộ gia đình")
    _step_down(session, household)
    household.deleted = True


# ---- lists -----------------------------------------------------------------

SORTABLE = {
    "name": Household.name_sort_key,
    "birth_year": Household.birth_year,
    "address": Household.address,
    "members": Household.members,
    "hamlet": AdminUnit.name_fold,
    "group": SelfManagedGroup.number,
}


# The name part of search_fold (everything before the first " | ").
_folded_name = func.substr(Household.search_fold, 1,
                           text_position(Household.search_fold.concat(" |"), " |") - 1)


def _filtered(stmt, *, search, hamlet_id, group_id, include_moved):
    stmt = stmt.where(live(Household))
    if not include_moved:
        stmt = stmt.where(Household.moved_out_date.is_(None))
    if hamlet_id:
        stmt = stmt.where(Household.hamlet_id == hamlet_id)
    if group_id:
        stmt = stmt.where(Household.group_id == group_id)
    return where_folded_match(stmt, Household.search_fold, search)


def count_households(session: Session, *, search: str | None = None, hamlet_id: str | None = None,
                     group_id: str | None = None, include_moved: bool = False) -> int:
    stmt = _filtered(select(func.count()).select_from(Household), search=search,
                     hamlet_id=hamlet_id, group_id=group_id, include_moved=include_moved)
    return session.exec(stmt).one()


def list_households(session: Session, *, search: str | None = None, hamlet_id: str | None = None,
                    group_id: str | None = None, include_moved: bool = False,
                    order_by: str = "name", descending: bool = False,
                    offset: int = 0, limit: int | None = None) -> list[HouseholdRow]:
    """One page of households, sorted in SQL (Vietnamese order for names)."""
    stmt = (select(Household, AdminUnit.name, SelfManagedGroup.name)
            .join(AdminUnit, AdminUnit.id == Household.hamlet_id)
            .outerjoin(SelfManagedGroup, SelfManagedGroup.id == Household.group_id))
    stmt = _filtered(stmt, search=search, hamlet_id=hamlet_id, group_id=group_id,
                     include_moved=include_moved)
    column = SORTABLE.get(order_by, Household.name_sort_key)
    if order_by == "name":
        stmt = _best_names_first(stmt, search)
    stmt = stmt.order_by(column.desc() if descending else column.asc())
    if column is not Household.name_sort_key:  # within a hamlet, a group, a year: by name
        stmt = stmt.order_by(Household.name_sort_key)
    stmt = stmt.order_by(Household.id)  # equal names: always the same order, page after page
    stmt = stmt.offset(offset).limit(limit) if limit is not None else stmt.offset(offset)
    return [_row(h, hamlet, group) for h, hamlet, group in session.exec(stmt).all()]


def _best_names_first(stmt, search: str | None):
    """Names spelled as typed, marks and all ("Ánh", not "Anh"), then other names
    that match, then those whose address does."""
    if (name_hit := folded_match(_folded_name, search)) is None:
        return stmt
    if (exact := marked_match(Household.head_name, search)) is not None:
        stmt = stmt.order_by(case((exact, 0), else_=1))
    return stmt.order_by(case((name_hit, 0), else_=1))


def _row(h: Household, hamlet_name: str, group_name: str | None) -> HouseholdRow:
    return HouseholdRow(id=h.id, head_name=h.head_name, birth_year=h.birth_year, gender=h.gender,
                        address=h.address, hamlet_id=h.hamlet_id, hamlet_name=hamlet_name,
                        group_id=h.group_id, group_name=group_name, members=h.members,
                        phone=h.phone, citizen_id_masked=mask_citizen_id(h.citizen_id or ""),
                        moved_out_date=h.moved_out_date)
