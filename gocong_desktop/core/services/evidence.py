"""What the app already knows about a model over a period: the evidence shown
beside an evaluation, so a rating cannot rest on a model that exists only on paper
("chỉ mang tính hình thức").

For the model's sites (those started by the period's end):
- meetings held by the groups of the sites' hamlets, and their attendance;
- pledge coverage of the households covered: the households chosen for a site,
  or, for a site given only as a count, the households of its hamlet;
- propaganda recorded for the model or in the sites' hamlets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, union
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, Household, ModelSite, ModelSiteHousehold, Pledge, PreventionModel, \
    PropagandaActivity, live
from gocong_desktop.core.text import format_int, format_percent, sort_key
from gocong_desktop.core.services.area_figures import AreaCounts, counts_by_hamlet, total
from gocong_desktop.core.services.common import get_live
from gocong_desktop.core.services.figures import Window, household_on_register, pledge_counts
from gocong_desktop.core.services.propaganda import KIND_LABELS, KIND_UNITS

LOW_ATTENDANCE = 50.0  # percent: below this a model's base is flagged


@dataclass(frozen=True)
class ModelEvidence:
    model_id: str
    period_start: date
    period_end: date
    sites: int
    hamlet_names: tuple[str, ...]
    households_declared: int  # what the sites say they cover
    households_listed: int  # covered households found in the register
    area: AreaCounts  # groups, meetings, attendance of the sites' hamlets
    pledge_year: int
    pledges_signed: int
    pledges_total: int
    propaganda: dict[str, int] = field(default_factory=dict)  # kind → count

    @property
    def pledge_coverage(self) -> float | None:
        return 100.0 * self.pledges_signed / self.pledges_total if self.pledges_total else None

    @property
    def propaganda_total(self) -> int:
        """Any activity at all (counts of different kinds are not comparable)."""
        return sum(self.propaganda.values())


def _sites(session: Session, model_id: str, end: date) -> list[ModelSite]:
    return list(session.exec(select(ModelSite).where(
        ModelSite.model_id == model_id, live(ModelSite),
        or_(ModelSite.start_date.is_(None), ModelSite.start_date <= end))).all())


def _covered_households(sites: list[ModelSite], end: date):
    """Subquery of the covered households' ids (chosen ones, else the hamlet's)."""
    site_ids = [s.id for s in sites]
    chosen = select(ModelSiteHousehold.household_id).where(ModelSiteHousehold.site_id.in_(site_ids))
    with_choice = select(ModelSiteHousehold.site_id).where(ModelSiteHousehold.site_id.in_(site_ids))
    by_hamlet = (select(Household.id).join(ModelSite, ModelSite.hamlet_id == Household.hamlet_id)
                 .where(ModelSite.id.in_(site_ids), ModelSite.id.not_in(with_choice)))
    ids = union(chosen, by_hamlet).subquery()
    return select(Household.id).where(Household.id.in_(select(ids.c[0])), household_on_register(end))


def _declared(session: Session, sites: list[ModelSite]) -> int:
    chosen = dict(session.exec(select(ModelSiteHousehold.site_id, func.count())
                               .where(ModelSiteHousehold.site_id.in_([s.id for s in sites]))
                               .group_by(ModelSiteHousehold.site_id)).all())
    return sum(chosen.get(s.id) or s.households_count or 0 for s in sites)


def _propaganda(session: Session, model_id: str, hamlet_ids: list[str], start: date,
                end: date) -> dict[str, int]:
    stmt = (select(PropagandaActivity.kind, func.sum(PropagandaActivity.count))
            .where(live(PropagandaActivity), PropagandaActivity.activity_date >= start,
                   PropagandaActivity.activity_date <= end,
                   or_(PropagandaActivity.model_id == model_id,
                       PropagandaActivity.hamlet_id.in_(hamlet_ids)))
            .group_by(PropagandaActivity.kind))
    got = {kind: int(n) for kind, n in session.exec(stmt).all()}
    return {kind: got[kind] for kind in [*KIND_LABELS, *sorted(got)] if kind in got}


def model_evidence(session: Session, model_id: str, period_start: date,
                   period_end: date) -> ModelEvidence:
    get_live(session, PreventionModel, model_id, "mô hình")
    sites = _sites(session, model_id, period_end)
    hamlet_ids = sorted({s.hamlet_id for s in sites if s.hamlet_id})
    names = session.exec(select(AdminUnit.name).where(AdminUnit.id.in_(hamlet_ids))).all()
    area = total(counts_by_hamlet(session, period_start, period_end, hamlet_ids=hamlet_ids).values())
    covered = _covered_households(sites, period_end)
    listed = session.exec(select(func.count()).select_from(covered.subquery())).one()
    signed, pledged = session.exec(pledge_counts(Window.days(period_start, period_end))
                                   .where(Pledge.household_id.in_(covered))).one()
    return ModelEvidence(model_id=model_id, period_start=period_start, period_end=period_end,
                         sites=len(sites), hamlet_names=tuple(sorted(names, key=sort_key)),
                         households_declared=_declared(session, sites), households_listed=listed,
                         area=area, pledge_year=period_end.year, pledges_signed=int(signed),
                         pledges_total=pledged,
                         propaganda=_propaganda(session, model_id, hamlet_ids, period_start, period_end))


def _ratio(part: int, whole: int, rate: float | None) -> str:
    if rate is None:
        return "không có số liệu"
    return f"{format_int(part)}/{format_int(whole)} ({format_percent(rate)})"


def evidence_lines(ev: ModelEvidence) -> list[tuple[str, str]]:
    """(label, value) pairs as shown beside the form and on the evaluation record."""
    a = ev.area
    propaganda = "; ".join(f"{KIND_LABELS.get(k, k)}: {format_int(n)} {KIND_UNITS.get(k, 'lượt')}"
                           for k, n in ev.propaganda.items())
    return [
        ("Điểm triển khai", f"{ev.sites} điểm" + (f" – ấp {', '.join(ev.hamlet_names)}"
                                                   if ev.hamlet_names else "")),
        ("Hộ trong phạm vi", f"{format_int(ev.households_declared)} hộ theo khai báo; "
                             f"{format_int(ev.households_listed)} hộ đối chiếu trong sổ"),
        ("Tổ NDTQ có sinh hoạt", f"{a.groups_met}/{a.groups} tổ"),
        ("Số buổi sinh hoạt", f"{format_int(a.meetings)} buổi ({format_int(a.meetings_final)} "
                              "biên bản đã hoàn tất)"),
        ("Tỷ lệ hộ dự họp", _ratio(a.attendance_present, a.attendance_total, a.attendance_rate)),
        (f"Hộ ký cam kết năm {ev.pledge_year}", _ratio(ev.pledges_signed, ev.pledges_total,
                                                       ev.pledge_coverage)),
        ("Tuyên truyền", propaganda or "chưa ghi nhận hoạt động nào"),
    ]


def evidence_warnings(ev: ModelEvidence) -> list[str]:
    """Signs that a model may exist only on paper."""
    a, out = ev.area, []
    if not ev.sites:
        out.append("Mô hình chưa có điểm triển khai trong kỳ.")
    elif not a.meetings:
        out.append("Các tổ trên địa bàn không có buổi sinh hoạt nào trong kỳ.")
    if a.attendance_rate is not None and a.attendance_rate < LOW_ATTENDANCE:
        out.append(f"Tỷ lệ hộ dự họp thấp (dưới {LOW_ATTENDANCE:.0f}%).")
    if ev.pledge_coverage is not None and ev.pledge_coverage < 100.0:
        out.append("Chưa đủ 100% hộ trong phạm vi ký cam kết.")
    if ev.sites and not ev.propaganda_total:
        out.append("Không có hoạt động tuyên truyền nào được ghi nhận trong kỳ.")
    return out
