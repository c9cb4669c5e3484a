"""Final minutes in a package: their content hash must match their content as
it will be stored, recomputed the way the app computes it when minutes are
finalised (``services.meetings.snapshot_from_rows``/``content_hash``), for
every final meeting the package writes or whose guests, attendance, agenda
or opinions it writes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Iterable

from ..services.meetings import content_hash, snapshot_from_rows

if TYPE_CHECKING:
    from .validate_state import State

_CHILDREN = ("meeting_guest", "attendance", "agenda_item")


def _touched_meetings(st: State) -> dict[str, tuple[str, dict]]:
    """{meeting id: (kind, a record the package writes that changes its minutes)}:
    the meeting itself, or a child under its new meeting or the one it left."""
    out: dict[str, tuple[str, dict]] = {}

    def touch(meeting_ids: Iterable[str], name: str, record: dict) -> None:
        for meeting_id in meeting_ids:
            out.setdefault(meeting_id, (name, record))
    for m in st.new("meeting").values():
        touch([m["id"]], "meeting", m)
    for name in _CHILDREN:
        new = st.new(name)
        before = st.stored(name, new)
        for record_id, r in new.items():
            touch([r["meeting_id"], *(b["meeting_id"] for b in [before.get(record_id)] if b)], name, r)
    opinions = st.new("agenda_opinion")
    before = st.stored("agenda_opinion", opinions)
    items = {o["agenda_item_id"] for o in (*opinions.values(), *before.values())}
    after_items, before_items = st.get("agenda_item", items), st.stored("agenda_item", items)
    for record_id, o in opinions.items():
        parents = {o["agenda_item_id"], *(b["agenda_item_id"] for b in [before.get(record_id)] if b)}
        touch([i["meeting_id"] for p in parents for i in (after_items.get(p), before_items.get(p)) if i],
              "agenda_opinion", o)
    return out


def _live_by_parent(rows: list[dict], column: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if not row["deleted"]:
            out[row[column]].append(row)
    return out


def check_minutes(st: State) -> None:
    touched = _touched_meetings(st)
    meetings = [m for m in st.get("meeting", touched).values()
                if not m["deleted"] and m["status"] == "final" and m["content_hash"] is not None]
    if not meetings:
        return
    ids = [m["id"] for m in meetings]
    guests = _live_by_parent(st.children("meeting_guest", "meeting_id", ids), "meeting_id")
    attendance = _live_by_parent(st.children("attendance", "meeting_id", ids), "meeting_id")
    items = _live_by_parent(st.children("agenda_item", "meeting_id", ids), "meeting_id")
    item_ids = [i["id"] for rows in items.values() for i in rows]
    opinions = _live_by_parent(st.children("agenda_opinion", "agenda_item_id", item_ids), "agenda_item_id")
    for m in meetings:
        culprit = touched[m["id"]]
        ordered = [guests[m["id"]], items[m["id"]], *(opinions[i["id"]] for i in items[m["id"]])]
        if any(len({r["position"] for r in rows}) < len(rows) for rows in ordered):
            raise st.fail(*culprit, "biên bản hoàn tất có hai mục cùng vị trí (thứ tự in không xác định)")
        if _hash(m, guests[m["id"]], attendance[m["id"]], items[m["id"]], opinions) != m["content_hash"]:
            raise st.fail(*culprit, "mã băm nội dung của biên bản hoàn tất không khớp nội dung (biên bản đã "
                                    "bị sửa sau khi hoàn tất)")


def _hash(m: dict, guests: list[dict], attendance: list[dict], items: list[dict],
          opinions: dict[str, list[dict]]) -> str:
    """The content hash exactly as ``check_rules.minutes_hashes`` computes it."""
    meeting = dict(m, starts_at=datetime.fromisoformat(m["starts_at"]),
                   ends_at=datetime.fromisoformat(m["ends_at"]) if m["ends_at"] else None)
    snapshot = snapshot_from_rows(
        meeting,
        [(g["name"], g["role"], g["organisation"]) for g in sorted(guests, key=_position)],
        [(a["household_id"], a["status"], a["reason"], a["representative"]) for a in attendance],
        [(i["title"], i["content"], i["conclusion"], (i["votes_for"], i["votes_against"], i["votes_other"]),
          [(o["household_id"], o["speaker_name"], o["text"]) for o in sorted(opinions[i["id"]], key=_position)])
         for i in sorted(items, key=_position)])
    return content_hash(snapshot)


def _position(row: dict) -> int:
    return row["position"]
