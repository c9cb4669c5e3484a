"""Records still pointing at records an undo has just taken out: a later
package of the same sender may not have changed a record this import brought,
yet refer to it (a pledge for a household that came in the week before).
Undoing the earlier import alone would leave such references dangling (and
``check`` would report them), so ``undo.py`` asks, inside its transaction,
once the rows are put back."""

from __future__ import annotations

from sqlalchemy import Connection

from gocong_desktop.core.db.portable import on_sqlite, qmark_execute
from gocong_desktop.core.sync.journal import row_list
from gocong_desktop.core.sync.kinds import SNAPSHOT, Kind, all_kinds

_EDGES: list[tuple[Kind, str, str]] | None = None


def _edges() -> list[tuple[Kind, str, str]]:
    """(kind holding the reference, its column, table referred to), every
    foreign key between synced tables."""
    global _EDGES
    if _EDGES is None:
        _EDGES = [(kind, fk.parent.name, fk.column.table.name) for kind in all_kinds()
                  for fk in kind.table.foreign_keys]
    return _EDGES


def dangling(conn: Connection, removed: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(table, record key as the journal writes it) of the rows that refer to
    an id in ``removed`` ({table: ids taken out}) that no longer exists. The ids
    go into a temporary table: one query per reference, not one per chunk of
    ids (some referring columns have no index: each query reads the table)."""
    if not any(removed.values()):
        return []
    run = qmark_execute(conn)
    run("CREATE TEMP TABLE undo_removed (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id))")
    try:
        run("INSERT INTO undo_removed VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(table, i) for table, ids in removed.items() for i in ids])
        found = [found for kind, column, parent in _edges() if removed.get(parent)
                 for found in _referring(conn, kind, column, parent)]
    except BaseException:
        if on_sqlite(conn):  # a server's failed transaction refuses statements: its rollback drops the table
            run("DROP TABLE undo_removed")
        raise
    run("DROP TABLE undo_removed")  # a temporary table is found before a table of the database of that name
    return found


def _referring(conn: Connection, kind: Kind, column: str, parent: str) -> list[tuple[str, str]]:
    keys = kind.columns if kind.mode == SNAPSHOT else ("id",)
    sql = (f'SELECT {", ".join(f"c.{k}" for k in keys)} FROM "{kind.name}" c WHERE c."{column}" IN '
           f'(SELECT id FROM undo_removed WHERE tbl = ?) '
           f'AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")')
    return [(kind.name, row_list(tuple(row)) if kind.mode == SNAPSHOT else row[0])
            for row in qmark_execute(conn)(sql, (parent,))]
