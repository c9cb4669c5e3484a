"""Movement figures per hamlet or per commune over a window, counted in SQL
with the definitions of ``figures.py``: the Overview page, a model's evidence
(``evidence.py``), the review report (``review.py``) and the upper office's
dashboard and aggregate report all read their figures from here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import Meeting
from gocong_desktop.core.db.sql_functions import month_text

from gocong_desktop.core.services.figures import Scope, Window, attendance_query, day_bounds, groups_query, \
    households_query, meeting_held, meetings_query, pledges_query


@dataclass(frozen=True)
class AreaCounts:
    groups: int = 0  # groups active (in the period, or now: ``figures.Window``)
    households: int = 0  # households on the register (at the period's end, or now)
    meetings: int = 0  # meetings held in the period (drafts included: held, minutes not final)
    meetings_final: int = 0
    groups_met: int = 0  # groups that held at least one meeting
    attendance_present: int = 0  # households present, summed over the meetings
    attendance_total: int = 0  # households marked present or away, summed over the meetings
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


def area_counts(session: Session, scope: Scope, window: Window, *,
                keys: Iterable[str] | None = None, attendance: bool = True) -> dict[str, AreaCounts]:
    """Figures of each hamlet or commune (key → counts) over the window.
    ``attendance=False`` leaves attendance at 0 for a screen that shows none
    (its table is the largest: the Overview, shown at start, skips it)."""
    keys = None if keys is None else list(keys)
    groups = dict(session.exec(groups_query(scope, window, keys)).all())
    households = dict(session.exec(households_query(scope, window, keys)).all())
    meetings = {k: (n, int(final or 0), met) for k, n, final, met in
                session.exec(meetings_query(scope, window, keys)).all()}
    present = {k: (int(p or 0), int(n or 0)) for k, p, n in
               session.exec(attendance_query(scope, window, keys)).all()} if attendance else {}
    pledges = {k: (int(signed), n) for signed, n, k in session.exec(pledges_query(scope, window, keys)).all()}
    out = {}
    for key in set(groups) | set(households) | set(meetings) | set(present) | set(pledges):
        held, final, met = meetings.get(key, (0, 0, 0))
        signed, pledged = pledges.get(key, (0, 0))
        out[key] = AreaCounts(groups.get(key, 0), households.get(key, 0), held, final, met,
                              *present.get(key, (0, 0)), signed, pledged)
    return out


def counts_by_hamlet(session: Session, start: date, end: date, *,
                     hamlet_ids: Iterable[str] | None = None) -> dict[str, AreaCounts]:
    """Figures of each hamlet (id → counts) over [start, end]; pledges of ``end.year``."""
    return area_counts(session, Scope.HAMLET, Window.days(start, end), keys=hamlet_ids)


def meetings_by_month(session: Session, start: date, end: date) -> list[tuple[date, int]]:
    """(first day of the month, meetings held) for every month from ``start``'s to
    ``end``'s, months without a meeting included; meetings of [start, end] only."""
    month = month_text(Meeting.starts_at)
    held = dict(session.exec(select(month, func.count()).where(meeting_held(*day_bounds(start, end)))
                             .group_by(month)).all())
    out, year, m = [], start.year, start.month
    while (year, m) <= (end.year, end.month):
        out.append((date(year, m, 1), held.get(f"{year:04d}-{m:02d}", 0)))
        year, m = year + (m == 12), m % 12 + 1
    return out
