"""Records in their storage form on either store of the upper office.

Sync code handles rows as tuples in SQLite's storage form (``kinds.py``): dates
"2024-03-15", date-times "2024-03-15 19:30:00.000000", booleans 0/1 as read
back. Plans compare them, the journal digests them and conflicts keep them as
JSON: on PostgreSQL the rows read are given that form (``reader``), and the
rows written get the driver's types where the server is strict (``writable``:
a boolean column refuses 0/1; text is cast to a date or a timestamp by the
server). On SQLite both are the identity: nothing is converted there.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Callable, Iterable

from sqlalchemy import Connection

from gocong_desktop.core.db.portable import on_sqlite
from gocong_desktop.core.sync.kinds import Kind, is_date, is_datetime

Row = tuple[Any, ...]


def _storage_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        # SQLITE_DATETIME's text, written as SQLAlchemy stores it (zero-padded
        # year); isoformat takes half strftime's time over an undo's rows.
        return (value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value).isoformat(
            " ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


@lru_cache(maxsize=None)
def _converted_positions(kind: Kind) -> tuple[int, ...]:
    """Columns whose values a server gives back in another type than SQLite."""
    return tuple(i for i, spec in enumerate(kind.specs)
                 if spec.is_bool or spec.check is is_date or spec.check is is_datetime)


def storage_row(kind: Kind, row: Iterable[Any]) -> Row:
    """A row read from a server, in SQLite's storage form."""
    values = list(row)
    for i in _converted_positions(kind):
        values[i] = _storage_value(values[i])
    return tuple(values)


def reader(conn: Connection, kind: Kind) -> Callable[[Iterable[Any]], Row]:
    """Turns a row read on ``conn`` (every column of ``kind``, in order) into storage form."""
    if on_sqlite(conn):
        return tuple
    return lambda row: storage_row(kind, row)


def writable(conn: Connection, kind: Kind, rows: list[Row], positions: tuple[int, ...] | None = None) -> list[Row]:
    """Rows in storage form, as ``conn``'s driver takes them: booleans as bools on
    a server. ``positions``: the row's values are those columns of the kind (in
    that order), the whole row by default."""
    if on_sqlite(conn):
        return rows
    columns = positions if positions is not None else range(len(kind.specs))
    bools = [n for n, i in enumerate(columns) if kind.specs[i].is_bool]
    if not bools:
        return rows
    return [_with_bools(row, bools) for row in rows]


def _with_bools(row: Row, bools: list[int]) -> Row:
    values = list(row)
    for n in bools:
        if values[n] is not None:
            values[n] = bool(values[n])
    return tuple(values)


def same_as(conn: Connection) -> str:
    """The comparison that takes NULL as a value ("IS" in SQLite's words)."""
    return "IS" if on_sqlite(conn) else "IS NOT DISTINCT FROM"

