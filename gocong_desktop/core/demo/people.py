"""Hamlets, Tổ NDTQ groups and households: the registers everything else hangs on."""

from __future__ import annotations

import itertools
import math
import random
from datetime import date, timedelta
from functools import lru_cache

from gocong_desktop.core.db.models import AdminUnit, Household, SelfManagedGroup, UnitLevel
from gocong_desktop.core.services.search_keys import household_search_fold, household_sort_key
from gocong_desktop.core.text import fold
from gocong_desktop.core.demo import names
from gocong_desktop.core.demo.rows import local_stamp
from gocong_desktop.core.demo.state import Demo, Group, Hamlet, Home

GROUP_MIN, GROUP_MAX = 15, 70  # households per group (DOMAIN.md §1)
HOUSEHOLDS_PER_HAMLET = 1500  # one more hamlet per this many households
_MEMBERS = (range(1, 9), (6, 14, 22, 24, 16, 10, 5, 3))
# Mobile prefixes in use (Viettel 03x/086/09x, Vinaphone 08x/091/094, Mobifone 07x/089/090/093...).
_MOBILE = ["032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070",
           "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088",
           "089", "090", "091", "093", "094", "096", "097", "098"]


def _weighted(table: dict[str, float]) -> tuple[list[str], list[float]]:
    """(choices, cumulative weights) for ``random.choices``."""
    return list(table), list(itertools.accumulate(table.values()))


