"""What ``check`` (``maintenance/check_rules.py``) verifies about the data, checked on the
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

from sqlalchemy import Connection

from gocong_desktop.core.sync.manifest import Manifest
from gocong_desktop.core.sync.import_state import State, load_state
from gocong_desktop.core.sync.validate_minutes import check_minutes

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
