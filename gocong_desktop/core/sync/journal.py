"""The import journal (``import_journal``): what one import changed, row by row,
written in the import's own transaction so that ``undo.py`` can put every row
back — instead of copying the whole database before each import (issue 16).

Entries are plain tuples written with one ``executemany``; rows are kept as
JSON lists in their storage form (what ``plan.py`` already holds). A row's
digest is taken of its values as SQLite gives them back (booleans as 0/1,
REAL numbers as floats, -0.0 as 0.0), so the digest of what the import wrote equals
the digest of the row read later, unless something changed it since.

The audit entries a package brings (``audit_log``) are not journalled: an undo
never deletes audit entries, and the commune's chain they belong to stays true.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Iterator

from sqlalchemy import Connection

from gocong_desktop.core.db.models.choices import SyncDirection
from gocong_desktop.core.db.many_rows import in_values, insert_rows
from gocong_desktop.core.db.portable import on_sqlite, qmark_execute
from gocong_desktop.core.sync.kinds import SNAPSHOT, Kind
from gocong_desktop.core.sync.ledger import UNDONE
from gocong_desktop.core.sync.plan import KindPlan
from gocong_desktop.core.sync.stored import reader, same_as

CONFLICT, PEER, LEDGER = "sync_conflict", "sync_peer", "sync_package"
NOT_JOURNALLED = frozenset({"audit_log"})
# What of a conflict, a peer or a ledger row an import sets and a later change would move.
WATCHED = {CONFLICT: ("resolved_at", "resolution"), PEER: ("links_sequence", "lineage_json"), LEDGER: ("status",)}
Entry = tuple[str, str, str | None, str | None]  # table, record key, row before (JSON), digest after
JOURNAL_COLUMNS = ("package_uuid", "table_name", "record_key", "before_json", "after_digest")


def digest(row: tuple) -> str:
    return hashlib.blake2b(repr(row).encode("utf-8"), digest_size=16).hexdigest()


_TYPED: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}


def _typed_columns(kind: Kind) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(boolean columns, REAL columns): the only values whose Python type a
    package row and the stored row may not share (True / 1, 5 / 5.0)."""
    found = _TYPED.get(kind.name)
    if found is None:
        found = _TYPED[kind.name] = (
            tuple(i for i, spec in enumerate(kind.specs) if spec.is_bool),
            tuple(i for i, spec in enumerate(kind.specs) if float in spec.types and not spec.is_bool))
    return found


def row_digest(kind: Kind, row: tuple) -> str:
    """The digest of a record's row, in the types SQLite gives it back."""
    bools, reals = _typed_columns(kind)
    stored = list(row)
    for i in bools:
        if stored[i] is not None:
            stored[i] = int(stored[i])
    for i in reals:
        if stored[i] is not None:
            stored[i] = float(stored[i]) + 0.0  # + 0.0: SQLite gives -0.0 back as 0.0
    return digest(tuple(stored))


def row_list(row: tuple) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


class Journal:
    """The entries of one import, collected while it is applied, then written at once."""

    def __init__(self, package_uuid: str) -> None:
        self.package_uuid = package_uuid
        self.entries: list[Entry] = []

    def kind_plan(self, kp: KindPlan, conflict_ids: list[str]) -> None:
        """A kind's changes, in the order ``apply_plan`` makes them."""
        kind = kp.kind
        if kind.name in NOT_JOURNALLED:
            return
        add = self.entries.append
        if kind.mode == SNAPSHOT:
            for row in kp.link_deletes:
                add((kind.name, row_list(row), row_list(row), None))
            for row in kp.inserts:
                add((kind.name, row_list(row), None, digest(row)))
        else:
            i = kind.index("id")
            for row in kp.inserts:
                add((kind.name, row[i], None, row_digest(kind, row)))
            for before, row in zip(kp.replaced, kp.updates):
                add((kind.name, row[i], row_list(before), row_digest(kind, row)))
        for conflict_id in conflict_ids:
            add((CONFLICT, conflict_id, None, digest((None, None))))

    def peer(self, peer_id: str, before: tuple | None, after: tuple) -> None:
        """The sender: registered by this import (``before`` None), or its
        (links_sequence, lineage_json) moved on from ``before``."""
        self.entries.append((PEER, peer_id, None if before is None else row_list(before), digest(tuple(after))))

    def ledger(self, row_id: str, status: str) -> None:
        self.entries.append((LEDGER, row_id, None, digest((status,))))

    def digest(self) -> str:
        """Of every entry, kept in the import's audit entry (hash-chained): a
        journal edited since no longer matches (``entries_digest``)."""
        return entries_digest(self.entries)

    def write(self, conn: Connection) -> None:
        insert_rows(conn, "import_journal", JOURNAL_COLUMNS, [(self.package_uuid, *entry) for entry in self.entries])


KEPT_PER_SENDER = 10  # the newest imports of each commune that can be undone


def prune(conn: Connection, sender_unit_id: str) -> None:
    """Forget the journals of this sender's older imports: undo goes back its
    newest ``KEPT_PER_SENDER`` packages, and the journal does not keep the
    previous values of its records (personal data among them) for ever."""
    every = "LIMIT -1" if on_sqlite(conn) else "LIMIT ALL"  # SQLite needs a LIMIT before OFFSET
    qmark_execute(conn)(
        "DELETE FROM import_journal WHERE package_uuid IN (SELECT package_uuid FROM sync_package "
        "WHERE sender_unit_id = ? AND direction = ? AND status != ? "
        f"ORDER BY processed_at DESC, sequence DESC {every} OFFSET ?)",
        (sender_unit_id, SyncDirection.IMPORT.value, UNDONE, KEPT_PER_SENDER))


def entries_digest(entries: Iterable[Entry]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for entry in entries:
        h.update(repr(tuple(entry)).encode("utf-8") + b"\n")
    return h.hexdigest()


def link_key(key: str) -> tuple:
    """A link row's columns from its record key."""
    return tuple(json.loads(key))


def current_digests(conn: Connection, kind: Kind | None, table: str, keys: list[str]) -> dict[str, str]:
    """{record key: digest of the row now} of the keys whose row exists."""
    if kind is not None and kind.mode == SNAPSHOT:
        return {key: digest(row) for key, row in _links_present(conn, kind, keys)}
    columns = WATCHED.get(table) or kind.columns
    names = ", ".join(f'"{c}"' for c in columns)
    found: dict[str, str] = {}
    stored = tuple if table in WATCHED else reader(conn, kind)
    for among, part in in_values(conn, keys):
        sql = f'SELECT id, {names} FROM "{table}" WHERE id {among}'
        for row in qmark_execute(conn)(sql, part):
            values = stored(row[1:])
            found[row[0]] = digest(values) if kind is None else row_digest(kind, values)
    return found


def _links_present(conn: Connection, kind: Kind, keys: list[str]) -> Iterator[tuple[str, tuple]]:
    where = " AND ".join(f'"{c}" {same_as(conn)} ?' for c in kind.columns)  # a blank column matches too
    for key in keys:
        row = link_key(key)
        if qmark_execute(conn)(f'SELECT 1 FROM "{kind.name}" WHERE {where}', row).first() is not None:
            yield key, row
