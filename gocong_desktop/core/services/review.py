"""The figures of a review report (báo cáo sơ kết / tổng kết), as one read model.

The PDF and the Excel workbook are both drawn from ``review_figures``, and the
summary lines from ``summary_items``, so their totals are equal by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from gocong_desktop.core.db.models import Evaluation, ModelSite, ModelStatus, ModelType, PreventionModel, live
from gocong_desktop.core.text import sort_key
from gocong_desktop.core.services.area_figures import AreaCounts, counts_by_hamlet, meetings_by_month, total
from gocong_desktop.core.services.counting_notes import counting_note, rates_sentence  # noqa: F401 (where the reports import them)
from gocong_desktop.core.services.hamlets import list_hamlets
from gocong_desktop.core.services.office import OfficeInfo, get_office
from gocong_desktop.core.services.document_header import DocumentHeader, police_header, police_parent_name
from gocong_desktop.core.services.prevention import RECOMMENDATION_LABELS, STATUS_LABELS
from gocong_desktop.core.services.propaganda import KIND_LABELS, KIND_UNITS, totals as propaganda_totals
from gocong_desktop.core.services.review_period import ReviewPeriod


@dataclass(frozen=True)
class HamletFigures:
    name: str
    counts: AreaCounts


@dataclass(frozen=True)
class ModelReviewRow:
    name: str
    type_name: str
    lead_organisation: str
    status: str
    sites: int
    households: int
    rating: str | None  # latest rating of an evaluation ending in the period
    total_score: float | None
    recommendation: str | None
    evaluated_on: date | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def recommendation_label(self) -> str:
        return RECOMMENDATION_LABELS.get(self.recommendation, self.recommendation or "")


@dataclass(frozen=True)
class ReviewFigures:
    period: ReviewPeriod
    office: OfficeInfo
    hamlets: tuple[HamletFigures, ...]
    total: AreaCounts
    pledge_year: int
    propaganda: tuple[tuple[str, str, int], ...]  # (label, unit, count) for every kind, fixed order
    models: tuple[ModelReviewRow, ...]
    meetings_by_month: tuple[tuple[date, int], ...] = ()  # (first day of the month, meetings held)

    @property
    def models_evaluated(self) -> int:
        return sum(1 for m in self.models if m.rating)

    def rating_counts(self) -> list[tuple[str, int]]:
        """(rating, models) in the order of the best score seen for each rating."""
        best: dict[str, float] = {}
        for m in self.models:
            if m.rating:
                best[m.rating] = max(best.get(m.rating, 0.0), m.total_score or 0.0)
        order = sorted(best, key=lambda r: -best[r])
        return [(r, sum(1 for m in self.models if m.rating == r)) for r in order]

    def recommendation_counts(self) -> list[tuple[str, int]]:
        return [(label, sum(1 for m in self.models if m.recommendation == code))
                for code, label in RECOMMENDATION_LABELS.items()]


@dataclass(frozen=True)
class SummaryItem:
    label: str
    value: int | float | None  # None: no data (e.g. no meeting, no rate)
    percent: bool = False


def report_header(office: OfficeInfo, on: date) -> DocumentHeader:
    """Reports and evaluation records are issued by the commune police, under the
    police above it on the date printed (district police until 2025, then the province's)."""
    return police_header(office, on)


def report_recipients(office: OfficeInfo, on: date) -> tuple[str, ...]:
    """"Nơi nhận" of a report: first the police above the office on that date."""
    upper = police_parent_name(office, on) or "Cơ quan cấp trên"
    return (f"{upper} (để báo cáo)", f"Đảng ủy, UBND {office.display_name}",
            f"Ủy ban MTTQ {office.display_name}", "Lưu: VT, Hồ sơ")


def _hamlet_rows(session: Session, period: ReviewPeriod) -> tuple[HamletFigures, ...]:
    counts = counts_by_hamlet(session, period.start, period.end)
    rows = []
    for h in list_hamlets(session, include_retired=True):
        in_period = h.valid_to is None or h.valid_to >= period.start
        if in_period or h.id in counts:
            rows.append(HamletFigures(h.name, counts.get(h.id, AreaCounts())))
    return tuple(rows)


def _latest_evaluations(period: ReviewPeriod):
    ranked = (select(Evaluation.model_id, Evaluation.rating, Evaluation.total_score,
                     Evaluation.recommendation, Evaluation.evaluated_on,
                     func.row_number().over(partition_by=Evaluation.model_id, order_by=(
                         Evaluation.period_end.desc(), Evaluation.evaluated_on.desc(),
                         Evaluation.created_at.desc())).label("rn"))
              .where(live(Evaluation), Evaluation.period_end >= period.start,
                     Evaluation.period_end <= period.end).subquery())
    return select(ranked).where(ranked.c.rn == 1).subquery()


def _model_rows(session: Session, period: ReviewPeriod) -> tuple[ModelReviewRow, ...]:
    sites = (select(ModelSite.model_id, func.count().label("n"),
                    func.coalesce(func.sum(ModelSite.households_count), 0).label("households"))
             .where(live(ModelSite),
                    or_(ModelSite.start_date.is_(None), ModelSite.start_date <= period.end))
             .group_by(ModelSite.model_id).subquery())
    first = (select(ModelSite.model_id, func.min(ModelSite.start_date).label("day"))
             .where(live(ModelSite)).group_by(ModelSite.model_id).subquery())
    started = func.coalesce(PreventionModel.start_date, first.c.day)  # else its first site's start
    latest = _latest_evaluations(period)
    stmt = (select(PreventionModel, ModelType.name, func.coalesce(sites.c.n, 0),
                   func.coalesce(sites.c.households, 0), latest.c.rating, latest.c.total_score,
                   latest.c.recommendation, latest.c.evaluated_on)
            .join(ModelType, ModelType.id == PreventionModel.type_id)
            .outerjoin(sites, sites.c.model_id == PreventionModel.id)
            .outerjoin(first, first.c.model_id == PreventionModel.id)
            .outerjoin(latest, latest.c.model_id == PreventionModel.id)
            .where(live(PreventionModel), or_(started.is_(None), started <= period.end),
                   # a model dropped before the period is no longer reported
                   ~and_(PreventionModel.status == ModelStatus.RETIRED,
                         PreventionModel.status_date < period.start)))
    rows = [ModelReviewRow(m.name, type_name, m.lead_organisation, m.status, n, households, rating,
                           score, advice, on)
            for m, type_name, n, households, rating, score, advice, on in session.exec(stmt).all()]
    return tuple(sorted(rows, key=lambda r: sort_key(r.name)))


def review_figures(session: Session, period: ReviewPeriod) -> ReviewFigures:
    hamlets = _hamlet_rows(session, period)
    done = propaganda_totals(session, since=period.start, until=period.end)
    return ReviewFigures(period=period, office=get_office(session), hamlets=hamlets,
                         total=total(h.counts for h in hamlets), pledge_year=period.end.year,
                         propaganda=tuple((label, KIND_UNITS[kind], done.get(kind, 0))
                                          for kind, label in KIND_LABELS.items()),
                         models=_model_rows(session, period),
                         meetings_by_month=tuple(meetings_by_month(session, period.start, period.end)))


def summary_items(f: ReviewFigures) -> list[SummaryItem]:
    """The summary figures, in report order: the PDF prints them, the workbook stores them."""
    t = f.total
    items = [SummaryItem("Số Tổ nhân dân tự quản", t.groups),
             SummaryItem("Số hộ gia đình", t.households),
             SummaryItem("Số buổi sinh hoạt tổ đã tổ chức", t.meetings),
             SummaryItem("Số tổ có tổ chức sinh hoạt", t.groups_met),
             SummaryItem("Lượt hộ dự họp", t.attendance_present),
             SummaryItem("Lượt hộ được mời họp", t.attendance_total),
             SummaryItem("Tỷ lệ hộ dự họp", t.attendance_rate, percent=True),
             SummaryItem(f"Số hộ đã ký cam kết năm {f.pledge_year}", t.pledges_signed),
             SummaryItem(f"Số hộ phải ký cam kết năm {f.pledge_year}", t.pledges_total),
             SummaryItem("Tỷ lệ hộ ký cam kết", t.pledge_coverage, percent=True)]
    items += [SummaryItem(f"Tuyên truyền – {label} (số {unit})", n) for label, unit, n in f.propaganda]
    items += [SummaryItem("Số mô hình phòng, chống tội phạm", len(f.models)),
              SummaryItem("Số mô hình được đánh giá trong kỳ", f.models_evaluated)]
    items += [SummaryItem(f"Mô hình xếp loại {label}", n) for label, n in f.rating_counts()]
    items += [SummaryItem(f"Mô hình đề nghị {label.lower()}", n) for label, n in f.recommendation_counts()]
    return items
