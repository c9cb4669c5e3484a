"""What the printed pledge documents show, read in one go: the pre-filled forms
(one per household), a group's register sheet and the not-yet-signed list.
Plain dataclasses, so the PDF code never touches the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, Household, Pledge, PledgeStatus, PledgeTemplate, SelfManagedGroup
from gocong_desktop.core.services.pledge_criteria import pledge_counted
from gocong_desktop.core.errors import NotFoundError
from gocong_desktop.core.text import nfc, sort_key
from gocong_desktop.core.services.common import get_live
from gocong_desktop.core.services.document_header import DocumentHeader, government_parent
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.pledges import get_campaign, load_default_template, group_leader, list_pledges


@dataclass(frozen=True)
class PledgeForm:
    header: DocumentHeader
    year: int
    head_name: str
    birth_year: int | None
    address: str | None
    members: int
    hamlet: str  # "ấp Lợi An"
    commune: str  # "xã Bình Tân"
    group_name: str | None
    leader_name: str | None
    signed_date: date | None
    title: str
    subtitle: str | None
    items: tuple[str, ...]
    intro: str  # the sentence before the items and the one after (shipped text)
    closing: str


@dataclass(frozen=True)
class SheetRow:
    head_name: str
    birth_year: int | None
    address: str | None
    group_name: str | None
    status_label: str
    signed_date: date | None
    witness: str | None  # who witnessed a signature
    reason: str | None  # why not signed (refused, away…)
    hamlet_name: str | None = None
    hamlet_type: str = "ấp"  # "ấp", "khu phố", "thôn"…
    group_number: int | None = None


@dataclass(frozen=True)
class PledgeSheet:
    """A register sheet (every household of a group) or a not-signed list."""
    header: DocumentHeader
    year: int
    title: str
    scope: str  # "Tổ NDTQ số 1, ấp Lợi An"
    rows: list[SheetRow]
    signed: int
    total: int  # coverage rule: moved-out and "chuyển đi" left out
    leader_name: str | None = None


@dataclass(frozen=True)
class Scope:
    header: DocumentHeader
    label: str
    group_id: str | None = None
    hamlet_id: str | None = None
    group_name: str | None = None
    leader_name: str | None = None


def _upper(text: str) -> str:
    return nfc(text.upper()) or ""


def resolve_scope(session: Session, *, group_id: str | None = None,
                  hamlet_id: str | None = None, on: date | None = None) -> Scope:
    """Header and wording for a group, a hamlet, or (neither) the whole commune;
    ``on``, the date printed (today by default), decides the commune's parent body."""
    office = get_office(session)
    parent = _upper(f"UBND {office.display_name}")
    if group_id:
        group = get_live(session, SelfManagedGroup, group_id, "tổ")
        hamlet = session.get(AdminUnit, group.hamlet_id)
        hamlet_name = f"{hamlet.unit_type} {hamlet.name}"
        return Scope(DocumentHeader(parent, _upper(f"{group.name} – {hamlet_name}"), office.unit_name),
                     f"{group.name}, {hamlet_name}", group_id=group.id, group_name=group.name,
                     leader_name=group_leader(session, group.id)[0])
    if hamlet_id:
        hamlet = get_live(session, AdminUnit, hamlet_id, "ấp")
        name = f"{hamlet.unit_type} {hamlet.name}"
        return Scope(DocumentHeader(parent, _upper(f"Ban nhân dân {name}"), office.unit_name),
                     name, hamlet_id=hamlet.id)
    return Scope(DocumentHeader(government_parent(office, on or date.today()), parent, office.unit_name),
                 office.display_name)


def _require_campaign(session: Session, year: int) -> None:
    if get_campaign(session, year) is None:
        raise NotFoundError(f"Chưa mở đợt cam kết năm {year}.")


def pledge_forms(session: Session, year: int, *, household_id: str | None = None,
                 group_id: str | None = None, hamlet_id: str | None = None) -> list[PledgeForm]:
    """One form per resident household of the scope that is asked to sign (not
    "chuyển đi"), each with the items of its own template version. A group's
    households come in Vietnamese name order; a hamlet's group by group."""
    _require_campaign(session, year)
    if household_id:
        get_live(session, Household, household_id, "hộ gia đình")
    stmt = (select(Pledge, Household)
            .join(Household, Household.id == Pledge.household_id)
            .outerjoin(SelfManagedGroup, SelfManagedGroup.id == Household.group_id)
            .where(pledge_counted(year)))
    if household_id:
        stmt = stmt.where(Household.id == household_id)
    elif group_id:
        stmt = stmt.where(Household.group_id == group_id)
    elif hamlet_id:
        stmt = stmt.where(Household.hamlet_id == hamlet_id).order_by(
            SelfManagedGroup.number.is_(None), SelfManagedGroup.number, SelfManagedGroup.name_fold)
    stmt = stmt.order_by(Household.name_sort_key, Household.id)
    rows = session.exec(stmt).all()
    if not rows:  # say so, rather than print an empty PDF
        raise NotFoundError(f"Không có hộ nào cần ký cam kết năm {year} trong phạm vi đã chọn.")
    return _build_forms(session, year, rows)


