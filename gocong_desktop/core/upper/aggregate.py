"""The upper office's aggregate report across communes for a period: one row per
commune, counted in SQL over its imported records (``owner_unit_id``), plus totals.

The figures are ``services/area_figures`` per commune over the period's window
(groups active in the period, households on the register at its end, meetings
held, attendance, pledges of the end year); identity, last package and models
by rating come from the comparison dashboard. The PDF and the workbook both
print these rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.document_header import police_name
from gocong_desktop.core.services.area_figures import AreaCounts, area_counts, total
from gocong_desktop.core.services.figures import Scope, Window
from gocong_desktop.core.services.office import OfficeInfo, get_office
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.core.upper.dashboard import commune_dashboard

NOT_UPPER = ("Báo cáo tổng hợp các xã chỉ lập được tại cơ quan cấp trên "
             "(nơi nhận gói đồng bộ của các xã).")


@dataclass(frozen=True)
class CommuneFigures:
    unit_id: str
    name: str  # "xã Bình Tân"
    unit_code: str | None
    counts: AreaCounts
    models_by_rating: dict[str, int]
    last_sequence: int | None
    last_package_at: datetime | None

    @property
    def models(self) -> int:
        return sum(self.models_by_rating.values())

    @property
    def meetings_per_group(self) -> float | None:
        return self.counts.meetings / self.counts.groups if self.counts.groups else None


@dataclass(frozen=True)
class AggregateFigures:
    office: OfficeInfo  # the upper office, issuer of the report
    period: ReviewPeriod
    communes: tuple[CommuneFigures, ...]
    total: AreaCounts
    models_by_rating: dict[str, int] = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        """"Công an huyện Gò Công Tây" (an upper office's unit type may already say "Công an")."""
        return police_name(self.office)

    @property
    def pledge_year(self) -> int:
        return self.period.end.year

    @property
    def ratings(self) -> list[str]:
        """Rating labels in use, for the columns of the tables."""
        return sorted(self.models_by_rating)

    @property
    def models(self) -> int:
        return sum(self.models_by_rating.values())

    @property
    def meetings_per_group(self) -> float | None:
        return self.total.meetings / self.total.groups if self.total.groups else None


def aggregate_figures(session: Session, period: ReviewPeriod) -> AggregateFigures:
    """Refused (ValidationError) at a commune office: only the upper office holds communes."""
    office = get_office(session)
    if office.role != OfficeRole.UPPER:
        raise ValidationError(NOT_UPPER)
    counts = area_counts(session, Scope.UNIT, Window.days(period.start, period.end))
    rows = tuple(CommuneFigures(r.unit_id, r.name, r.unit_code, counts.get(r.unit_id, AreaCounts()),
                                r.models_by_rating, r.last_sequence, r.last_package_at)
                 for r in commune_dashboard(session, today=period.end, counts=counts))
    ratings: Counter[str] = Counter()
    for row in rows:
        ratings.update(row.models_by_rating)
    return AggregateFigures(office, period, rows, total(r.counts for r in rows), dict(sorted(ratings.items())))
