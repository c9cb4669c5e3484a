"""Who is on the register: households not moved out, groups not retired.

The criteria of ``figures`` that need the register's two tables alone: a
service listing hamlets or groups imports them from here, without building the
meeting and pledge tables ``figures`` counts (a CLI command pays each table).
``figures`` re-exports them, so every count still uses this one definition.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_

from gocong_desktop.core.db.models import Household, SelfManagedGroup, live


def household_on_register(at: date | None = None) -> Any:
    """Not deleted and not moved out: now (no moving-out date), or at the day ``at``
    (moved out after it)."""
    stayed = (Household.moved_out_date.is_(None) if at is None
              else or_(Household.moved_out_date.is_(None), Household.moved_out_date > at))
    return and_(live(Household), stayed)


def group_active_now() -> Any:
    """Not deleted and not retired (the group's active flag)."""
    return and_(live(SelfManagedGroup), SelfManagedGroup.active.is_(True))


def group_active_during(start: date, end: date) -> Any:
    """Not deleted, founded by ``end`` and not retired before ``start`` (dates, not the flag)."""
    return and_(live(SelfManagedGroup),
                or_(SelfManagedGroup.founded_date.is_(None), SelfManagedGroup.founded_date <= end),
                or_(SelfManagedGroup.retired_date.is_(None), SelfManagedGroup.retired_date >= start))
