"""The one definition of each movement figure, as SQL criteria and queries.

Every count the app shows or prints (the Overview page, pledge coverage, the
review report, a model's evidence, the upper office's dashboard and aggregate
report) is built from these, so no two of them can count differently.

A figure is counted over a ``Window`` (when) and by a ``Scope`` (per what).
Two windows, both kept because each screen has its own question:
- ``Window.days(start, end)``, a report's period: groups active at some time in
  it (founding and retirement dates), households on the register at its end,
  meetings held in it, pledges of its end year;
- ``Window.quarter(today)``, "now" as the Overview page and the dashboard show
  it: groups marked active, households not moved out, meetings of the current
  quarter, pledges of this year.
Meetings count whatever their minutes' state (drafts included) and whatever has
become of their group since; attendance counts the households marked at them,
present or away (a draft's households not marked yet say nothing of who came).
Which households and groups are on the register is ``register_criteria``'s (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Iterable

from sqlalchemy import and_, case, distinct, exists, func
from sqlmodel import select

from gocong_desktop.core.db.models import Attendance, AttendanceStatus, Household, Meeting, MeetingStatus, \
    Pledge, PledgeStatus, SelfManagedGroup, live
from gocong_desktop.core.services.register_criteria import (  # noqa: F401  (callers count with them too)
    group_active_during, group_active_now, household_on_register)
from gocong_desktop.core.services.pledge_criteria import pledge_counted, pledge_of_year  # noqa: F401 (re-exported)


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00): meetings are stored as local wall-clock times."""
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def quarter_bounds(day: date) -> tuple[datetime, datetime]:
    """[first day of ``day``'s quarter 00:00, first day of the next quarter 00:00)."""
    first = 3 * ((day.month - 1) // 3) + 1
    start = datetime(day.year, first, 1)
    end = datetime(day.year + (first == 10), 1 if first == 10 else first + 3, 1)
    return start, end


def meeting_held(since: datetime, until: datetime) -> Any:
    """A meeting not deleted that starts in [since, until), drafts included."""
    return and_(live(Meeting), Meeting.starts_at >= since, Meeting.starts_at < until)


def group_met(since: datetime, until: datetime) -> Any:
    """A group that held a meeting (``meeting_held``) in [since, until)."""
    return exists().where(Meeting.group_id == SelfManagedGroup.id, meeting_held(since, until))


@dataclass(frozen=True)
class Window:
    """What a figure counts over: meetings from ``start`` to ``end`` (both days
    included), pledges of ``end``'s year, groups and households as ``now`` says."""

    start: date
    end: date  # last day counted
    now: bool = False  # the register as it is now (Overview page, dashboard), not at ``end``

    @classmethod
    def days(cls, start: date, end: date) -> "Window":
        """A report's period: groups active in it, households on the register at its end."""
        return cls(start, end)

    @classmethod
    def quarter(cls, today: date) -> "Window":
        """``today``'s quarter, with groups and households as they are now."""
        since, until = quarter_bounds(today)
        return cls(since.date(), until.date() - timedelta(days=1), now=True)

    @property
    def pledge_year(self) -> int:
        return self.end.year

    def groups(self) -> Any:
        return group_active_now() if self.now else group_active_during(self.start, self.end)

    def households(self) -> Any:
        return household_on_register(None if self.now else self.end)

    def meetings(self) -> Any:
        return meeting_held(*day_bounds(self.start, self.end))

    def pledges(self) -> Any:
        return pledge_counted(self.pledge_year, None if self.now else self.end)


class Scope(Enum):
    HAMLET = "hamlet"  # a commune's records per hamlet (meetings by their group's hamlet)
    UNIT = "unit"  # the upper office's records per commune (each record's owner_unit_id)


Keys = Iterable[str] | None  # only these hamlets / communes; None: all


def _per(stmt: Any, key: Any, keys: Keys) -> Any:
    stmt = stmt.group_by(key)
    return stmt if keys is None else stmt.where(key.in_(list(keys)))


def groups_query(scope: Scope, window: Window, keys: Keys = None) -> Any:
    """(key, groups)."""
    key = SelfManagedGroup.hamlet_id if scope is Scope.HAMLET else SelfManagedGroup.owner_unit_id
    return _per(select(key, func.count()).where(window.groups()), key, keys)


def households_query(scope: Scope, window: Window, keys: Keys = None) -> Any:
    """(key, households)."""
    key = Household.hamlet_id if scope is Scope.HAMLET else Household.owner_unit_id
    return _per(select(key, func.count()).where(window.households()), key, keys)


def meetings_query(scope: Scope, window: Window, keys: Keys = None) -> Any:
    """(key, meetings held, of them with final minutes, groups that met)."""
    counts = (func.count(Meeting.id), func.sum(case((Meeting.status == MeetingStatus.FINAL, 1), else_=0)),
              func.count(distinct(Meeting.group_id)))
    if scope is Scope.HAMLET:
        key, stmt = SelfManagedGroup.hamlet_id, (select(SelfManagedGroup.hamlet_id, *counts)
                                                 .join(Meeting, Meeting.group_id == SelfManagedGroup.id))
    else:
        key, stmt = Meeting.owner_unit_id, select(Meeting.owner_unit_id, *counts)
    return _per(stmt.where(window.meetings()), key, keys)


def attendance_query(scope: Scope, window: Window, keys: Keys = None) -> Any:
    """(key, households present, households marked present or away), summed over the
    meetings held. Attendance is read from ix_attendance_meeting_status only (migration
    0019): a commune's by its meetings' owner, which is the attendance's."""
    counts = (func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)),
              func.sum(case((Attendance.status != AttendanceStatus.UNMARKED, 1), else_=0)))
    if scope is Scope.HAMLET:
        key, stmt = SelfManagedGroup.hamlet_id, (select(SelfManagedGroup.hamlet_id, *counts)
                                                 .join(Meeting, Meeting.group_id == SelfManagedGroup.id)
                                                 .join(Attendance, Attendance.meeting_id == Meeting.id))
    else:
        key, stmt = Meeting.owner_unit_id, (select(Meeting.owner_unit_id, *counts)
                                            .join(Attendance, Attendance.meeting_id == Meeting.id))
    return _per(stmt.where(live(Attendance), window.meetings()), key, keys)


