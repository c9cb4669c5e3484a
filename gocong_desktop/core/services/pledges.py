"""Pledge templates (versioned, loaded from resources), yearly campaigns and
signatures. Coverage lives in ``pledge_coverage``, violations in
``pledge_violations``, the printed forms' data in ``pledge_print``."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, literal, tuple_
from sqlmodel import Session, select

from gocong_desktop.core.db.bulk import insert_new
from gocong_desktop.core.db.models import (AdminUnit, Household, Pledge, PledgeCampaign, PledgeStatus, PledgeTemplate,
                         SelfManagedGroup, live)
from gocong_desktop.core.services.register_criteria import household_on_register
from gocong_desktop.core.errors import ConflictError, NotFoundError, ValidationError
from gocong_desktop.core.resources import resource_path
from gocong_desktop.core.rules import field_rule
from gocong_desktop.core.services.common import clean_text, field_choice, field_date, field_number, field_text, get_live, where_folded_match
from gocong_desktop.core.services.pledge_violations import record_violation  # noqa: F401  (kept importable from here)
from gocong_desktop.core.services.pledge_criteria import pledge_counted

STATUS_LABELS = {PledgeStatus.UNSIGNED: "chưa ký", PledgeStatus.SIGNED: "đã ký",
                 PledgeStatus.REFUSED: "từ chối", PledgeStatus.MOVED: "chuyển đi"}


@dataclass(frozen=True)
class PledgeRow:
    id: str
    household_id: str
    household_name: str
    group_name: str | None
    hamlet_name: str
    year: int
    status: str
    status_label: str
    signed_date: date | None
    witness_name: str | None
    reason: str | None


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    year: int
    version: int
    title: str
    subtitle: str | None
    items: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"Mẫu năm {self.year}, bản {self.version}"


@dataclass(frozen=True)
class CampaignInfo:
    year: int
    template: TemplateInfo
    opened_on: date
    closed_on: date | None


# ---- templates ------------------------------------------------------------

def load_default_template() -> dict:
    with open(resource_path("templates", "pledge_default.json"), encoding="utf-8") as fh:
        return json.load(fh)


def save_template(session: Session, *, year: int, title: str, items: list[str],
                  subtitle: str | None = None) -> str:
    """A new version for ``year``; earlier versions stay attached to their pledges."""
    year = field_number("pledge_template", "year", year)
    items = _checked_items(items)
    last = session.exec(select(func.max(PledgeTemplate.template_version)).where(
        PledgeTemplate.year == year)).one()
    template = PledgeTemplate(year=year, template_version=(last or 0) + 1,
                              title=field_text("pledge_template", "title", title),
                              subtitle=field_text("pledge_template", "subtitle", subtitle),
                              items_json=json.dumps(items, ensure_ascii=False))
    session.add(template)
    session.flush()
    return template.id


def _checked_items(items: list[str]) -> list[str]:
    """The numbered commitments, blank ones dropped, each held to the stored rule."""
    rule = field_rule("pledge_template", "items_json")
    item_rule = replace(rule.item, required=False)
    checked = [clean_text(item, item_rule, field="items", label=f"nội dung thứ {n}")
               for n, item in enumerate(items, 1)]
    checked = [item for item in checked if item]
    if not checked:
        raise ValidationError("Bản cam kết phải có ít nhất một nội dung.", field="items")
    if len(checked) > rule.max_items:
        raise ValidationError(f"Bản cam kết có tối đa {rule.max_items} nội dung.", field="items")
    return checked


def _template_info(t: PledgeTemplate) -> TemplateInfo:
    return TemplateInfo(id=t.id, year=t.year, version=t.template_version, title=t.title,
                        subtitle=t.subtitle, items=tuple(json.loads(t.items_json)))


def get_template(session: Session, template_id: str) -> TemplateInfo:
    return _template_info(get_live(session, PledgeTemplate, template_id, "mẫu cam kết"))


def list_templates(session: Session) -> list[TemplateInfo]:
    """Every version, newest first."""
    rows = session.exec(select(PledgeTemplate).where(live(PledgeTemplate)).order_by(
        PledgeTemplate.year.desc(), PledgeTemplate.template_version.desc())).all()
    return [_template_info(t) for t in rows]


def default_template_text() -> TemplateInfo:
    """The shipped text, not yet saved (id "")."""
    data = load_default_template()
    return TemplateInfo(id="", year=0, version=0, title=data["title"], subtitle=data.get("subtitle"),
                        items=tuple(data["items"]))


# ---- campaigns ------------------------------------------------------------

def _campaign(session: Session, year: int) -> PledgeCampaign | None:
    return session.exec(select(PledgeCampaign).where(PledgeCampaign.year == year,
                                                     live(PledgeCampaign))).first()


def get_campaign(session: Session, year: int) -> CampaignInfo | None:
    campaign = _campaign(session, year)
    if campaign is None:
        return None
    return CampaignInfo(year=year, template=get_template(session, campaign.template_id),
                        opened_on=campaign.opened_on, closed_on=campaign.closed_on)


def campaign_years(session: Session) -> list[int]:
    return list(session.exec(select(PledgeCampaign.year).where(live(PledgeCampaign))
                             .order_by(PledgeCampaign.year.desc())).all())


def open_campaign(session: Session, year: int, *, template_id: str | None = None,
                  opened_on: date | None = None) -> int:
    """Open year ``year``: every active household gets an unsigned pledge.
    Opening again only adds households that joined since; returns how many were added."""
    campaign = _campaign(session, year)
    if campaign is None:
        if template_id is None:
            data = load_default_template()
            template_id = save_template(session, year=year, title=data["title"],
                                        subtitle=data.get("subtitle"), items=data["items"])
        get_live(session, PledgeTemplate, template_id, "mẫu cam kết")
        campaign = PledgeCampaign(year=field_number("pledge_campaign", "year", year), template_id=template_id,
                                  opened_on=field_date("pledge_campaign", "opened_on", opened_on or date.today()))
        session.add(campaign)
        session.flush()
    elif campaign.closed_on:
        raise ConflictError(f"Đợt cam kết năm {year} đã đóng.")
    have = select(Pledge.household_id).where(Pledge.year == year)
    missing = session.exec(select(Household.id).where(
        household_on_register(),
        Household.id.not_in(have))).all()
    # One statement for the whole commune: an ORM object per household took ~1 ms each.
    insert_new(session, Pledge, [{"household_id": household_id, "year": year, "template_id": campaign.template_id}
                                 for household_id in missing])
    return len(missing)


_IDS_PER_QUERY = 500  # SQLite's bound parameters per statement stay few


def join_open_campaigns(session: Session, *household_ids: str, today: date | None = None) -> int:
    """Households added while a campaign of this year (or later) is open join it
    unsigned; returns how many pledges that made."""
    this_year = (today or date.today()).year
    years = session.exec(select(PledgeCampaign.year, PledgeCampaign.template_id).where(
        live(PledgeCampaign), PledgeCampaign.closed_on.is_(None),
        PledgeCampaign.year >= this_year)).all()
    joined = 0
    for year, template_id in years:
        for start in range(0, len(household_ids), _IDS_PER_QUERY):
            chunk = household_ids[start:start + _IDS_PER_QUERY]
            asked = set(session.exec(select(Pledge.household_id).where(Pledge.household_id.in_(chunk),
                                                                       Pledge.year == year)).all())
            for household_id in (h for h in chunk if h not in asked):
                session.add(Pledge(household_id=household_id, year=year, template_id=template_id))
                joined += 1
    session.flush()
    return joined


def set_campaign_template(session: Session, year: int, template_id: str) -> int:
    """Use another template version from now on: pledges not yet signed take it,
    signed (or refused) ones keep the text they were signed under. Returns how many moved."""
    campaign = _campaign(session, year)
    if campaign is None:
        raise NotFoundError(f"Chưa mở đợt cam kết năm {year}.")
    get_live(session, PledgeTemplate, template_id, "mẫu cam kết")
    campaign.template_id = template_id
    unsigned = session.exec(select(Pledge).where(
        Pledge.year == year, Pledge.status == PledgeStatus.UNSIGNED, live(Pledge),
        Pledge.template_id != template_id)).all()
    for pledge in unsigned:
        pledge.template_id = template_id
    return len(unsigned)


def revise_template(session: Session, *, year: int, title: str, items: list[str],
                    subtitle: str | None = None, apply_to_campaign: bool = False) -> str:
    """Save an edited text as a new version for ``year`` and, if asked, use it
    for that year's campaign (pledges not yet signed take it)."""
    template_id = save_template(session, year=year, title=title, items=items, subtitle=subtitle)
    if apply_to_campaign and _campaign(session, year) is not None:
        set_campaign_template(session, year, template_id)
    return template_id


