"""Movement figures per hamlet over a period, counted in SQL.

The one definition of "groups", "meetings held", "attendance" and "pledge coverage"
behind a model's evidence (``evidence.py``) and the review report (``review.py``),
so the evaluation form, the PDF and the workbook never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from sqlalchemy import case, distinct, func, or_
from sqlmodel import Session, select

from gocong_desktop.core.db.models import Attendance, AttendanceStatus, Household, Meeting, MeetingStatus, Pledge, \
    PledgeStatus, SelfManagedGroup


@dataclass(frozen=True)
class AreaCounts:
    groups: int = 0  # groups active at some time in the period
    households: int = 0  # households on the register at the period's end
    meetings: int = 0  # meetings held in the period (drafts included: held, minutes not final)
    meetings_final: int = 0
    groups_met: int = 0  # groups that held at least one meeting
    attendance_present: int = 0  # households present, summed over the meetings
    attendance_total: int = 0  # households expected, summed over the meetings
    pledges_signed: int = 0
    pledges_total: int = 0

    def __add__(self, other: "AreaCounts") -> "AreaCounts":
        return AreaCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def attendance_rate(self) -> float | None:
        """Percentage of expected households present; None without meetings."""
        return 100.0 * self.attendance_present / self.attendance_total if self.attendance_total else None

    @property
    def pledge_coverage(self) -> float | None:
        return 100.0 * self.pledges_signed / self.pledges_total if self.pledges_total else None


def total(counts: Iterable[AreaCounts]) -> AreaCounts:
    return sum(counts, AreaCounts())


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00): meetings are stored as local wall-clock times."""
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def live_households_at(end: date) -> tuple[Any, ...]:
    """Households on the register at ``end``: not deleted, not moved out by then."""
    return (Household.deleted.is_(False),
            or_(Household.moved_out_date.is_(None), Household.moved_out_date > end))


def pledge_counts_stmt(year: int, end: date) -> Any:
    """(signed, total) over ``year``'s pledges of households on the register at ``end``;
    households that moved away are out of the count, as on the Overview page."""
    return (select(func.coalesce(func.sum(case((Pledge.status == PledgeStatus.SIGNED, 1), else_=0)), 0),
                   func.count(Pledge.id))
            .join(Household, Household.id == Pledge.household_id)
            .where(Pledge.year == year, Pledge.deleted.is_(False), Pledge.status != PledgeStatus.MOVED,
                   *live_households_at(end)))


def _groups_in_period(start: date, end: date) -> tuple[Any, ...]:
    return (SelfManagedGroup.deleted.is_(False),
            or_(SelfManagedGroup.founded_date.is_(None), SelfManagedGroup.founded_date <= end),
            or_(SelfManagedGroup.retired_date.is_(None), SelfManagedGroup.retired_date >= start))


def _restrict(stmt: Any, column: Any, hamlet_ids: Iterable[str] | None) -> Any:
    return stmt if hamlet_ids is None else stmt.where(column.in_(list(hamlet_ids)))


def _meetings(session: Session, start: date, end: date, hamlet_ids) -> dict[str, tuple[int, ...]]:
    since, until = day_bounds(start, end)
    stmt = (select(SelfManagedGroup.hamlet_id, func.count(Meeting.id),
                   func.sum(case((Meeting.status == MeetingStatus.FINAL, 1), else_=0)),
                   func.count(distinct(Meeting.group_id)))
            .join(Meeting, Meeting.group_id == SelfManagedGroup.id)
            .where(Meeting.deleted.is_(False), Meeting.starts_at >= since, Meeting.starts_at < until)
            .group_by(SelfManagedGroup.hamlet_id))
    stmt = _restrict(stmt, SelfManagedGroup.hamlet_id, hamlet_ids)
    return {h: (n, int(final or 0), met) for h, n, final, met in session.exec(stmt).all()}


def _attendance(session: Session, start: date, end: date, hamlet_ids) -> dict[str, tuple[int, int]]:
    since, until = day_bounds(start, end)
    stmt = (select(SelfManagedGroup.hamlet_id,
                   func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)),
                   func.count(Attendance.id))
            .join(Meeting, Meeting.group_id == SelfManagedGroup.id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(Meeting.deleted.is_(False), Attendance.deleted.is_(False),
                   Meeting.starts_at >= since, Meeting.starts_at < until)
            .group_by(SelfManagedGroup.hamlet_id))
    stmt = _restrict(stmt, SelfManagedGroup.hamlet_id, hamlet_ids)
    return {h: (int(p or 0), t) for h, p, t in session.exec(stmt).all()}


def counts_by_hamlet(session: Session, start: date, end: date, *,
                     hamlet_ids: Iterable[str] | None = None) -> dict[str, AreaCounts]:
    """Figures of each hamlet (id → counts) over [start, end]; pledges of ``end.year``."""
    hamlet_ids = None if hamlet_ids is None else list(hamlet_ids)
    groups = dict(session.exec(_restrict(
        select(SelfManagedGroup.hamlet_id, func.count()).where(*_groups_in_period(start, end))
        .group_by(SelfManagedGroup.hamlet_id), SelfManagedGroup.hamlet_id, hamlet_ids)).all())
    households = dict(session.exec(_restrict(
        select(Household.hamlet_id, func.count()).where(*live_households_at(end))
        .group_by(Household.hamlet_id), Household.hamlet_id, hamlet_ids)).all())
    meetings = _meetings(session, start, end, hamlet_ids)
    attendance = _attendance(session, start, end, hamlet_ids)
    pledge_stmt = _restrict(pledge_counts_stmt(end.year, end).add_columns(Household.hamlet_id)
                            .group_by(Household.hamlet_id), Household.hamlet_id, hamlet_ids)
    pledges = {h: (int(signed), n) for signed, n, h in session.exec(pledge_stmt).all()}
    out = {}
    for hamlet in set(groups) | set(households) | set(meetings) | set(attendance) | set(pledges):
        held, final, met = meetings.get(hamlet, (0, 0, 0))
        present, expected = attendance.get(hamlet, (0, 0))
        signed, pledged = pledges.get(hamlet, (0, 0))
        out[hamlet] = AreaCounts(groups.get(hamlet, 0), households.get(hamlet, 0), held, final, met,
                                 present, expected, signed, pledged)
    return out
