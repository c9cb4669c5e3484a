"""What the generators share: the rng, the row queue, and the people made so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from gocong_desktop.core.demo.agenda import Topic
from gocong_desktop.core.demo.rows import Rows, local_stamp


@dataclass(eq=False)
class Hamlet:
    id: str
    name: str


@dataclass(eq=False, slots=True)
class Home:
    """A household as the later generators need it."""

    id: str
    name: str
    male: bool
    birth_year: int
    hamlet: Hamlet
    group: Group | None = None
    moved_out: date | None = None

    @property
    def title(self) -> str:
        """"ông"/"bà", as the minutes address the head of household."""
        return "ông" if self.male else "bà"

    def active_on(self, day: date) -> bool:
        return self.moved_out is None or self.moved_out > day


@dataclass(eq=False)
class Group:
    id: str
    number: int
    hamlet: Hamlet
    homes: list[Home] = field(default_factory=list)
    leader: Home | None = None
    deputy: Home | None = None


@dataclass(eq=False)
class Demo:
    rng: random.Random
    rows: Rows
    today: date
    commune_id: str
    household_count: int  # how many households to make
    hamlets: list[Hamlet] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    homes: list[Home] = field(default_factory=list)
    models: list[tuple[str, str]] = field(default_factory=list)  # (id, name)

    @property
    def years(self) -> tuple[int, int]:
        """The previous and the current year: two years of history."""
        return self.today.year - 1, self.today.year

    @property
    def register_stamp(self) -> datetime:
        """When the registers were "typed in": the first working day of the history."""
        return local_stamp(date(self.years[0], 1, 2), 8, 30)

    def random_day(self, start: date, end: date) -> date:
        """A day in [start, end], both inclusive."""
        return date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal()))


@dataclass
class Plan:
    group: Group
    starts_at: datetime
    kind: str
    quarter: int | None
    number: int | None = None  # minutes number; None while a draft
    focus: Topic | None = None  # what an extra meeting was called about
    ends_at: datetime | None = None
