"""Copying every table of the app's schema from a file to a PostgreSQL server,
inside the target's transaction, with a digest of each table read.

Tables go parents first. A foreign key no table order satisfies (a group names
its leader's household, which names its group; a unit its parent unit, in the
same table) is written empty first and filled in once every table is there: the
server checks each reference as the row arrives. Values pass through the models'
column types on both sides (SQLite's 0/1 become booleans, date texts dates).
The source is read in primary-key order, so its digest (``table_digest``) is
computed on the way; memory holds one batch of rows.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Column, Connection, ForeignKeyConstraint, Table, and_, bindparam, or_, select, text, update
from sqlalchemy.sql.ddl import sort_tables_and_constraints

from gocong_desktop.core.db.table_digest import RowHasher, TableDigest, batches, ordered_rows

# (table name, rows copied so far): called after each batch
Progress = Callable[[str, int], None]


def copy_order() -> tuple[list[Table], dict[str, list[Column]]]:
    """The app's tables parents first, and per table the columns to fill in last."""
    from sqlmodel import SQLModel

    from gocong_desktop.core.db import models

    models.load_all()
    tables = [t for t in SQLModel.metadata.tables.values() if t.name in models.TABLE_NAMES]
    order, late = [], {}
    for table, constraints in sort_tables_and_constraints(tables):
        if table is not None:
            order.append(table)
            constraints = [c for c in table.foreign_key_constraints if c.referred_table is table]
        for constraint in constraints:
            late.setdefault(constraint.table.name, []).extend(_columns(constraint))
    return order, late


def _columns(constraint: ForeignKeyConstraint) -> list[Column]:
    return [constraint.table.columns[c.name] for c in constraint.columns]


def copy_tables(source: Connection, target: Connection, on_progress: Progress) -> dict[str, TableDigest]:
    """Copy every table from ``source`` into the empty tables of ``target``; the
    source's digest of each table, by name. The caller commits (or rolls back)."""
    order, late = copy_order()
    digests = {table.name: _copy_table(source, target, table, late.get(table.name, []), on_progress)
               for table in order}
    for table in order:
        if table.name in late:
            _fill_late_columns(source, target, table, late[table.name])
    return digests


def _copy_table(source: Connection, target: Connection, table: Table, late: list[Column],
                on_progress: Progress) -> TableDigest:
    """One table through the server's COPY (one statement per table: tens of times
    faster than one INSERT per row); the driver writes each Python value as its
    column's type (bool, date, aware datetime) and the server checks each row."""
    hasher, blank = RowHasher(), {i for i, c in enumerate(table.columns) if c in late}
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    on_progress(table.name, 0)
    with target.connection.dbapi_connection.cursor() as cursor, \
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for batch in batches(source, ordered_rows(source, table)):
            for row in batch:
                hasher.add(row)
                copy.write_row([None if i in blank else v for i, v in enumerate(row)] if blank else row)
            on_progress(table.name, hasher.rows)
    return hasher.digest()


def _fill_late_columns(source: Connection, target: Connection, table: Table, late: list[Column]) -> None:
    keys = list(table.primary_key.columns)
    statement = update(table).where(and_(*[k == bindparam(f"k_{k.name}") for k in keys])).values(
        {c.name: bindparam(f"v_{c.name}") for c in late})
    wanted = select(*keys, *late).where(or_(*[c.is_not(None) for c in late]))
    for batch in batches(source, wanted):
        target.execute(statement, [{**{f"k_{k.name}": v for k, v in zip(keys, row)},
                                    **{f"v_{c.name}": v for c, v in zip(late, row[len(keys):])}} for row in batch])


def reset_sequences(target: Connection) -> None:
    """Serial and identity columns on a server continue past the copied values
    (the next row written gets a number no copied row holds)."""
    order, _late = copy_order()
    for table in order:
        for column in table.primary_key.columns:
            sequence = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                      {"t": table.name, "c": column.name}).scalar()
            if sequence is not None:
                target.execute(text(f'SELECT setval(:s, coalesce((SELECT max("{column.name}") FROM "{table.name}"), '
                                    "0) + 1, false)"), {"s": sequence})
