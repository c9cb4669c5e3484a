"""Many rows at once on either store: inserted, or looked up by a list of values.

SQLite runs ``executemany`` and ``IN (?, ?, …)`` in process, at no cost per
statement. On a server each statement is a round trip and an executor start:
rows go through one ``COPY`` per table (a stream, several times faster than one
INSERT per row, the server checking every row and key all the same), and a
list of values is one array parameter (``= ANY(?)``), not a statement text
that grows with the list (the driver parses that text on each call).
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from gocong_desktop.core.db.portable import on_sqlite

SQLITE_CHUNK = 900  # SQLite's default limit of bound parameters is 999 on old builds


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``rows`` (values in ``columns``' order, as the driver takes them) inserted
    into ``table`` inside the connection's transaction. A row the server refuses
    raises SQLAlchemy's error, as an INSERT would (an ``IntegrityError`` for a key)."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    if on_sqlite(conn):
        conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})',
                             list(rows))
        return
    import psycopg

    statement = f'COPY "{table}" ({names}) FROM STDIN'
    try:
        with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def in_values(conn: Connection, values: Sequence[Any]) -> Iterator[tuple[str, tuple]]:
    """``IN`` over ``values`` as (SQL, parameters) pairs, one statement each, to
    follow a column: ``f'… WHERE id {sql}'``. SQLite: ``IN (?, …)`` with at most
    ``SQLITE_CHUNK`` values a statement; a server: the whole list as one array."""
    if not values:
        return
    if not on_sqlite(conn):
        yield "= ANY(?)", (list(values),)
        return
    for start in range(0, len(values), SQLITE_CHUNK):
        part = tuple(values[start:start + SQLITE_CHUNK])
        yield f"IN ({','.join('?' * len(part))})", part
