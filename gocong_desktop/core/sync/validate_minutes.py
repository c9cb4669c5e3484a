"""Final minutes in a package: their content hash must match their content as
it will be stored, recomputed the way the app computes it when minutes are
finalised (``services.meetings.snapshot_from_rows``/``content_hash``), for
every final meeting the package writes or whose guests, attendance, agenda
or opinions it writes; final minutes leave no household unmarked. And minutes of any status never hold an agenda item with
more votes than households present (``rules.votes``, as the editor refuses it).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from gocong_desktop.core.db.models import AttendanceStatus
from gocong_desktop.core.rules import VOTE_COLUMNS, item_votes_message
from gocong_desktop.core.services.meetings import content_hash, snapshot_from_rows
from gocong_desktop.core.sync.import_state import State

_CHILDREN = ("meeting_guest", "attendance", "agenda_item")


def _parents(st: State, name: str, column: str) -> dict[str, set[str]]:
    """{record id: ``column`` after the import and before it} for the records of
    ``name`` the package writes (a child may move from one meeting to another)."""
    new = st.new(name)
    out = {record_id: {r[column]} for record_id, r in new.items()}
    for record_id, before in st.stored(name, new).items():
        out[record_id].add(before[column])
    return out


def _meetings_of_opinions(st: State) -> dict[str, set[str]]:
    """``_parents`` of the opinions the package writes, as meetings (through their items)."""
    parents = _parents(st, "agenda_opinion", "agenda_item_id")
    items = set().union(*parents.values())
    meetings_of: dict[str, set[str]] = defaultdict(set)
    for found in (st.get("agenda_item", items), st.stored("agenda_item", items)):
        for item_id, item in found.items():
            meetings_of[item_id].add(item["meeting_id"])
    return {record_id: set().union(*(meetings_of[i] for i in item_ids)) for record_id, item_ids in parents.items()}


def _touched(st: State) -> list[tuple[str, dict[str, set[str]]]]:
    """(kind, {id: meetings}) of every record the package writes that changes some
    minutes: a meeting itself first, then its guests, attendance, items, opinions."""
    return [("meeting", {m: {m} for m in st.new("meeting")}),
            *((name, _parents(st, name, "meeting_id")) for name in _CHILDREN),
            ("agenda_opinion", _meetings_of_opinions(st))]


def _culprit(st: State, touched: list[tuple[str, dict[str, set[str]]]], meeting_id: str) -> tuple[str, dict]:
    """The record to name for a meeting whose minutes fail: the first written one touching it."""
    return next((name, st.new(name)[record_id]) for name, moves in touched
                for record_id, meetings in moves.items() if meeting_id in meetings)


def _live_by_parent(rows: list[dict], column: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if not row["deleted"]:
            out[row[column]].append(row)
    return out


def check_minutes(st: State) -> None:
    touched = _touched(st)
    meeting_ids = set().union(*(meetings for _name, moves in touched for meetings in moves.values()))
    live = [m for m in st.get("meeting", meeting_ids).values() if not m["deleted"]]
    if not live:
        return
    ids = [m["id"] for m in live]
    attendance = _live_by_parent(st.children("attendance", "meeting_id", ids), "meeting_id")
    items = _live_by_parent(st.children("agenda_item", "meeting_id", ids), "meeting_id")
    _check_marked(st, touched, [m for m in live if m["status"] == "final"], attendance)
    _check_votes(st, touched, live, attendance, items)
    meetings = [m for m in live if m["status"] == "final" and m["content_hash"] is not None]
    if not meetings:
        return
    guests = _live_by_parent(st.children("meeting_guest", "meeting_id", [m["id"] for m in meetings]), "meeting_id")
    item_ids = [i["id"] for m in meetings for i in items[m["id"]]]
    opinions = _live_by_parent(st.children("agenda_opinion", "agenda_item_id", item_ids), "agenda_item_id")
    for m in meetings:
        ordered = [guests[m["id"]], items[m["id"]], *(opinions[i["id"]] for i in items[m["id"]])]
        if any(len({r["position"] for r in rows}) < len(rows) for rows in ordered):
            raise st.fail(*_culprit(st, touched, m["id"]),
                          "biên bản hoàn tất có hai mục cùng vị trí (thứ tự in không xác định)")
        if st.minutes_checkable and \
                _hash(m, guests[m["id"]], attendance[m["id"]], items[m["id"]], opinions) != m["content_hash"]:
            raise st.fail(*_culprit(st, touched, m["id"]), "mã băm nội dung của biên bản hoàn tất không khớp "
                                                          "nội dung (biên bản đã bị sửa sau khi hoàn tất)")


def _check_marked(st: State, touched: list[tuple[str, dict[str, set[str]]]], meetings: list[dict],
                  attendance: dict[str, list[dict]]) -> None:
    """Final minutes mark every household present or absent (``meetings.check_all_marked``)."""
    for m in meetings:
        unmarked = sum(a["status"] == AttendanceStatus.UNMARKED for a in attendance[m["id"]])
        if unmarked:
            raise st.fail(*_culprit(st, touched, m["id"]), f"{_meeting_name(st, m)} đã hoàn tất nhưng còn "
                                                          f"{unmarked} hộ chưa điểm danh")


def _check_votes(st: State, touched: list[tuple[str, dict[str, set[str]]]], meetings: list[dict],
                 attendance: dict[str, list[dict]], items: dict[str, list[dict]]) -> None:
    """Each live item's votes against the live attendance marked present, as they will be stored."""
    for m in meetings:
        present = sum(a["status"] == AttendanceStatus.PRESENT for a in attendance[m["id"]])
        for number, item in enumerate(sorted(items[m["id"]], key=_position), 1):
            votes = [item[k] for k in VOTE_COLUMNS]
            if (message := item_votes_message(number, item["title"], votes, present)) is not None:
                why = f"{_meeting_name(st, m)}: {message[0].lower()}{message[1:]}"
                raise st.fail(*_culprit(st, touched, m["id"]), why)


def _meeting_name(st: State, m: dict) -> str:
    """"biên bản Tổ 1 ngày 15/08/2024 (mã …)": which minutes, as an office finds them."""
    group = st.get("self_managed_group", [m["group_id"]]).get(m["group_id"])
    day = datetime.fromisoformat(m["starts_at"]).strftime("%d/%m/%Y")
    return f"biên bản {group['name'] if group else 'của tổ mã ' + m['group_id']} ngày {day} (mã {m['id']})"


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
