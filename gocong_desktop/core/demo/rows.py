"""Demo rows queued as plain dicts and written in chunks with executemany.

ORM objects (and even Core ``insert()`` with its per-row type processing) are
too slow for 50,000 households and ~500,000 attendance rows, so rows go to the
DB-API through ``Connection.exec_driver_sql``. Dates and datetimes are converted once per distinct
value with the columns' own SQLAlchemy processors, so the stored text is exactly
what the ORM would write and reads back the same. The flush hook does not see
these rows, so the synced bookkeeping columns are filled here.
"""

from __future__ import annotations

import random
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterator

from sqlalchemy import Connection, Date, DateTime

from gocong_desktop.core.db.ids import IdMaker
from gocong_desktop.core.db.models import SyncedRecord
from gocong_desktop.core.rules import first_bad_field

# Local wall-clock time in Tiền Giang; bookkeeping stamps are stored in UTC.
LOCAL_TZ = timezone(timedelta(hours=7))
FLUSH_AT = 50_000  # rows of one table kept before they are written


class Rows:
    """Rows per table, with ids and stamps drawn from the demo's one seeded rng."""

    def __init__(self, rng: random.Random, owner_unit_id: str, conn: Connection, *,
                 today: date | None = None) -> None:
        self.rng = rng
        self.today = today or date.today()  # the story's today: no date after it
        self.owner_unit_id = owner_unit_id
        self.origin: str | None = None  # the database's first incarnation (storage/incarnation.py)
        self.conn = conn  # rows go here in chunks, so memory holds only a part
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.models: dict[str, type] = {}
        self.written: Counter[str] = Counter()
        # Ids as the app makes them (db/ids.py), from the seeded rng: same seed, same ids.
        self.new_id = IdMaker(rng.getrandbits)

    def add(self, model: type[SyncedRecord], stamp: datetime, **values: Any) -> str:
        """Queue a synced record written at ``stamp`` (aware); returns its id."""
        # Rows are bound by column name, so key order does not matter, only the key set.
        if "id" not in values:
            values["id"] = self.new_id()
        values.setdefault("updated_at", stamp)
        values.update(version=1, created_at=stamp, deleted=False, owner_unit_id=self.owner_unit_id,
                      origin=self.origin, change_seq=0)
        self._queue(model, values)
        return values["id"]

    def add_plain(self, model: type, **values: Any) -> None:
        """Queue a row of a table without the synced columns (link tables)."""
        self._queue(model, values)

    def _queue(self, model: type, row: dict[str, Any]) -> None:
        name = model.__tablename__
        queue = self.tables.get(name)
        if queue is None:
            queue = self.tables[name] = []
            self.models[name] = model
        queue.append(row)
        if len(queue) >= FLUSH_AT:
            self._write(name)

    def flush(self) -> None:
        """Insert every queued row (in the caller's transaction) and forget it."""
        for name in list(self.tables):
            self._write(name)

    def _write(self, name: str) -> None:
        rows = self.tables.pop(name)
        if not rows:
            return
        table = self.models[name].__table__
        columns = sorted(rows[0])
        if unknown := [c for c in columns if c not in table.c]:
            raise KeyError(f"{name}: no column {unknown}")
        if any(len(row) != len(columns) for row in rows):
            raise KeyError(f"{name}: rows with different columns")
        _convert(self.conn, table, columns, rows)
        _check(name, columns, rows, self.today)
        # Tuples bind faster than named parameters; itemgetter builds them in C.
        params = list(map(itemgetter(*columns), rows))  # (a 1-column table would need tuples)
        marks = ", ".join("?" * len(columns))
        self.conn.exec_driver_sql(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", params)
        self.written[name] += len(rows)


def _check(table: str, columns: list[str], rows: list[dict], today: date) -> None:
    """Demo rows follow the rules forms and imports apply (``core/rules``): a demo
    database exports packages an upper office accepts."""
    values = {c: [row[c] for row in rows] for c in columns}
    if (found := first_bad_field(table, values, today=today)) is not None:
        column, n, why = found
        raise ValueError(f"demo {table} row {rows[n].get('id')}: {why}")


@contextmanager
def indexes_rebuilt_after(conn: Connection) -> Iterator[None]:
    """Drop the secondary indexes for a bulk load and build them once at the end:
    building an index from all rows is several times faster than updating it row
    by row. (Unique constraints' automatic indexes stay; DDL is transactional in
    SQLite, so a failure rolls the drop back too.)"""
    found = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master "
                                 "WHERE type = 'index' AND sql IS NOT NULL").all()
    for name, _sql in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in found:
        conn.exec_driver_sql(sql)


def _convert(conn: Connection, table: Any, columns: list[str], rows: list[dict]) -> None:
    """Date/datetime values to their stored text, one conversion per distinct value."""
    for col in columns:
        sql_type = table.c[col].type
        impl = getattr(sql_type, "impl", sql_type)
        if not isinstance(impl, (Date, DateTime)):
            continue
        process = stored_form(conn, sql_type)
        done: dict[Any, Any] = {None: None}
        for row in rows:
            value = row[col]
            if value not in done:
                done[value] = process(value)
            row[col] = done[value]


def stored_form(conn: Connection, sql_type: Any) -> Any:
    """The function SQLAlchemy itself applies to a value of ``sql_type`` before storing it."""
    return sql_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)


@lru_cache(maxsize=4096)
def local_stamp(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """Aware UTC instant of a local wall-clock time: stamps follow the story, not now()."""
    local = datetime.combine(day, time(hour, minute), LOCAL_TZ)
    return local.astimezone(timezone.utc)
