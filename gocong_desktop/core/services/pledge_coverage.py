"""Pledge coverage per group, per hamlet and for the commune.

The rule is the one of ``pledges.coverage`` and the Overview page: pledges of
households still in the register (not deleted, not moved out), a pledge marked
"chuyển đi" left out. Refusals count against coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, Household, Pledge, PledgeStatus
from gocong_desktop.core.services.pledge_criteria import pledge_counted
from gocong_desktop.core.text import sort_key
from gocong_desktop.core.services.groups import list_groups
from gocong_desktop.core.services.hamlets import list_hamlets
from gocong_desktop.core.services.office import get_office

NO_GROUP = "Chưa xếp tổ"


@dataclass(frozen=True)
class CoverageRow:
    level: str  # "commune", "hamlet" or "group"
    id: str | None  # None for the commune and for a hamlet's households without a group
    name: str
    hamlet_id: str | None
    signed: int = 0
    refused: int = 0
    unsigned: int = 0

    @property
    def total(self) -> int:
        return self.signed + self.refused + self.unsigned

    @property
    def percent(self) -> float:
        """Percentage signed; 0 when nobody is asked yet."""
        return 100.0 * self.signed / self.total if self.total else 0.0


@dataclass(frozen=True)
class CoverageReport:
    year: int
    commune: CoverageRow
    hamlets: list[CoverageRow]
    groups: list[CoverageRow] = field(default_factory=list)

    def groups_of(self, hamlet_id: str) -> list[CoverageRow]:
        return [g for g in self.groups if g.hamlet_id == hamlet_id]


Counts = dict[str, int]  # status -> households


def _counts(session: Session, year: int) -> dict[tuple[str, str | None], Counts]:
    """{(hamlet id, group id): {status: n}}, counted in SQL."""
    rows = session.exec(
        select(Household.hamlet_id, Household.group_id, Pledge.status, func.count())
        .join(Household, Household.id == Pledge.household_id)
        .where(pledge_counted(year))
        .group_by(Household.hamlet_id, Household.group_id, Pledge.status)).all()
    out: dict[tuple[str, str | None], Counts] = defaultdict(dict)
    for hamlet_id, group_id, status, n in rows:
        out[(hamlet_id, group_id)][status] = n
    return out


def _row(level: str, row_id: str | None, name: str, hamlet_id: str | None, counts: Counts) -> CoverageRow:
    return CoverageRow(level=level, id=row_id, name=name, hamlet_id=hamlet_id,
                       signed=counts.get(PledgeStatus.SIGNED, 0),
                       refused=counts.get(PledgeStatus.REFUSED, 0),
                       unsigned=counts.get(PledgeStatus.UNSIGNED, 0))


def _add(total: Counts, more: Counts) -> Counts:
    for status, n in more.items():
        total[status] = total.get(status, 0) + n
    return total


def _hamlet_names(session: Session, counted: set[str]) -> dict[str, str]:
    """Active hamlets, plus any retired one that still has counted households."""
    names = {h.id: h.name for h in list_hamlets(session)}
    missing = counted - names.keys()
    if missing:
        names.update(session.exec(select(AdminUnit.id, AdminUnit.name).where(
            AdminUnit.id.in_(missing))).all())
    return names


def coverage_report(session: Session, year: int) -> CoverageReport:
    counts = _counts(session, year)
    hamlet_names = _hamlet_names(session, {h for h, _g in counts})
    group_rows: list[CoverageRow] = []
    listed: set[tuple[str, str | None]] = set()
    for g in list_groups(session):
        listed.add((g.hamlet_id, g.id))
        group_rows.append(_row("group", g.id, g.name, g.hamlet_id, counts.get((g.hamlet_id, g.id), {})))
    for (hamlet_id, group_id), c in counts.items():
        if (hamlet_id, group_id) not in listed:  # no group, or a group since retired
            group_rows.append(_row("group", group_id, NO_GROUP if group_id is None else "Tổ đã giải thể",
                                   hamlet_id, c))
    hamlet_rows, commune = [], {}
    for hamlet_id, name in sorted(hamlet_names.items(), key=lambda kv: sort_key(kv[1])):
        c: Counts = {}
        for (h, _g), more in counts.items():
            if h == hamlet_id:
                _add(c, more)
        hamlet_rows.append(_row("hamlet", hamlet_id, name, hamlet_id, c))
        _add(commune, c)
    office = get_office(session)
    return CoverageReport(year=year, commune=_row("commune", None, office.display_name, None, commune),
                          hamlets=hamlet_rows, groups=group_rows)
