"""What ``check`` (``db/check_rules.py``) verifies about the data, checked on the
records as they will be once a package is applied — so an accepted package
can never leave ``check`` failing.

The rows the import would write (``plan_import``: new records, newer
versions, blanks filled in) are laid over the rows stored here; only records
the package touches, and the records tied to them, are looked at:

- a household of a group is in the group's hamlet;
- a group's leader and deputy are live households of the group;
- attendance lists households of the meeting's group (or households whose
  audit entries show they belonged to it: they moved since);
- final minutes have their number, year and a content hash that matches the
  content recomputed as the app computes it (``services/meetings``).

Minutes numbers and pledges per household and year are unique by the schema
(a package breaking that is refused when it is applied).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Connection

from .kinds import get_kind
from .manifest import Manifest
from .plan import CHUNK, plan_import
from .errors import InvalidRecord
from .records import invalid_record
from .validate_minutes import check_minutes

MINUTES_TABLES = ("meeting", "meeting_guest", "attendance", "agenda_item", "agenda_opinion")
# The kinds the rules above read; planning only these keeps the work small.
STATE_KINDS = ("self_managed_group", "household", "meeting", "meeting_guest", "attendance", "agenda_item",
               "agenda_opinion", "audit_log")


class State:
    """The package's effect: rows as dicts, written ones over stored ones."""

    def __init__(self, conn: Connection, written: dict[str, dict[str, dict]], inserted: dict[str, set[str]],
                 lines: dict[str, dict[str, int]], members: dict[str, str]) -> None:
        self.conn, self.written, self.lines, self.members = conn, written, lines, members
        self.inserted = inserted  # ids the package adds: known not to be stored (a first import: all)
        self._stored: dict[tuple[str, str], dict | None] = {}
        self.minutes_checkable = True

    def new(self, name: str) -> dict[str, dict]:
        """The records of a kind the package writes, by id."""
        return self.written.get(name, {})

    def stored(self, name: str, ids: Iterable[str]) -> dict[str, dict]:
        """Records as stored before the import (whatever the package says)."""
        ids = set(ids) - {None} - self.inserted.get(name, set())
        missing = sorted(i for i in ids if (name, i) not in self._stored)
        for row in self._select(name, "id", missing):
            self._stored[(name, row["id"])] = row
        for record_id in missing:
            self._stored.setdefault((name, record_id), None)
        return {i: row for i in ids if (row := self._stored.get((name, i))) is not None}

    def get(self, name: str, ids: Iterable[str]) -> dict[str, dict]:
        """Records as they will be after the import."""
        ids = set(ids) - {None}
        written = self.new(name)
        out = self.stored(name, ids - written.keys())
        out.update({i: written[i] for i in ids & written.keys()})
        return out

    def children(self, name: str, column: str, parents: Iterable[str]) -> list[dict]:
        """Records (after the import) whose ``column`` is one of ``parents``."""
        parents = set(parents) - {None}
        written = self.new(name)
        rows = {r["id"]: r for r in self._select(name, column, sorted(parents)) if r["id"] not in written}
        rows.update({i: r for i, r in written.items() if r[column] in parents})
        return list(rows.values())

    def _select(self, name: str, column: str, values: list[str]) -> list[dict]:
        kind, out = get_kind(name), []
        cols = ", ".join(f'"{c}"' for c in kind.columns)
        for start in range(0, len(values), CHUNK):
            part = values[start:start + CHUNK]
            out += [dict(zip(kind.columns, row)) for row in self.conn.exec_driver_sql(
                f'SELECT {cols} FROM "{name}" WHERE "{column}" IN ({",".join("?" * len(part))})', tuple(part))]
        return out

    def fail(self, name: str, record: dict, why: str) -> InvalidRecord:
        """The refusal naming a record the package writes."""
        kind = get_kind(name)
        return invalid_record(kind, self.members[name], self.lines[name][record["id"]], record["id"], why)


def load_state(conn: Connection, manifest: Manifest, records: dict[str, list[tuple]],
               members: dict[str, str]) -> State:
    plan = plan_import(conn, manifest, {k: v for k, v in records.items() if k in STATE_KINDS}, None, partial=True)
    written, inserted, lines = {}, {}, {}
    for name, kp in plan.kinds.items():
        columns, i = kp.kind.columns, kp.kind.index("id")
        written[name] = {row[i]: dict(zip(columns, row)) for row in (*kp.inserts, *kp.updates)}
        inserted[name] = {row[i] for row in kp.inserts}
        lines[name] = {row[i]: n for n, row in enumerate(records[name], 1)}
    state = State(conn, written, inserted, lines, members)
    # A content hash is recomputed from the minutes' text: not when the sender withheld part of it.
    state.minutes_checkable = not any(t in manifest.withheld for t in MINUTES_TABLES)
    return state


