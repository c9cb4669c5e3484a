"""The records as they will be once a package is applied: the rows the import
would write (``plan_import``) laid over the rows stored here, read on demand.
What ``validate_state`` and ``validate_minutes`` check."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import Connection

from gocong_desktop.core.db.many_rows import in_values
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.sync.errors import InvalidRecord
from gocong_desktop.core.sync.stored import reader
from gocong_desktop.core.sync.kinds import get_kind
from gocong_desktop.core.sync.manifest import Manifest
from gocong_desktop.core.sync.plan import plan_import
from gocong_desktop.core.sync.records import invalid_record

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
        stored = reader(self.conn, kind)
        for among, part in in_values(self.conn, values):
            out += [dict(zip(kind.columns, stored(row))) for row in qmark_execute(self.conn)(
                f'SELECT {cols} FROM "{name}" WHERE "{column}" {among}', part)]
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
