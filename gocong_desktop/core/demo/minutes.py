"""What a meeting's minutes say: guests, agenda items, opinions and votes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gocong_desktop.core.db.models import AgendaItem, AgendaOpinion, MeetingGuest
from gocong_desktop.core.demo import agenda, names
from gocong_desktop.core.demo.agenda import ROMAN, Topic
from gocong_desktop.core.demo.people import NamePicker
from gocong_desktop.core.demo.state import Demo, Group, Home, Plan

Guest = tuple[str, str, str]  # name, role, organisation


@dataclass
class Officials:
    """People invited again and again: commune officials and each hamlet's head."""

    commune: list[Guest]
    hamlet_heads: dict[str, Guest]


def officials(demo: Demo) -> Officials:
    picker = NamePicker(demo.rng)

    def name() -> str:
        return picker.full_name(demo.rng.random() < 0.7)

    commune = [(f"Đ/c {name()}", role, org) for role, org in names.GUEST_ROLES]
    heads = {h.id: (f"Ông {name()}" if demo.rng.random() < 0.8 else f"Bà {name()}",
                    "Trưởng ấp", f"Ban nhân dân ấp {h.name}") for h in demo.hamlets}
    return Officials(commune, heads)


def add_guests(demo: Demo, meeting_id: str, group: Group, invited: Officials,
               written: datetime) -> list[Guest]:
    """Commune police or front officials come to some meetings, the hamlet head to fewer."""
    rng = demo.rng
    guests: list[Guest] = []
    if rng.random() < 0.4:
        guests.append(invited.commune[0] if rng.random() < 0.6 else rng.choice(invited.commune))
    if rng.random() < 0.15:
        guests.append(invited.hamlet_heads[group.hamlet.id])
    for position, (name, role, organisation) in enumerate(guests, start=1):
        demo.rows.add(MeetingGuest, written, meeting_id=meeting_id, position=position,
                      name=name, role=role, organisation=organisation)
    return guests


def _topics(demo: Demo, plan: Plan) -> list[Topic]:
    """Regular meetings open with the security situation; Q1 adds the pledges, Q4
    the year's review; an extra meeting is about what it was called for."""
    if plan.focus is not None:
        return [plan.focus, agenda.SITUATION]
    fixed = [agenda.SITUATION]
    if plan.quarter == 1:
        fixed.append(agenda.PLEDGE)
    elif plan.quarter == 4:
        fixed.append(agenda.REVIEW)
    extra = max(demo.rng.randint(2, 4) - len(fixed), 0)
    return fixed + demo.rng.sample(agenda.OTHERS, extra)


def _fill_values(demo: Demo, plan: Plan) -> dict[str, object]:
    rng, year = demo.rng, plan.starts_at.year
    thefts, fights = rng.randint(0, 3), rng.randint(0, 2)
    period = (f"trong quý {ROMAN[plan.quarter]} năm {year}" if plan.quarter
              else f"từ đầu năm {year} đến nay")
    return {"hamlet": plan.group.hamlet.name, "period": period, "year": year,
            "thefts": thefts, "fights": fights, "solved": rng.randint(0, thefts + fights)}


def _opinion(demo: Demo, home: Home) -> str:
    if demo.rng.random() < 0.25:
        return f"Hộ {home.title} {home.name} thống nhất với nội dung tổ trưởng đã nêu."
    return f"Hộ {home.title} {home.name} đề nghị {demo.rng.choice(names.SUGGESTIONS)}."


def _votes(demo: Demo, present: int) -> tuple[int, int, int]:
    against = min(demo.rng.choice([0, 0, 0, 1]), present)
    other = min(demo.rng.choice([0, 0, 1, 2]), present - against)
    return present - against - other, against, other


def add_agenda(demo: Demo, meeting_id: str, plan: Plan, present: list[Home],
               written: datetime) -> list[tuple]:
    """2–4 items; one to three households speak; some items are voted on."""
    rng, rows = demo.rng, demo.rows
    topics = _topics(demo, plan)
    values = _fill_values(demo, plan)
    speakers = rng.sample(present, min(rng.randint(1, 3), len(present)))
    said: dict[int, list[Home]] = {}
    for home in speakers:
        said.setdefault(rng.randrange(len(topics)), []).append(home)
    items = []
    for position, topic in enumerate(topics, start=1):
        item_id = rows.new_id()
        votes = _votes(demo, len(present)) if topic.vote else (None, None, None)
        title, content = topic.title.format(**values), topic.content.format(**values)
        conclusion = topic.conclusion.format(**values)
        rows.add(AgendaItem, written, id=item_id, meeting_id=meeting_id, position=position,
                 title=title, content=content, conclusion=conclusion, votes_for=votes[0],
                 votes_against=votes[1], votes_other=votes[2])
        opinions = []
        for number, home in enumerate(said.get(position - 1, []), start=1):
            text = _opinion(demo, home)
            rows.add(AgendaOpinion, written, agenda_item_id=item_id, position=number,
                     household_id=home.id, speaker_name=None, text=text)
            opinions.append((home.id, None, text))
        items.append((title, content, conclusion, votes, opinions))
    return items
