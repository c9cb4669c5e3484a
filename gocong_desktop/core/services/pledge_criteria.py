"""Which pledges count: the criteria of ``figures`` that need the pledge and
register tables alone.

Printing pledge forms and listing coverage import them from here, without the
meeting tables ``figures`` counts too (a CLI command pays each table class it
builds: issue 16). ``figures`` re-exports them: every count uses this one
definition.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_

from gocong_desktop.core.db.models import Pledge, PledgeStatus, live
from gocong_desktop.core.services.register_criteria import household_on_register


def pledge_of_year(year: int) -> Any:
    """A pledge of ``year`` not deleted and not marked "chuyển đi"."""
    return and_(Pledge.year == year, live(Pledge), Pledge.status != PledgeStatus.MOVED)


def pledge_counted(year: int, households_at: date | None = None) -> Any:
    """A pledge of ``year`` that counts towards coverage: not deleted, not marked
    "chuyển đi", of a household on the register (now, or at ``households_at``).
    The query must join ``Household`` on ``Pledge.household_id``."""
    return and_(pledge_of_year(year), household_on_register(households_at))
