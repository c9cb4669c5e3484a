"""Hamlets (ấp, khu phố, khóm): the commune's residential areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, SelfManagedGroup, UnitLevel, live
from gocong_desktop.core.services.register_criteria import group_active_now
from gocong_desktop.core.errors import ConflictError, NotFoundError, ValidationError
from gocong_desktop.core.text import fold, sort_key
from gocong_desktop.core.services.common import field_date, field_text, get_live, where_folded_match
from gocong_desktop.core.services.office import get_office


@dataclass(frozen=True)
class HamletRow:
    id: str
    name: str
    unit_type: str
    code: str | None
    valid_to: date | None
    groups: int

    @property
    def display_name(self) -> str:
        return f"{self.unit_type} {self.name}"


def _check_unique(session: Session, commune_id: str, name: str, exclude_id: str | None = None) -> None:
    stmt = select(AdminUnit.name).where(
        AdminUnit.parent_id == commune_id, AdminUnit.level == UnitLevel.HAMLET,
        AdminUnit.name_fold == fold(name), live(AdminUnit),
        AdminUnit.valid_to.is_(None))
    if exclude_id:
        stmt = stmt.where(AdminUnit.id != exclude_id)
    if existing := session.exec(stmt).first():
        raise ConflictError(f"Đã có ấp «{existing}» trong đơn vị.", field="name")


def add_hamlet(session: Session, name: str, *, unit_type: str = "ấp", code: str | None = None) -> str:
    office = get_office(session)
    name = field_text("admin_unit", "name", name, label="tên ấp")
    _check_unique(session, office.unit_id, name)
    unit = AdminUnit(level=UnitLevel.HAMLET, name=name, name_fold=fold(name),
                     unit_type=field_text("admin_unit", "unit_type", unit_type, label="loại khu dân cư"),
                     code=field_text("admin_unit", "code", code, label="mã"),
                     parent_id=office.unit_id)
    session.add(unit)
    session.flush()
    return unit.id


def add_hamlets(session: Session, names: list[str], *, unit_type: str) -> list[str]:
    """All or none: one session, so a duplicate anywhere saves nothing."""
    return [add_hamlet(session, name, unit_type=unit_type) for name in names]


def rename_hamlet(session: Session, hamlet_id: str, name: str) -> None:
    unit = get_live(session, AdminUnit, hamlet_id, "ấp")
    name = field_text("admin_unit", "name", name, label="tên ấp")
    _check_unique(session, unit.parent_id, name, exclude_id=unit.id)
    unit.name, unit.name_fold = name, fold(name)


def retire_hamlet(session: Session, hamlet_id: str, valid_to: date) -> None:
    """Retire (valid-to date); a hamlet is never deleted while it has active groups."""
    unit = get_live(session, AdminUnit, hamlet_id, "ấp")
    active = session.exec(select(func.count()).select_from(SelfManagedGroup).where(
        SelfManagedGroup.hamlet_id == unit.id, group_active_now())).one()
    if active:
        raise ConflictError(f"Ấp {unit.name} còn {active} tổ đang hoạt động; hãy chuyển hoặc "
                            "giải thể các tổ trước.")
    field_date("admin_unit", "valid_to", valid_to)
    if unit.valid_from and valid_to < unit.valid_from:
        raise ValidationError("Ngày hết hiệu lực trước ngày bắt đầu.", field="valid_to")
    unit.valid_to = valid_to


def delete_hamlet(session: Session, hamlet_id: str) -> None:
    unit = get_live(session, AdminUnit, hamlet_id, "ấp")
    used = session.exec(select(func.count()).select_from(SelfManagedGroup).where(
        SelfManagedGroup.hamlet_id == unit.id, live(SelfManagedGroup))).one()
    if used:
        raise ConflictError(f"Không thể xóa ấp {unit.name} vì đang có {used} tổ; "
                            "hãy cho ấp hết hiệu lực thay vì xóa.")
    unit.deleted = True


def list_hamlets(session: Session, *, search: str | None = None,
                 include_retired: bool = False) -> list[HamletRow]:
    office = get_office(session)
    groups = (select(SelfManagedGroup.hamlet_id, func.count().label("n"))
              .where(group_active_now())
              .group_by(SelfManagedGroup.hamlet_id).subquery())
    stmt = (select(AdminUnit, func.coalesce(groups.c.n, 0))
            .outerjoin(groups, groups.c.hamlet_id == AdminUnit.id)
            .where(AdminUnit.parent_id == office.unit_id, AdminUnit.level == UnitLevel.HAMLET,
                   live(AdminUnit)))
    if not include_retired:
        stmt = stmt.where(AdminUnit.valid_to.is_(None))
    stmt = where_folded_match(stmt, AdminUnit.name_fold, search)
    rows = [HamletRow(id=u.id, name=u.name, unit_type=u.unit_type, code=u.code,
                      valid_to=u.valid_to, groups=n) for u, n in session.exec(stmt).all()]
    return sorted(rows, key=lambda r: sort_key(r.name))


def find_hamlet(session: Session, text: str) -> str:
    """The id of a hamlet named by its id, or by its name (marks and case ignored)."""
    rows = list_hamlets(session, include_retired=True)
    found = [h for h in rows if h.id == text] or [h for h in rows if fold(h.name) == fold(text)]
    if not found:
        raise NotFoundError(f"Không tìm thấy ấp «{text}».")
    return found[0].id
