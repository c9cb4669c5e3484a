"""Setting up this office: its role, its unit in the administrative tree, and
the upper office that receives its sync files."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from gocong_desktop.core.db.reference_units import is_office_made_id, reference_unit_id
from gocong_desktop.core.db.models import DEFAULT_UNIT_TYPE, AdminUnit, Office, OfficeRole, UnitLevel, new_id
from gocong_desktop.core.errors import ConflictError, NotFoundError, ValidationError
from gocong_desktop.core.text import fold
from gocong_desktop.core.services.common import field_text


@dataclass(frozen=True)
class OfficeInfo:
    role: str
    unit_id: str
    unit_name: str  # "Bình Tân"
    unit_type: str  # "xã"
    unit_code: str | None
    upper_office_name: str | None
    province_name: str | None
    district_name: str | None

    @property
    def display_name(self) -> str:
        """"xã Bình Tân" — generic word in lower case (Nghị định 30, Phụ lục II)."""
        return f"{self.unit_type} {self.unit_name}"


def _add_unit(session: Session, *, level: UnitLevel, name: str, parent_id: str | None,
              unit_type: str | None = None, code: str | None = None,
              unit_id: str | None = None) -> AdminUnit:
    unit = AdminUnit(level=level, unit_type=unit_type or DEFAULT_UNIT_TYPE[level], name=name,
                     name_fold=fold(name), code=code, parent_id=parent_id)
    if unit_id:
        unit.id = unit.owner_unit_id = unit_id
    session.add(unit)
    session.flush()
    return unit


def _add_reference_unit(session: Session, *, level: UnitLevel, name: str, parent_id: str | None) -> str:
    """A province or district: shared, without owner, with the id every database gives it."""
    unit_type = DEFAULT_UNIT_TYPE[level]
    unit_id = reference_unit_id(level=level, unit_type=unit_type, name=name, code=None, parent_id=parent_id)
    if session.get(AdminUnit, unit_id) is None:
        session.add(AdminUnit(id=unit_id, level=level, unit_type=unit_type, name=name, name_fold=fold(name),
                              parent_id=parent_id))
        session.flush()
    return unit_id


def setup_office(session: Session, *, unit_name: str, unit_code: str | None = None,
                 role: str = OfficeRole.COMMUNE, unit_type: str | None = None,
                 province_name: str | None = None, district_name: str | None = None,
                 upper_office_name: str | None = None, unit_id: str | None = None) -> OfficeInfo:
    """Create this office's unit (under its province and district, when given).
    ``unit_id``: the unit's id when the office is set up again on a new PC (from
    its key backup), so that the other offices know it as before; else a new one."""
    if session.get(Office, 1) is not None:
        raise ConflictError("Cơ sở dữ liệu này đã được thiết lập cho một đơn vị.")
    if unit_id is not None and not is_office_made_id(unit_id):
        raise ValidationError("Mã đơn vị không hợp lệ.", field="unit_id")
    if role not in (OfficeRole.COMMUNE, OfficeRole.UPPER):
        raise ValidationError("Vai trò phải là «commune» (cấp xã) hoặc «upper» (cấp trên).",
                              field="role")
    name = field_text("admin_unit", "name", unit_name, field="unit_name")
    code = field_text("admin_unit", "code", unit_code, field="unit_code")
    # Province and district are shared reference data (no owner); the office's
    # own unit, and everything recorded from now on, is owned by the office.
    parent_id = None
    if province := field_text("admin_unit", "name", province_name, field="province_name", label="tên tỉnh",
                              required=False):
        parent_id = _add_reference_unit(session, level=UnitLevel.PROVINCE, name=province, parent_id=None)
    if district := field_text("admin_unit", "name", district_name, field="district_name", label="tên huyện",
                              required=False):
        parent_id = _add_reference_unit(session, level=UnitLevel.DISTRICT, name=district, parent_id=parent_id)
    # An upper office is itself a unit above communes (district or province police).
    level = UnitLevel.COMMUNE if role == OfficeRole.COMMUNE else UnitLevel.DISTRICT
    unit = _add_unit(session, level=level, name=name, parent_id=parent_id,
                     unit_type=field_text("admin_unit", "unit_type", unit_type, required=False),
                     code=code, unit_id=unit_id or new_id())
    upper = field_text("office", "upper_office_name", upper_office_name)
    session.add(Office(id=1, role=role, unit_id=unit.id, upper_office_name=upper))
    session.info["owner_unit_id"] = unit.id
    session.flush()
    return get_office(session)


def find_office(session: Session) -> OfficeInfo | None:
    office = session.get(Office, 1)
    if office is None:
        return None
    unit = session.get(AdminUnit, office.unit_id)
    names = {UnitLevel.PROVINCE: None, UnitLevel.DISTRICT: None}
    parent = session.get(AdminUnit, unit.parent_id) if unit.parent_id else None
    while parent is not None:
        names[UnitLevel(parent.level)] = parent.name
        parent = session.get(AdminUnit, parent.parent_id) if parent.parent_id else None
    return OfficeInfo(role=office.role, unit_id=unit.id, unit_name=unit.name,
                      unit_type=unit.unit_type, unit_code=unit.code,
                      upper_office_name=office.upper_office_name,
                      province_name=names[UnitLevel.PROVINCE],
                      district_name=names[UnitLevel.DISTRICT])


def get_office(session: Session) -> OfficeInfo:
    info = find_office(session)
    if info is None:
        raise NotFoundError("Cơ sở dữ liệu chưa được thiết lập đơn vị. Hãy chạy «gocong-desktop init».")
    return info


def set_upper_office_name(session: Session, name: str | None) -> None:
    office = session.get(Office, 1)
    if office is None:
        get_office(session)
    office.upper_office_name = field_text("office", "upper_office_name", name)
