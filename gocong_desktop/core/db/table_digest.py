"""A table's content as one digest, computed the same way on a file and on a server.

Rows are read through the models' own column types (SQLite's 0/1 become booleans,
its date texts become dates), ordered by primary key, and each value is written
as canonical text: the digests of a table copied to another store match only if
every row arrived with every value. Text keys are ordered by their bytes on both
stores (SQLite's BINARY order; ``COLLATE "C"`` on PostgreSQL, whose default order
depends on the server's locale). Rows are streamed: memory stays flat however
large the table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterable, Sequence

from pathlib import Path

from sqlalchemy import URL, Connection, Engine, Select, String, Table, create_engine, select
from sqlalchemy.pool import NullPool

BATCH_ROWS = 5_000  # rows fetched at a time (memory holds one batch)

@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


def _other(value: Any) -> Any:
    """JSON for what JSON has no type for (text, numbers, booleans and null are written as they are)."""
    if isinstance(value, datetime):  # an aware one in UTC: a server may hand it back in its own zone
        return (value.astimezone(timezone.utc) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)


# A row as one line of JSON, the same on every store (``_other`` called only for dates and times).
_canonical = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
                              default=_other).encode


class RowHasher:
    """Counts and hashes rows fed in primary-key order."""

    def __init__(self) -> None:
        self._hash, self.rows = hashlib.sha256(), 0

    def add(self, row: Sequence[Any]) -> None:
        self._hash.update(_canonical(list(row)).encode("utf-8"))
        self._hash.update(b"\n")
        self.rows += 1

    def digest(self) -> TableDigest:
        return TableDigest(self.rows, self._hash.hexdigest())


def ordered_rows(conn: Connection, table: Table) -> Select:
    """Every column of ``table`` in primary-key order, text keys by their bytes."""
    sqlite = conn.dialect.name == "sqlite"
    keys = [c if sqlite or not isinstance(c.type, String) else c.collate("C") for c in table.primary_key.columns]
    return select(*table.columns).order_by(*keys)


def batches(conn: Connection, statement: Select) -> Iterable[Sequence[Any]]:
    """The statement's rows, ``BATCH_ROWS`` at a time (a server-side cursor on PostgreSQL)."""
    # On the statement, not the connection: a connection's own options stay set after.
    result = conn.execute(statement.execution_options(yield_per=BATCH_ROWS))
    yield from result.partitions()


def table_digest(conn: Connection, table: Table) -> TableDigest:
    hasher = RowHasher()
    for batch in batches(conn, ordered_rows(conn, table)):
        for row in batch:
            hasher.add(row)
    return hasher.digest()


def app_tables() -> list[Table]:
    """The app's tables, parents before children (foreign keys in a cycle aside)."""
    from sqlmodel import SQLModel

    from gocong_desktop.core.db import models

    models.load_all()
    return [t for t in SQLModel.metadata.sorted_tables if t.name in models.TABLE_NAMES]


def read_only_file_engine(path: Path) -> Engine:
    """The models' types over read-only connections to a file (keyed when encrypted):
    reading it for a digest or a copy never writes to it."""
    from gocong_desktop.core.sqlite import cipher
    from gocong_desktop.core.sqlite.raw import connect_readonly

    return create_engine(URL.create("sqlite", database=str(path)), creator=lambda: connect_readonly(path),
                         module=cipher.driver, poolclass=NullPool)


def database_digests(conn: Connection) -> dict[str, TableDigest]:
    """The digest of every table of the app's schema, by name."""
    return {table.name: table_digest(conn, table) for table in app_tables()}