def template_for_editing(session: Session, year: int) -> TemplateInfo:
    """The text to start from: the year's campaign template, else the newest
    version, else the shipped default."""
    if (campaign := get_campaign(session, year)) is not None:
        return campaign.template
    templates = list_templates(session)
    return templates[0] if templates else default_template_text()


# ---- listing and signatures ----------------------------------------------

def _pledges_filtered(stmt, *, group_id: str | None, hamlet_id: str | None, status: str | None,
                      search: str | None, resident_only: bool, ungrouped: bool):
    stmt = stmt.where(live(Pledge), live(Household))
    if group_id:
        stmt = stmt.where(Household.group_id == group_id)
    if hamlet_id:
        stmt = stmt.where(Household.hamlet_id == hamlet_id)
    if ungrouped:
        stmt = stmt.where(Household.group_id.is_(None))
    if status:
        stmt = stmt.where(Pledge.status == status)
    if resident_only:
        stmt = stmt.where(Household.moved_out_date.is_(None))
    return where_folded_match(stmt, Household.search_fold, search)


def list_pledges(session: Session, year: int, *, group_id: str | None = None,
                 hamlet_id: str | None = None, status: str | None = None,
                 search: str | None = None, resident_only: bool = False, ungrouped: bool = False,
                 offset: int = 0, limit: int | None = None, after: str | None = None) -> list[PledgeRow]:
    """Pledges of ``year`` in Vietnamese name order; ``resident_only`` leaves out
    households that moved away (kept otherwise, for history); ``ungrouped``: only
    households in no group. ``offset``/``limit``: one page of that order; ``after``
    (the id of the last pledge already read) starts the page right after it, which
    stays fast deep into a commune's tens of thousands (an offset reads past them all)."""
    stmt = (select(Pledge, Household.head_name, SelfManagedGroup.name, AdminUnit.name)
            .join(Household, Household.id == Pledge.household_id)
            .join(AdminUnit, AdminUnit.id == Household.hamlet_id)
            .outerjoin(SelfManagedGroup, SelfManagedGroup.id == Household.group_id)
            .where(Pledge.year == year))
    stmt = _pledges_filtered(stmt, group_id=group_id, hamlet_id=hamlet_id, status=status, search=search,
                             resident_only=resident_only, ungrouped=ungrouped)
    if after is not None and (cursor := _sort_position(session, after)) is not None:
        stmt = stmt.where(tuple_(Household.name_sort_key, Household.id) > tuple_(*map(literal, cursor)))
    else:
        stmt = stmt.offset(offset)
    stmt = stmt.order_by(Household.name_sort_key, Household.id).limit(limit)
    return [PledgeRow(id=p.id, household_id=p.household_id, household_name=name, group_name=group,
                      hamlet_name=hamlet, year=p.year, status=p.status,
                      status_label=STATUS_LABELS.get(p.status, p.status), signed_date=p.signed_date,
                      witness_name=p.witness_name, reason=p.reason)
            for p, name, group, hamlet in session.exec(stmt).all()]