def pledge_counts(window: Window) -> Any:
    """(signed, pledges counted) of the window's year; narrow it with ``.where``."""
    return (select(func.coalesce(func.sum(case((Pledge.status == PledgeStatus.SIGNED, 1), else_=0)), 0),
                   func.count(Pledge.id))
            .select_from(Pledge).join(Household, Household.id == Pledge.household_id).where(window.pledges()))


def pledges_query(scope: Scope, window: Window, keys: Keys = None) -> Any:
    """(signed, pledges counted, key): pledges by their household's hamlet, or by owner."""
    if scope is Scope.UNIT and keys is not None:
        return _unit_pledges(window, keys)
    key = Household.hamlet_id if scope is Scope.HAMLET else Pledge.owner_unit_id
    return _per(pledge_counts(window).add_columns(key), key, keys)


def _unit_pledges(window: Window, keys: Iterable[str]) -> Any:
    """``pledges_query`` of some communes: the same pledges, their household
    asked for (by id) once each pledge is found by its owner and year. Joined,
    SQLite would read every commune's households first (its statistics think few
    have no moving-out date): 0.1 s a commune at 12 communes, growing with them."""
    on_register = exists().where(Household.id == Pledge.household_id, window.households())
    stmt = (select(func.coalesce(func.sum(case((Pledge.status == PledgeStatus.SIGNED, 1), else_=0)), 0),
                   func.count(Pledge.id), Pledge.owner_unit_id)
            .where(pledge_of_year(window.pledge_year), on_register))
    return _per(stmt, Pledge.owner_unit_id, keys)
