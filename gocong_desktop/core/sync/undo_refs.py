"""Records still pointing at records an undo has just taken out: a later
package of the same sender may not have changed a record this import brought,
yet refer to it (a pledge for a household that came in the week before).
Undoing the earlier import alone would leave such references dangling (and
``check`` would report them), so ``undo.py`` asks, inside its transaction,
once the rows are put back."""

from __future__ import annotations

from sqlalchemy import Connection

from gocong_desktop.core.sync.journal import row_list
from gocong_desktop.core.sync.kinds import SNAPSHOT, Kind, all_kinds
from gocong_desktop.core.sync.plan import CHUNK

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
    an id in ``removed`` ({table: ids taken out}) that no longer exists."""
    found: list[tuple[str, str]] = []
    for kind, column, parent in _edges():
        ids = removed.get(parent)
        if not ids:
            continue
        keys = kind.columns if kind.mode == SNAPSHOT else ("id",)
        select = ", ".join(f'c."{k}"' for k in keys)
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            sql = (f'SELECT {select} FROM "{kind.name}" c WHERE c."{column}" IN ({",".join("?" * len(part))}) '
                   f'AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")')
            for row in conn.exec_driver_sql(sql, tuple(part)):
                found.append((kind.name, row_list(tuple(row)) if kind.mode == SNAPSHOT else row[0]))
    return found