class NamePicker:
    """Full names with realistic weights; gender follows from Văn/Thị."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._family = _weighted(names.FAMILY_NAMES)
        self._middle = {True: _weighted(names.MALE_MIDDLE), False: _weighted(names.FEMALE_MIDDLE)}

    def full_name(self, male: bool) -> str:
        rng = self.rng
        family = rng.choices(self._family[0], cum_weights=self._family[1])[0]
        middles, weights = self._middle[male]
        middle = rng.choices(middles, cum_weights=weights)[0]
        if not male and middle == "Thị" and rng.random() < 0.15:
            middle += " " + rng.choice(names.FEMALE_SECOND_MIDDLE)
        given = rng.choice(names.MALE_GIVEN if male else names.FEMALE_GIVEN)
        return f"{family} {middle} {given}"


def split(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """``parts`` random sizes in [low, high] summing to ``total`` (caller checks it fits)."""
    sizes = [low] * parts
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    for i in rng.choices(range(parts), weights, k=total - low * parts):
        while sizes[i] >= high:  # full: the next one with room takes it
            i = (i + 1) % parts
        sizes[i] += 1
    return sizes


def hamlet_count(households: int) -> int:
    return max(6, min(len(names.HAMLETS), math.ceil(households / HOUSEHOLDS_PER_HAMLET)))


def build_registers(demo: Demo) -> None:
    picker = NamePicker(demo.rng)
    count = hamlet_count(demo.household_count)
    sizes = split(demo.rng, demo.household_count, count, GROUP_MIN, 10**9)
    for name, size in zip(names.HAMLETS, sizes):
        hamlet = _add_hamlet(demo, name)
        roads = demo.rng.sample(names.ROADS, 2) + [demo.rng.choice(names.PROVINCIAL_ROADS)]
        for index, group_size in enumerate(_group_sizes(demo.rng, size), start=1):
            group = Group(id=demo.rows.new_id(), number=len(demo.groups) + 1, hamlet=hamlet)
            demo.groups.append(group)
            road = demo.rng.choice(roads)
            for _ in range(group_size):
                _add_home(demo, picker, group, index, road)
            _finish_group(demo, group)


def _group_sizes(rng: random.Random, households: int) -> list[int]:
    wanted = round(households / rng.uniform(30, 45))
    parts = min(max(wanted, math.ceil(households / GROUP_MAX)), households // GROUP_MIN)
    return split(rng, households, parts, GROUP_MIN, GROUP_MAX)


def _add_hamlet(demo: Demo, name: str) -> Hamlet:
    hamlet_id = demo.rows.add(AdminUnit, demo.register_stamp, level=UnitLevel.HAMLET.value,
                              unit_type="ấp", name=name, name_fold=fold(name), code=None,
                              parent_id=demo.commune_id, valid_from=None, valid_to=None)
    hamlet = Hamlet(id=hamlet_id, name=name)
    demo.hamlets.append(hamlet)
    return hamlet


def _address(rng: random.Random, hamlet: Hamlet, group_index: int, road: str) -> str:
    """The three shapes addresses take in a rural commune."""
    pick = rng.random()
    if pick < 0.35:
        prefix = "" if road.startswith("Đường") else "đường "
        return f"Số {rng.randint(1, 300)}, {prefix}{road}"
    if pick < 0.7:
        return f"Tổ {group_index}, ấp {hamlet.name}"
    return f"{rng.randint(1, 250)}/{rng.randint(1, 12)} Đường liên ấp {hamlet.name}"


def _citizen_id(rng: random.Random, male: bool, birth_year: int) -> str:
    """082 (born in Tiền Giang) + gender/century digit + 2-digit year + 6 digits."""
    century = 0 if birth_year < 2000 else 2
    return f"082{century + (0 if male else 1)}{birth_year % 100:02d}{rng.randrange(10**6):06d}"


def _add_home(demo: Demo, picker: NamePicker, group: Group, group_index: int, road: str) -> None:
    rng = demo.rng
    male = rng.random() < 0.68  # heads of household are more often men
    name = picker.full_name(male)
    birth_year = rng.randint(1940, 2000)
    address = _address(rng, group.hamlet, group_index, road)
    phone = rng.choice(_MOBILE) + f"{rng.randrange(10**7):07d}" if rng.random() < 0.88 else None
    citizen_id = _citizen_id(rng, male, birth_year) if rng.random() < 0.5 else None
    # ~2 % moved away during the history; never the first two, so that every
    # group keeps a leader and a deputy who still live there.
    moved_out = None
    if len(group.homes) >= 2 and rng.random() < 0.02:
        moved_out = demo.random_day(date(demo.years[0], 2, 1), demo.today - timedelta(days=1))
    home_id = demo.rows.add(
        Household, demo.register_stamp,
        updated_at=local_stamp(moved_out) if moved_out else demo.register_stamp,
        head_name=name, name_sort_key=_sort_key(name),
        search_fold=household_search_fold(name, address, phone), birth_year=birth_year,
        gender="nam" if male else "nu", address=address, hamlet_id=group.hamlet.id,
        group_id=group.id, members=rng.choices(*_MEMBERS)[0], phone=phone,
        citizen_id=citizen_id, moved_out_date=moved_out,
        notes="Chuyển đi nơi khác." if moved_out else None)
    home = Home(id=home_id, name=name, male=male, birth_year=birth_year,
                hamlet=group.hamlet, group=group, moved_out=moved_out)
    group.homes.append(home)
    demo.homes.append(home)


def _finish_group(demo: Demo, group: Group) -> None:
    """Leader and deputy are two households that still live in the group."""
    staying = [home for home in group.homes if home.moved_out is None]
    group.leader, group.deputy = demo.rng.sample(staying, 2)
    name = f"Tổ NDTQ số {group.number}"
    demo.rows.add(SelfManagedGroup, demo.register_stamp, id=group.id, number=group.number,
                  name=name, name_fold=fold(name), hamlet_id=group.hamlet.id,
                  leader_household_id=group.leader.id, deputy_household_id=group.deputy.id,
                  founded_date=demo.random_day(date(2008, 1, 1), date(2020, 12, 31)),
                  active=True, retired_date=None, notes=None)


@lru_cache(maxsize=65536)
def _sort_key(name: str) -> str:
    """Names repeat a lot; derive each one's key once."""
    return household_sort_key(name)
