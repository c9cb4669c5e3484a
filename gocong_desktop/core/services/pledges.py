"""Pledge templates (versioned, loaded from resources) and yearly campaigns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ..db.models import (AdminUnit, Household, Pledge, PledgeCampaign, PledgeStatus, PledgeViolation,
                         PledgeTemplate, SelfManagedGroup)
from ..errors import ConflictError, ValidationError
from ..resources import resource_path
from ..text import nfc
from .common import get_live, int_in_range, required_text, where_folded_match


@dataclass(frozen=True)
class PledgeRow:
    id: str
    household_id: str
    household_name: str
    group_name: str | None
    hamlet_name: str
    year: int
    status: str
    signed_date: date | None
    witness_name: str | None


def load_default_template() -> dict:
    with open(resource_path("templates", "pledge_default.json"), encoding="utf-8") as fh:
        return json.load(fh)


def save_template(session: Session, *, year: int, title: str, items: list[str],
                  subtitle: str | None = None) -> str:
    """A new version for ``year``; earlier versions stay attached to their pledges."""
    year = int_in_range(year, field="year", label="năm", low=2000, high=2100, required=True)
    items = [nfc(i) for i in items if nfc(i or "")]
    if not items:
        raise ValidationError("Bản cam kết phải có ít nhất một nội dung.", field="items")
    last = session.exec(select(func.max(PledgeTemplate.template_version)).where(
        PledgeTemplate.year == year)).one()
    template = PledgeTemplate(year=year, template_version=(last or 0) + 1,
                              title=required_text(title, field="title", label="tiêu đề"),
                              subtitle=nfc(subtitle) or None,
                              items_json=json.dumps(items, ensure_ascii=False))
    session.add(template)
    session.flush()
    return template.id


def open_campaign(session: Session, year: int, *, template_id: str | None = None,
                  opened_on: date | None = None) -> int:
    """Open year ``year``: every active household gets an unsigned pledge.
    Opening again only adds households that joined since; returns how many were added."""
    campaign = session.exec(select(PledgeCampaign).where(PledgeCampaign.year == year,
                                                         PledgeCampaign.deleted.is_(False))).first()
    if campaign is None:
        if template_id is None:
            data = load_default_template()
            template_id = save_template(session, year=year, title=data["title"],
                                        subtitle=data.get("subtitle"), items=data["items"])
        get_live(session, PledgeTemplate, template_id, "mẫu cam kết")
        campaign = PledgeCampaign(year=year, template_id=template_id,
                                  opened_on=opened_on or date.today())
        session.add(campaign)
        session.flush()
    elif campaign.closed_on:
        raise ConflictError(f"Đợt cam kết năm {year} đã đóng.")
    have = select(Pledge.household_id).where(Pledge.year == year)
    missing = session.exec(select(Household.id).where(
        Household.deleted.is_(False), Household.moved_out_date.is_(None),
        Household.id.not_in(have))).all()
    for household_id in missing:
        session.add(Pledge(household_id=household_id, year=year, template_id=campaign.template_id))
    session.flush()
    return len(missing)


def list_pledges(session: Session, year: int, *, group_id: str | None = None,
                 hamlet_id: str | None = None, status: str | None = None,
                 search: str | None = None) -> list[PledgeRow]:
    stmt = (select(Pledge, Household.head_name, SelfManagedGroup.name, AdminUnit.name)
            .join(Household, Household.id == Pledge.household_id)
            .join(AdminUnit, AdminUnit.id == Household.hamlet_id)
            .outerjoin(SelfManagedGroup, SelfManagedGroup.id == Household.group_id)
            .where(Pledge.year == year, Pledge.deleted.is_(False), Household.deleted.is_(False))
            .order_by(Household.name_sort_key, Household.id))
    if group_id:
        stmt = stmt.where(Household.group_id == group_id)
    if hamlet_id:
        stmt = stmt.where(Household.hamlet_id == hamlet_id)
    if status:
        stmt = stmt.where(Pledge.status == status)
    stmt = where_folded_match(stmt, Household.search_fold, search)
    return [PledgeRow(id=p.id, household_id=p.household_id, household_name=name, group_name=group,
                      hamlet_name=hamlet, year=p.year, status=p.status, signed_date=p.signed_date,
                      witness_name=p.witness_name)
            for p, name, group, hamlet in session.exec(stmt).all()]


def record_signature(session: Session, pledge_id: str, *, status: str, signed_date: date | None = None,
                     witness_name: str | None = None, reason: str | None = None) -> None:
    pledge = get_live(session, Pledge, pledge_id, "bản cam kết")
    if status not in list(PledgeStatus):
        raise ValidationError("Trạng thái cam kết không hợp lệ.", field="status")
    if status == PledgeStatus.SIGNED and signed_date is None:
        raise ValidationError("Chưa nhập ngày ký.", field="signed_date")
    if status in (PledgeStatus.REFUSED, PledgeStatus.MOVED) and not nfc(reason or ""):
        raise ValidationError("Hãy ghi lý do.", field="reason")
    pledge.status = status
    pledge.signed_date = signed_date if status == PledgeStatus.SIGNED else None
    pledge.witness_name = nfc(witness_name) or None
    pledge.reason = nfc(reason) or None


def coverage(session: Session, year: int) -> tuple[int, int]:
    """(signed, total) over the commune's pledges of ``year``, moved-out excluded.

    Only households still in the register count (not deleted, not moved out), as
    on the Overview page: a household entered by mistake must not keep coverage
    below 100%."""
    rows = session.exec(select(Pledge.status, func.count())
                        .join(Household, Household.id == Pledge.household_id).where(
        Pledge.year == year, Pledge.deleted.is_(False), Pledge.status != PledgeStatus.MOVED,
        Household.deleted.is_(False), Household.moved_out_date.is_(None))
        .group_by(Pledge.status)).all()
    counts = dict(rows)
    return counts.get(PledgeStatus.SIGNED, 0), sum(counts.values())


def record_violation(session: Session, household_id: str, *, violation_date: date,
                     item_number: int | None = None, note: str | None = None) -> str:
    """Sensitive: shown on the household's detail only, kept out of sync by default."""
    get_live(session, Household, household_id, "hộ gia đình")
    if violation_date > date.today():
        raise ValidationError("Ngày vi phạm không được ở tương lai.", field="violation_date")
    pledge = session.exec(select(Pledge).where(Pledge.household_id == household_id,
                                               Pledge.year == violation_date.year)).first()
    violation = PledgeViolation(household_id=household_id, pledge_id=pledge.id if pledge else None,
                                violation_date=violation_date,
                                item_number=int_in_range(item_number, field="item_number",
                                                         label="nội dung vi phạm", low=1, high=100),
                                note=nfc(note) or None)
    session.add(violation)
    session.flush()
    return violation.id
