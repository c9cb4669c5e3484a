"""Figures for the Overview page: per hamlet and for the whole commune."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from gocong_desktop.core.services.area_figures import AreaCounts, area_counts
from gocong_desktop.core.services.figures import Scope, Window
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
    meetings_final: int = 0  # of the meetings this quarter, those whose minutes are final

    @property
    def pledge_coverage(self) -> float:
        """Percentage signed; 0 while no campaign is open."""
        return 100.0 * self.pledges_signed / self.pledges_total if self.pledges_total else 0.0


def overview(session: Session, *, today: date | None = None) -> tuple[list[AreaFigures], AreaFigures]:
    """(rows per active hamlet, commune total: the sum of those rows), counted in SQL
    over ``Window.quarter(today)``, as the upper office's dashboard counts the commune."""
    counts = area_counts(session, Scope.HAMLET, Window.quarter(today or date.today()), attendance=False)
    rows = []
    for h in list_hamlets(session):
        c = counts.get(h.id, AreaCounts())
        rows.append(AreaFigures(h.name, c.groups, c.households, c.meetings,
                                c.pledges_signed, c.pledges_total, c.meetings_final))
    office = get_office(session)
    totals = AreaFigures(office.display_name, *(sum(getattr(r, f) for r in rows) for f in
                         ("groups", "households", "meetings_this_quarter", "pledges_signed", "pledges_total",
                          "meetings_final")))
    return rows, totals