def _sort_position(session: Session, pledge_id: str) -> tuple[str, str] | None:
    """Where a pledge stands in ``list_pledges``' order (None: no such pledge any more)."""
    found = session.exec(select(Household.name_sort_key, Household.id)
                         .join(Pledge, Pledge.household_id == Household.id).where(Pledge.id == pledge_id)).first()
    return tuple(found) if found is not None else None


def count_pledges(session: Session, year: int, *, group_id: str | None = None,
                  hamlet_id: str | None = None, status: str | None = None,
                  search: str | None = None, resident_only: bool = False, ungrouped: bool = False) -> int:
    """How many rows ``list_pledges`` lists with the same filters."""
    stmt = (select(func.count()).select_from(Pledge).join(Household, Household.id == Pledge.household_id)
            .where(Pledge.year == year))
    stmt = _pledges_filtered(stmt, group_id=group_id, hamlet_id=hamlet_id, status=status, search=search,
                             resident_only=resident_only, ungrouped=ungrouped)
    return session.exec(stmt).one()


def group_leader(session: Session, group_id: str | None) -> tuple[str | None, str | None]:
    """(name, household id) of the group's leader (tổ trưởng), the default witness."""
    group = session.get(SelfManagedGroup, group_id) if group_id else None
    leader = session.get(Household, group.leader_household_id) if group and group.leader_household_id else None
    return (leader.head_name, leader.id) if leader and not leader.deleted else (None, None)


