"""The administrative tree over time: which units merged into which.

Old records keep the unit they were written under; a successor link lets the
upper office add up a 2024 commune's history under its 2025 merged commune.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from gocong_desktop.core.db.models import DEFAULT_UNIT_TYPE, AdminUnit, UnitLevel, UnitSuccession
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.text import fold
from gocong_desktop.core.services.common import field_date, field_text, get_live


@dataclass(frozen=True)
class UnitRow:
    id: str
    level: str
    unit_type: str
    name: str
    code: str | None
    parent_id: str | None
    valid_from: date | None
    valid_to: date | None


def _row(u: AdminUnit) -> UnitRow:
    return UnitRow(u.id, u.level, u.unit_type, u.name, u.code, u.parent_id, u.valid_from, u.valid_to)


def add_unit(session: Session, *, level: str, name: str, parent_id: str | None = None,
             unit_type: str | None = None, code: str | None = None,
             valid_from: date | None = None) -> str:
    if level not in list(UnitLevel):
        raise ValidationError("Cấp đơn vị hành chính không hợp lệ.", field="level")
    if parent_id:
        get_live(session, AdminUnit, parent_id, "đơn vị cấp trên")
    name = field_text("admin_unit", "name", name)
    unit = AdminUnit(level=level, name=name, name_fold=fold(name), parent_id=parent_id,
                     unit_type=field_text("admin_unit", "unit_type", unit_type, required=False)
                     or DEFAULT_UNIT_TYPE[UnitLevel(level)],
                     code=field_text("admin_unit", "code", code, label="mã"),
                     valid_from=field_date("admin_unit", "valid_from", valid_from))
    session.add(unit)
    session.flush()
    return unit.id


def record_merge(session: Session, old_unit_ids: list[str], new_unit_id: str, *,
                 effective_date: date, legal_basis: str | None = None) -> None:
    """``old_unit_ids`` merged into ``new_unit_id``: they stop being valid the day before."""
    new = get_live(session, AdminUnit, new_unit_id, "đơn vị mới")
    for old_id in old_unit_ids:
        old = get_live(session, AdminUnit, old_id, "đơn vị cũ")
        if old.id == new.id:
            raise ValidationError("Đơn vị không thể sáp nhập vào chính nó.", field="new_unit_id")
        if old.valid_to is None or old.valid_to >= effective_date:
            old.valid_to = date.fromordinal(effective_date.toordinal() - 1)
        session.add(UnitSuccession(old_unit_id=old.id, new_unit_id=new.id,
                                   effective_date=effective_date,
                                   legal_basis=field_text("unit_succession", "legal_basis", legal_basis)))
    session.flush()


def successors(session: Session, unit_id: str) -> list[UnitRow]:
    """The unit(s) this one was merged into, directly."""
    stmt = (select(AdminUnit).join(UnitSuccession, UnitSuccession.new_unit_id == AdminUnit.id)
            .where(UnitSuccession.old_unit_id == unit_id))
    return [_row(u) for u in session.exec(stmt).all()]


def current_units(session: Session, unit_id: str) -> list[UnitRow]:
    """Follow merges to the units valid today (a unit not merged is its own answer)."""
    seen, frontier, result = set(), [unit_id], []
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        nxt = successors(session, current)
        if nxt:
            frontier.extend(u.id for u in nxt)
        else:
            result.append(_row(get_live(session, AdminUnit, current, "đơn vị")))
    return result
