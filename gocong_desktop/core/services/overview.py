"""Figures for the Overview page: per hamlet and for the whole commune."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import Household, Meeting, Pledge, PledgeStatus, SelfManagedGroup
from gocong_desktop.core.services.hamlets import list_hamlets
from gocong_desktop.core.services.office import get_office


@dataclass(frozen=True)
class AreaFigures:
    name: str  # hamlet name, or the commune's display name for the total row
    groups: int
    households: int
    meetings_this_quarter: int
    pledges_signed: int
    pledges_total: int

    @property
    def pledge_coverage(self) -> float:
        """Percentage signed; 0 while no campaign is open."""
        return 100.0 * self.pledges_signed / self.pledges_total if self.pledges_total else 0.0


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _by_hamlet(session: Session, stmt) -> dict[str, int]:
    return {hamlet_id: n for hamlet_id, n in session.exec(stmt).all()}


def overview(session: Session, *, today: date | None = None) -> tuple[list[AreaFigures], AreaFigures]:
    """(rows per active hamlet, commune total), counted in SQL."""
    today = today or date.today()
    since = datetime.combine(quarter_start(today), datetime.min.time())
    live_group = (SelfManagedGroup.deleted.is_(False), SelfManagedGroup.active.is_(True))
    live_household = (Household.deleted.is_(False), Household.moved_out_date.is_(None))
    groups = _by_hamlet(session, select(SelfManagedGroup.hamlet_id, func.count())
                        .where(*live_group).group_by(SelfManagedGroup.hamlet_id))
    households = _by_hamlet(session, select(Household.hamlet_id, func.count())
                            .where(*live_household).group_by(Household.hamlet_id))
    meetings = _by_hamlet(session, select(SelfManagedGroup.hamlet_id, func.count())
                          .join(Meeting, Meeting.group_id == SelfManagedGroup.id)
                          .where(Meeting.deleted.is_(False), Meeting.starts_at >= since)
                          .group_by(SelfManagedGroup.hamlet_id))
    pledge_rows = session.exec(
        select(Household.hamlet_id, func.count(),
               func.sum(case((Pledge.status == PledgeStatus.SIGNED, 1), else_=0)))
        .join(Pledge, Pledge.household_id == Household.id)
        .where(Pledge.year == today.year, Pledge.deleted.is_(False),
               Pledge.status != PledgeStatus.MOVED, *live_household)
        .group_by(Household.hamlet_id)).all()
    total = {hamlet_id: n for hamlet_id, n, _signed in pledge_rows}
    signed = {hamlet_id: int(n or 0) for hamlet_id, _total, n in pledge_rows}
    rows = [AreaFigures(h.name, groups.get(h.id, 0), households.get(h.id, 0), meetings.get(h.id, 0),
                        signed.get(h.id, 0), total.get(h.id, 0)) for h in list_hamlets(session)]
    office = get_office(session)
    totals = AreaFigures(office.display_name, *(sum(getattr(r, f) for r in rows) for f in
                         ("groups", "households", "meetings_this_quarter", "pledges_signed", "pledges_total")))
    return rows, totals