def record_signature(session: Session, pledge_id: str, *, status: str, signed_date: date | None = None,
                     witness_name: str | None = None, reason: str | None = None) -> None:
    """Record one outcome; a signature without a witness is confirmed by the
    household's group leader."""
    pledge = get_live(session, Pledge, pledge_id, "bản cam kết")
    field_choice("pledge", "status", status, message="Trạng thái cam kết không hợp lệ.")
    if status == PledgeStatus.SIGNED and signed_date is None:
        raise ValidationError("Chưa nhập ngày ký.", field="signed_date")
    field_date("pledge", "signed_date", signed_date)
    reason = field_text("pledge", "reason", reason)
    if status in (PledgeStatus.REFUSED, PledgeStatus.MOVED) and not reason:
        raise ValidationError("Hãy ghi lý do.", field="reason")
    witness_name, witness_id = field_text("pledge", "witness_name", witness_name), None
    if status == PledgeStatus.SIGNED:
        leader_name, leader_id = group_leader(session, session.get(Household, pledge.household_id).group_id)
        witness_name = witness_name or leader_name
        witness_id = leader_id if witness_name == leader_name else None
    pledge.status = status
    pledge.signed_date = signed_date if status == PledgeStatus.SIGNED else None
    pledge.witness_name = witness_name if status == PledgeStatus.SIGNED else None
    pledge.witness_household_id = witness_id
    pledge.reason = None if status == PledgeStatus.SIGNED else reason


def record_signatures(session: Session, pledge_ids: list[str], *, status: str,
                      signed_date: date | None = None, witness_name: str | None = None,
                      reason: str | None = None) -> int:
    """The same outcome (one date for the batch) for several pledges, all or none."""
    if not pledge_ids:
        raise ValidationError("Chưa chọn hộ nào.", field="pledges")
    _held = _load_for_signing(session, pledge_ids)  # held: the session keeps only weak references
    # One flush for the batch (one stamp, one sealing of its audit entries), not
    # one per pledge as each lookup's autoflush would do.
    with session.no_autoflush:
        for pledge_id in pledge_ids:
            record_signature(session, pledge_id, status=status, signed_date=signed_date,
                             witness_name=witness_name, reason=reason)
    session.flush()
    return len(pledge_ids)


_IN_CHUNK = 900  # bound parameters per query (older SQLite builds allow 999)


def _load_for_signing(session: Session, pledge_ids: list[str]) -> list:
    """Pledges, their households, groups and group leaders in a few queries: the
    lookups of ``record_signature`` then find them in the session."""
    pledges = _load(session, Pledge, pledge_ids)
    households = _load(session, Household, {p.household_id for p in pledges})
    groups = _load(session, SelfManagedGroup, {h.group_id for h in households})
    return pledges + households + groups + _load(session, Household, {g.leader_household_id for g in groups})


def _load(session: Session, model: type, ids: Any) -> list:
    """The records of ``model`` with these ids (None ignored), read in chunks."""
    ids, out = [i for i in set(ids) if i], []
    for start in range(0, len(ids), _IN_CHUNK):
        out += session.exec(select(model).where(model.id.in_(ids[start:start + _IN_CHUNK]))).all()
    return out


def coverage(session: Session, year: int) -> tuple[int, int]:
    """(signed, total) over the commune's pledges of ``year``, moved-out excluded.

    Only households still in the register count (not deleted, not moved out), as
    on the Overview page: a household entered by mistake must not keep coverage
    below 100%."""
    rows = session.exec(select(Pledge.status, func.count())
                        .join(Household, Household.id == Pledge.household_id).where(
        pledge_counted(year))
        .group_by(Pledge.status)).all()
    counts = dict(rows)
    return counts.get(PledgeStatus.SIGNED, 0), sum(counts.values())
