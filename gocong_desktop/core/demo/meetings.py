"""Two years of group meetings with their attendance, agenda, opinions and guests.

Each group meets about once a quarter, in the evening at the leader's house,
sometimes with an extra (đột xuất) meeting. Past meetings are final and
numbered per group per year like real minutes; the newest one or two in the
commune are still drafts, as they would be on the clerk's desk.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from gocong_desktop.core.db.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from gocong_desktop.core.services.meetings import content_hash, snapshot_from_rows
from gocong_desktop.core.demo import agenda, minutes, names
from gocong_desktop.core.demo.agenda import ROMAN
from gocong_desktop.core.demo.rows import local_stamp
from gocong_desktop.core.demo.state import Demo, Group, Home, Plan

# Plain strings, looked up once: attendance is the hottest loop of the generator.
_PRESENT = AttendanceStatus.PRESENT.value
_EXCUSED = AttendanceStatus.ABSENT_EXCUSED.value
_UNEXCUSED = AttendanceStatus.ABSENT_UNEXCUSED.value
_EXTRA_TOPICS = [t for t in agenda.OTHERS if t.key in ("trom_cap", "lua_dao", "pccc", "ma_tuy")]


def build_meetings(demo: Demo) -> None:
    plans = [plan for group in demo.groups for plan in _schedule(demo, group)]
    _number(demo, plans)
    officials = minutes.officials(demo)
    for plan in plans:
        _add_meeting(demo, plan, officials)


def _schedule(demo: Demo, group: Group) -> list[Plan]:
    """Quarterly meetings plus an occasional extra one; only those already held."""
    rng = demo.rng
    plans = []
    for year in demo.years:
        for quarter in range(1, 5):
            day = date(year, 3 * quarter - 2 + rng.randrange(3), rng.randint(3, 26))
            plans.append(Plan(group, _evening(demo, day), MeetingKind.REGULAR.value, quarter))
        if rng.random() < 0.3:
            day = demo.random_day(date(year, 1, 15), date(year, 12, 15))
            if any(p.starts_at.date() == day for p in plans):
                day += timedelta(days=7)  # not twice on one evening
            plans.append(Plan(group, _evening(demo, day), MeetingKind.EXTRA.value, None))
    return [p for p in sorted(plans, key=lambda p: p.starts_at) if p.starts_at.date() < demo.today]


def _evening(demo: Demo, day: date) -> datetime:
    start = demo.rng.choices([time(19, 0), time(19, 30), time(18, 30)], [50, 35, 15])[0]
    return datetime.combine(day, start)


def _number(demo: Demo, plans: list[Plan]) -> None:
    """Numbers count per group per year in date order; the newest stay drafts."""
    by_date = sorted(plans, key=lambda p: (p.starts_at, p.group.number))
    drafts = {id(p) for p in by_date[-demo.rng.randint(1, 2):]}
    counters: dict[tuple[int, int], int] = {}
    for plan in by_date:
        if id(plan) in drafts:
            continue
        key = (plan.group.number, plan.starts_at.year)
        counters[key] = plan.number = counters.get(key, 0) + 1


def _add_meeting(demo: Demo, plan: Plan, officials: minutes.Officials) -> None:
    group, day = plan.group, plan.starts_at.date()
    written = local_stamp(day, 21, 30)  # typed in after the meeting
    meeting_id = demo.rows.new_id()
    fields = _fields(demo, plan)
    attendance, present = _attendance(demo, meeting_id, group, day, written)
    guests = minutes.add_guests(demo, meeting_id, group, officials, written)
    agenda = minutes.add_agenda(demo, meeting_id, plan, present, written)
    final = plan.number is not None
    finalised = digest = None
    if final:  # a few days later, but never after yesterday
        delay = min(demo.rng.randint(1, 5), (demo.today - day).days - 1)
        finalised = written + timedelta(days=max(delay, 0))
        fields.update(minutes_number=plan.number, minutes_year=day.year)
        # The service's own definition, so the stored hash verifies against the rows.
        digest = content_hash(snapshot_from_rows({**fields, "id": meeting_id}, guests, attendance, agenda))
    demo.rows.add(
        Meeting, written, id=meeting_id, updated_at=finalised or written, **fields,
        chair_household_id=group.leader.id, secretary_household_id=group.deputy.id,
        status=(MeetingStatus.FINAL if final else MeetingStatus.DRAFT).value,
        finalised_at=finalised, content_hash=digest)


def _fields(demo: Demo, plan: Plan) -> dict:
    """The meeting's own hashed fields (a draft has no number yet)."""
    group, year = plan.group, plan.starts_at.year
    if plan.quarter:
        title = f"Sinh hoạt Tổ nhân dân tự quản số {group.number}, quý {ROMAN[plan.quarter]} năm {year}"
    else:
        plan.focus = demo.rng.choice(_EXTRA_TOPICS)
        about = plan.focus.title[0].lower() + plan.focus.title[1:]
        title = f"Họp đột xuất Tổ nhân dân tự quản số {group.number} về {about}"
    plan.ends_at = plan.starts_at + timedelta(minutes=demo.rng.choice([90, 105, 120]))
    return {"group_id": group.id, "title": title, "kind": plan.kind, "starts_at": plan.starts_at,
            "ends_at": plan.ends_at, "place": f"Nhà {group.leader.title} {group.leader.name}",
            "chair_name": group.leader.name, "chair_role": "Tổ trưởng",
            "secretary_name": group.deputy.name, "secretary_role": "Tổ phó",
            "closing_conclusion": demo.rng.choice(names.CLOSING_CONCLUSIONS),
            "minutes_number": None, "minutes_year": None}


def _attendance(demo: Demo, meeting_id: str, group: Group, day: date,
                written: datetime) -> tuple[list, list[Home]]:
    """One row per household still living in the group; about 85 % come."""
    rng, rows = demo.rng, demo.rows
    listed, present = [], []
    for home in group.homes:
        if not home.active_on(day):
            continue
        reason = representative = None
        pick = rng.random()
        if home.id in (group.leader.id, group.deputy.id):
            pick = 0.0  # the chair and the secretary came (the draw still made: the same demo otherwise)
        if pick < 0.85:
            status, representative = _PRESENT, home.name
            present.append(home)
        elif pick < 0.96:
            status, reason = _EXCUSED, rng.choice(names.ABSENCE_REASONS)
        else:
            status = _UNEXCUSED
        rows.add(Attendance, written, meeting_id=meeting_id, household_id=home.id,
                 status=status, reason=reason, representative=representative)
        listed.append((home.id, status, reason, representative))
    return listed, present
