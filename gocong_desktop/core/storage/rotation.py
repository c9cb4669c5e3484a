"""Which backups to keep: 7 daily, 4 weekly, 12 monthly, by age relative to now.

Pure functions of the backups' times and an injected ``now``, so the policy is
tested without waiting for days. Rules, any one of which keeps a backup:

- the newest backup is always kept (a PC unused for a year still has one);
- a backup made before an operation (migration, import: reason "truoc-…") is
  kept for 7 days, the newest 10 of them (an upper office imports often and
  its database is large): it is the way back from that operation;
- the newest backup of each of the last 7 days, 4 weeks and 12 months;
- a backup dated after ``now`` is kept: the PC's clock was changed (a flat
  CMOS battery resets it), and no backup is deleted on a wrong clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

DAILY, WEEKLY, MONTHLY = 7, 4, 12
BEFORE_PREFIX, BEFORE_KEEP = "truoc-", 10


@dataclass(frozen=True)
class Dated:
    key: object  # what the caller uses to find the backup again (its path)
    taken_at: datetime
    reason: str


def _day_age(now: datetime, t: datetime) -> int:
    return (now.date() - t.date()).days


def _monday(t: datetime) -> int:
    return t.date().toordinal() - t.weekday()


def _week_age(now: datetime, t: datetime) -> int:
    return (_monday(now) - _monday(t)) // 7  # weeks start on Monday


def _month_age(now: datetime, t: datetime) -> int:
    return (now.year * 12 + now.month) - (t.year * 12 + t.month)


_BUCKETS: tuple[tuple[Callable[[datetime, datetime], int], int], ...] = (
    (_day_age, DAILY), (_week_age, WEEKLY), (_month_age, MONTHLY))


def keep(backups: Iterable[Dated], now: datetime) -> set[object]:
    """Keys of the backups to keep."""
    items = sorted(backups, key=lambda b: b.taken_at, reverse=True)  # newest first
    if not items:
        return set()
    kept = {items[0].key}
    kept |= {b.key for b in items if b.taken_at > now}
    before = [b for b in items if b.reason.startswith(BEFORE_PREFIX) and _day_age(now, b.taken_at) < DAILY]
    kept |= {b.key for b in before[:BEFORE_KEEP]}
    for age, limit in _BUCKETS:
        newest_in_bucket: dict[int, Dated] = {}
        for b in items:
            newest_in_bucket.setdefault(age(now, b.taken_at), b)
        kept |= {b.key for bucket, b in newest_in_bucket.items() if 0 <= bucket < limit}
    return kept
