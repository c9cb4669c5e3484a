"""Yearly pledge campaigns: a template and a pledge per household per year.

About 90 % of the households that still live there sign, mostly in the first
quarter (Thông tư 124/2021/TT-BCA), the rest by mid-year, when the campaign
closes (none signs after it); a few refuse; households that moved away
that year are marked "moved". A handful of signed pledges are later broken.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from gocong_desktop.core.db.models import Pledge, PledgeCampaign, PledgeStatus, PledgeTemplate, PledgeViolation
from gocong_desktop.core.resources import resource_path
from gocong_desktop.core.text import format_date
from gocong_desktop.core.demo import names
from gocong_desktop.core.demo.rows import local_stamp
from gocong_desktop.core.demo.state import Demo, Home


def closing_day(year: int) -> date:
    return date(year, 6, 30)


def build_pledges(demo: Demo) -> None:
    text = json.loads(resource_path("templates", "pledge_default.json").read_text("utf-8"))
    signed: list[tuple[str, Home, date]] = []
    for year in demo.years:
        opened = date(year, 1, 5)
        if opened >= demo.today:  # this year's campaign has not started yet
            continue
        template_id = demo.rows.add(
            PledgeTemplate, local_stamp(date(year, 1, 2)), year=year, template_version=1,
            title=text["title"], subtitle=text["subtitle"],
            items_json=json.dumps(text["items"], ensure_ascii=False))
        # Open for the first half-year: the late signers (April to June) sign before it closes.
        closed = closing_day(year) if closing_day(year) < demo.today else None
        demo.rows.add(PledgeCampaign, local_stamp(opened), year=year, template_id=template_id,
                      opened_on=opened, closed_on=closed)
        signed += _year_pledges(demo, year, template_id, opened)
    _violations(demo, signed)


def _year_pledges(demo: Demo, year: int, template_id: str,
                  opened: date) -> list[tuple[str, Home, date]]:
    rng = demo.rng
    homes = [h for h in demo.homes if h.moved_out is None or h.moved_out.year >= year]
    staying = [h for h in homes if h.moved_out is None or h.moved_out.year > year]
    # Exact shares rather than a coin per household: coverage stays near 90 % even
    # for small demos. It grows through the first quarter of a running campaign.
    progress = min(1.0, (demo.today - opened).days / 80)
    share = rng.uniform(0.88, 0.92) * progress
    signers = {h.id for h in rng.sample(staying, round(share * len(staying)))}
    others = [h for h in staying if h.id not in signers]
    refusers = {h.id for h in rng.sample(others, min(len(others), max(1, len(staying) // 200)))}
    created = local_stamp(opened, 8, 0)
    signed = []
    for home in homes:
        values = _outcome(demo, home, year, home.id in signers, home.id in refusers)
        day = values["signed_date"]
        pledge_id = demo.rows.add(Pledge, created, template_id=template_id,
                                  updated_at=local_stamp(day, 16, 0) if day else created, **values)
        if day:
            signed.append((pledge_id, home, day))
    return signed


def _outcome(demo: Demo, home: Home, year: int, signs: bool, refuses: bool) -> dict:
    values = dict(household_id=home.id, year=year, status=PledgeStatus.UNSIGNED.value,
                  signed_date=None, witness_name=None, witness_household_id=None, reason=None)
    if signs:  # the group leader confirms (tổ trưởng xác nhận)
        leader = home.group.leader
        values.update(status=PledgeStatus.SIGNED.value, signed_date=_signing_day(demo, year),
                      witness_name=leader.name, witness_household_id=leader.id)
    elif refuses:
        values.update(status=PledgeStatus.REFUSED.value,
                      reason=demo.rng.choice(names.REFUSAL_REASONS))
    elif home.moved_out is not None and home.moved_out.year == year:
        values.update(status=PledgeStatus.MOVED.value,
                      reason=f"Chuyển đi nơi khác từ ngày {format_date(home.moved_out)}.")
    return values


def _signing_day(demo: Demo, year: int) -> date:
    """Mostly in the first quarter, the rest by mid-year; never today or later."""
    start, end = ((date(year, 1, 5), date(year, 3, 31)) if demo.rng.random() < 0.85
                  else (date(year, 4, 1), closing_day(year)))
    end = min(end, demo.today - timedelta(days=1))
    return demo.random_day(min(start, end), end)


def _violations(demo: Demo, signed: list[tuple[str, Home, date]]) -> None:
    """A handful of broken pledges (sensitive data: kept off lists and sync)."""
    rng = demo.rng
    wanted = max(3, min(12, len(demo.homes) // 500))
    for pledge_id, home, day in rng.sample(signed, min(wanted, len(signed))):
        last = min(date(day.year, 12, 31), demo.today - timedelta(days=1))
        if last <= day + timedelta(days=30):
            continue
        item, note = rng.choice(names.VIOLATIONS)
        when = demo.random_day(day + timedelta(days=30), last)
        demo.rows.add(PledgeViolation, local_stamp(when, 10, 0), household_id=home.id,
                      pledge_id=pledge_id, violation_date=when, item_number=item, note=note)