def check_state(conn: Connection, manifest: Manifest, records: dict[str, list[tuple]],
                members: dict[str, str]) -> None:
    state = load_state(conn, manifest, records, members)
    _household_hamlets(state)
    _group_officers(state)
    _attendance_groups(state)
    check_minutes(state)


def _household_hamlets(st: State) -> None:
    groups_written = st.new("self_managed_group")
    households = {i: h for i, h in st.new("household").items() if h["group_id"] and not h["deleted"]}
    for h in st.children("household", "group_id", groups_written):
        if not h["deleted"]:
            households.setdefault(h["id"], h)
    groups = st.get("self_managed_group", (h["group_id"] for h in households.values()))
    for h in households.values():
        g = groups.get(h["group_id"])
        if g is None or g["hamlet_id"] == h["hamlet_id"]:
            continue
        if h["id"] in st.new("household"):
            raise st.fail("household", h, f"hộ thuộc tổ mã {g['id']} nhưng ghi ấp khác với ấp của tổ")
        raise st.fail("self_managed_group", g, f"tổ ở ấp khác với ấp mà hộ mã {h['id']} của tổ đang ghi")


def _group_officers(st: State) -> None:
    households_written = st.new("household")
    groups = dict(st.new("self_managed_group"))
    for column in ("leader_household_id", "deputy_household_id"):
        for g in st.children("self_managed_group", column, households_written):
            groups.setdefault(g["id"], g)
    live = [g for g in groups.values() if not g["deleted"]]
    officers = st.get("household", (g[c] for g in live for c in ("leader_household_id", "deputy_household_id")))
    for g in live:
        for column, title in (("leader_household_id", "tổ trưởng"), ("deputy_household_id", "tổ phó")):
            h = officers.get(g[column])
            if h is None or (h["group_id"] == g["id"] and not h["deleted"]):
                continue
            if g["id"] in st.new("self_managed_group"):
                raise st.fail("self_managed_group", g, f"{title} (hộ mã {h['id']}) không phải hộ đang thuộc tổ")
            raise st.fail("household", h, f"hộ là {title} của tổ mã {g['id']} nhưng không còn là hộ của tổ đó")


@dataclass(frozen=True)
class _Attending:
    attendance: dict
    meeting: dict
    household: dict


def _attendance_groups(st: State) -> None:
    rows = dict(st.new("attendance"))
    for parent, column in (("meeting", "meeting_id"), ("household", "household_id")):
        for a in st.children("attendance", column, st.new(parent)):
            rows.setdefault(a["id"], a)
    live = [a for a in rows.values() if not a["deleted"]]
    meetings = st.get("meeting", (a["meeting_id"] for a in live))
    households = st.get("household", (a["household_id"] for a in live))
    groups = st.get("self_managed_group", (m["group_id"] for m in meetings.values()))
    suspects = [_Attending(a, m, h) for a in live
                if (m := meetings.get(a["meeting_id"])) is not None and not m["deleted"]
                and m["group_id"] in groups and (h := households.get(a["household_id"])) is not None
                and h["group_id"] != m["group_id"]]
    if not suspects:
        return
    moved = _group_moves(st, {s.household["id"] for s in suspects})
    for s in suspects:
        if (s.household["id"], s.meeting["group_id"]) in moved:
            continue
        why = (f"điểm danh hộ mã {s.household['id']} ở cuộc họp của một tổ mà hộ chưa từng thuộc "
               "(theo nhật ký thay đổi)")
        for name, record in (("attendance", s.attendance), ("meeting", s.meeting), ("household", s.household)):
            if record["id"] in st.new(name):
                raise st.fail(name, record, why)


def _group_moves(st: State, household_ids: set[str]) -> set[tuple[str, str]]:
    """(household, group) pairs an audit entry shows the household moving from
    or to — read as ``check`` reads them (json_extract of "$.group_id[0]"/"[1]")."""
    out = set()
    for entry in st.children("audit_log", "record_id", household_ids):
        if entry["table_name"] != "household" or not entry["changes_json"]:
            continue
        try:
            changes = json.loads(entry["changes_json"])
        except ValueError:  # not JSON: check cannot read it either (a package's entries are JSON)
            continue
        moves = changes.get("group_id") if isinstance(changes, dict) else None
        if isinstance(moves, list):
            out.update((entry["record_id"], g) for g in moves[:2] if isinstance(g, str))
    return out
