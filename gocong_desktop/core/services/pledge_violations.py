"""Broken pledges (vi phạm cam kết). Sensitive data (DOMAIN.md §4): shown only
on the household's own detail, never in lists, only to administrators, and left
out of sync files unless the setting "sync.include_violations" says otherwise."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from gocong_desktop.core.db.access import require_admin
from gocong_desktop.core.db.models import Household, Pledge, PledgeTemplate, PledgeViolation, live
from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.common import field_date, field_number, field_text, get_live
from gocong_desktop.core.settings.keys import SYNC_INCLUDE_VIOLATIONS

SYNC_SETTING_KEY = SYNC_INCLUDE_VIOLATIONS.key
ADMIN_ONLY = "xem và ghi vi phạm cam kết"


@dataclass(frozen=True)
class ViolationRow:
    id: str
    violation_date: date
    item_number: int | None
    item_text: str | None  # the commitment broken, from the pledge's template
    note: str | None


def record_violation(session: Session, household_id: str, *, violation_date: date,
                     item_number: int | None = None, note: str | None = None) -> str:
    """Attach to the household's pledge of that year, when there is one."""
    require_admin(session, ADMIN_ONLY)
    get_live(session, Household, household_id, "hộ gia đình")
    if violation_date is None:
        raise ValidationError("Chưa nhập ngày vi phạm.", field="violation_date")
    field_date("pledge_violation", "violation_date", violation_date)
    pledge = session.exec(select(Pledge).where(Pledge.household_id == household_id,
                                               Pledge.year == violation_date.year,
                                               live(Pledge))).first()
    violation = PledgeViolation(household_id=household_id, pledge_id=pledge.id if pledge else None,
                                violation_date=violation_date,
                                item_number=field_number("pledge_violation", "item_number", item_number),
                                note=field_text("pledge_violation", "note", note))
    session.add(violation)
    session.flush()
    return violation.id


def delete_violation(session: Session, violation_id: str) -> None:
    require_admin(session, ADMIN_ONLY)
    get_live(session, PledgeViolation, violation_id, "vi phạm").deleted = True


def _items_of(session: Session, template_id: str | None) -> list[str]:
    template = session.get(PledgeTemplate, template_id) if template_id else None
    return json.loads(template.items_json) if template else []


def list_violations(session: Session, household_id: str) -> list[ViolationRow]:
    """One household's violations, newest first, with the text of the item broken."""
    require_admin(session, ADMIN_ONLY)
    rows = session.exec(select(PledgeViolation, Pledge.template_id)
                        .outerjoin(Pledge, Pledge.id == PledgeViolation.pledge_id)
                        .where(PledgeViolation.household_id == household_id,
                               live(PledgeViolation))
                        .order_by(PledgeViolation.violation_date.desc())).all()
    out = []
    for v, template_id in rows:
        items = _items_of(session, template_id)
        text = items[v.item_number - 1] if v.item_number and v.item_number <= len(items) else None
        out.append(ViolationRow(id=v.id, violation_date=v.violation_date, item_number=v.item_number,
                                item_text=text, note=v.note))
    return out


def pledge_items(session: Session, household_id: str, year: int) -> list[str]:
    """The numbered items the household pledged in ``year`` (empty when none)."""
    template_id = session.exec(select(Pledge.template_id).where(
        Pledge.household_id == household_id, Pledge.year == year, live(Pledge))).first()
    return _items_of(session, template_id)


# ---- the sync setting (read by the sync engine) ----------------------------

def include_violations_in_sync(session: Session) -> bool:
    """False unless the office chose to send violations upward."""
    return read_setting(session, SYNC_INCLUDE_VIOLATIONS)


def set_include_violations_in_sync(session: Session, include: bool) -> None:
    write_setting(session, SYNC_INCLUDE_VIOLATIONS, bool(include))