def _build_forms(session: Session, year: int, rows: list) -> list[PledgeForm]:
    office, shipped = get_office(session), load_default_template()
    templates: dict[str, PledgeTemplate] = {}
    scopes: dict[tuple[str | None, str], Scope] = {}
    forms = []
    for pledge, h in rows:
        template = templates.get(pledge.template_id) or session.get(PledgeTemplate, pledge.template_id)
        templates[pledge.template_id] = template
        key = (h.group_id, h.hamlet_id)
        if key not in scopes:
            scopes[key] = resolve_scope(session, group_id=h.group_id, hamlet_id=h.hamlet_id)
        scope, hamlet = scopes[key], session.get(AdminUnit, h.hamlet_id)
        forms.append(PledgeForm(
            header=scope.header, year=year, head_name=h.head_name, birth_year=h.birth_year,
            address=h.address, members=h.members, hamlet=f"{hamlet.unit_type} {hamlet.name}",
            commune=office.display_name,
            group_name=scope.group_name,
            leader_name=scope.leader_name, signed_date=pledge.signed_date, title=template.title,
            subtitle=template.subtitle, items=tuple(json.loads(template.items_json)),
            intro=shipped.get("intro", ""), closing=shipped.get("closing", "")))
    return forms


def _sheet_rows(session: Session, pledges: list) -> list[SheetRow]:
    """Rows for ``list_pledges`` results, birth year, address and group number read at once."""
    details = {i: (y, a, n, t) for i, y, a, n, t in session.exec(
        select(Household.id, Household.birth_year, Household.address, SelfManagedGroup.number, AdminUnit.unit_type)
        .join(SelfManagedGroup, SelfManagedGroup.id == Household.group_id, isouter=True)
        .join(AdminUnit, AdminUnit.id == Household.hamlet_id)
        .where(Household.id.in_([p.household_id for p in pledges]))).all()}
    return [SheetRow(head_name=p.household_name, birth_year=details[p.household_id][0],
                     address=details[p.household_id][1], group_name=p.group_name,
                     status_label=p.status_label, signed_date=p.signed_date,
                     witness=p.witness_name if p.status == PledgeStatus.SIGNED else None,
                     reason=None if p.status == PledgeStatus.SIGNED else p.reason,
                     hamlet_name=p.hamlet_name, hamlet_type=details[p.household_id][3],
                     group_number=details[p.household_id][2])
            for p in pledges]


def _by_hamlet_and_group(rows: list[SheetRow]) -> list[SheetRow]:
    """Hamlet by hamlet (Vietnamese order), group by group (by number, households outside a group last),
    households in the order they came (by name): how a commune-wide list is read and handed out."""
    return sorted(rows, key=lambda r: (sort_key(r.hamlet_name or ""), r.group_number is None,
                                       r.group_number or 0, r.group_name or ""))


def register_sheet(session: Session, year: int, group_id: str) -> PledgeSheet:
    """Every household of the group asked this year, with its status and date."""
    _require_campaign(session, year)
    scope = resolve_scope(session, group_id=group_id)
    pledges = list_pledges(session, year, group_id=group_id, resident_only=True)
    counted = [p for p in pledges if p.status != PledgeStatus.MOVED]
    return PledgeSheet(header=scope.header, year=year, title="SỔ THEO DÕI KÝ CAM KẾT", scope=scope.label,
                       rows=_sheet_rows(session, pledges),
                       signed=sum(p.status == PledgeStatus.SIGNED for p in counted),
                       total=len(counted), leader_name=scope.leader_name)


def not_signed_sheet(session: Session, year: int, *, group_id: str | None = None,
                     hamlet_id: str | None = None) -> PledgeSheet:
    """Resident households not yet signed (refusals included) in a group, a
    hamlet or the commune."""
    _require_campaign(session, year)
    scope = resolve_scope(session, group_id=group_id, hamlet_id=hamlet_id)
    pledges = list_pledges(session, year, group_id=group_id, hamlet_id=hamlet_id, resident_only=True)
    counted = [p for p in pledges if p.status != PledgeStatus.MOVED]
    missing = [p for p in counted if p.status != PledgeStatus.SIGNED]
    return PledgeSheet(header=scope.header, year=year, title="DANH SÁCH HỘ CHƯA KÝ CAM KẾT",
                       scope=scope.label,
                       rows=_by_hamlet_and_group(_sheet_rows(session, missing)),
                       signed=len(counted) - len(missing), total=len(counted), leader_name=scope.leader_name)
