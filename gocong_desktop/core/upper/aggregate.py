"""The upper office's aggregate report across communes for a period: one row per
commune, counted in SQL over its imported records (``owner_unit_id``), plus totals.

The figures use the definitions of ``services/area_figures`` (groups active in the
period, households on the register at its end, meetings held, attendance, pledges
of the end year); identity, last package and models by rating come from the
comparison dashboard. The PDF and the workbook both print these rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, distinct, func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import Attendance, AttendanceStatus, Household, Meeting, MeetingStatus, OfficeRole, Pledge, \
    SelfManagedGroup
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.area_figures import AreaCounts, _groups_in_period, day_bounds, live_households_at, \
    pledge_counts_stmt, total
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
        name = self.office.display_name
        return name if name.lower().startswith("công an") else f"Công an {name}"

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


def _counts_by_owner(session: Session, period: ReviewPeriod) -> dict[str, AreaCounts]:
    start, end = period.start, period.end
    since, until = day_bounds(start, end)
    held = (Meeting.deleted.is_(False), Meeting.starts_at >= since, Meeting.starts_at < until)
    groups = dict(session.exec(select(SelfManagedGroup.owner_unit_id, func.count())
                               .where(*_groups_in_period(start, end)).group_by(SelfManagedGroup.owner_unit_id)).all())
    households = dict(session.exec(select(Household.owner_unit_id, func.count())
                                   .where(*live_households_at(end)).group_by(Household.owner_unit_id)).all())
    meetings = {o: (n, int(final or 0), met) for o, n, final, met in session.exec(
        select(Meeting.owner_unit_id, func.count(Meeting.id),
               func.sum(case((Meeting.status == MeetingStatus.FINAL, 1), else_=0)),
               func.count(distinct(Meeting.group_id))).where(*held).group_by(Meeting.owner_unit_id)).all()}
    attendance = {o: (int(p or 0), n) for o, p, n in session.exec(
        select(Attendance.owner_unit_id, func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)),
               func.count(Attendance.id)).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.deleted.is_(False), *held).group_by(Attendance.owner_unit_id)).all()}
    pledges = {o: (int(s), n) for s, n, o in session.exec(
        pledge_counts_stmt(end.year, end).add_columns(Pledge.owner_unit_id).group_by(Pledge.owner_unit_id)).all()}
    out = {}
    for owner in set(groups) | set(households) | set(meetings) | set(attendance) | set(pledges):
        n, final, met = meetings.get(owner, (0, 0, 0))
        present, expected = attendance.get(owner, (0, 0))
        signed, pledged = pledges.get(owner, (0, 0))
        out[owner] = AreaCounts(groups.get(owner, 0), households.get(owner, 0), n, final, met,
                                present, expected, signed, pledged)
    return out


def aggregate_figures(session: Session, period: ReviewPeriod) -> AggregateFigures:
    """Refused (ValidationError) at a commune office: only the upper office holds communes."""
    office = get_office(session)
    if office.role != OfficeRole.UPPER:
        raise ValidationError(NOT_UPPER)
    counts = _counts_by_owner(session, period)
    rows = tuple(CommuneFigures(r.unit_id, r.name, r.unit_code, counts.get(r.unit_id, AreaCounts()),
                                r.models_by_rating, r.last_sequence, r.last_package_at)
                 for r in commune_dashboard(session, today=period.end))
    ratings: Counter[str] = Counter()
    for row in rows:
        ratings.update(row.models_by_rating)
    return AggregateFigures(office, period, rows, total(r.counts for r in rows), dict(sorted(ratings.items())))
