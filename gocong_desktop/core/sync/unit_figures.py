"""Each commune's dashboard figures kept beside its records at the upper office
(``unit_figures``, issue 16: counting 300,000 households for every dashboard
took well over the half second it may).

Whatever changes a commune's records here (an import, its undo, a conflict
resolved) calls ``store_unit_figures`` in its own transaction: that commune is
counted again (``area_counts`` over its records alone) for today's quarter. A
row carries a stamp of the commune's data state — its live imports (how many,
the newest) and its resolved conflicts — so that ``current_unit_figures``
counts live whatever is missing, of another quarter, or stamped otherwise:
never a wrong figure, only a slower one. Reading never writes.
"""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import date
from typing import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import OfficeRole, SyncConflict, SyncDirection, SyncPackage, SyncPeer, UnitFigures
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.services.area_figures import AreaCounts, area_counts
from gocong_desktop.core.services.figures import Scope, Window
from gocong_desktop.core.sync.ledger import UNDONE

_COUNTS = tuple(f.name for f in fields(AreaCounts))


def data_stamps(session: Session, unit_ids: Iterable[str]) -> dict[str, str | None]:
    """unit → "live imports:newest import's time:resolved conflicts", None for a
    unit without a live import. Any import, undo or resolution changes it: an
    undo lowers the count, a new import (again after an undo too) moves the
    newest time on, a resolution adds one."""
    units = list(unit_ids)
    imports = {u: (n, newest) for u, n, newest in session.exec(
        select(SyncPackage.sender_unit_id, func.count(), func.max(SyncPackage.processed_at))
        .where(SyncPackage.direction == SyncDirection.IMPORT, SyncPackage.status != UNDONE,
               SyncPackage.sender_unit_id.in_(units))
        .group_by(SyncPackage.sender_unit_id)).all()}
    resolved = dict(session.exec(
        select(SyncConflict.unit_id, func.count())
        .where(SyncConflict.resolved_at.is_not(None), SyncConflict.unit_id.in_(units))
        .group_by(SyncConflict.unit_id)).all())
    return {u: f"{imports[u][0]}:{imports[u][1]}:{resolved.get(u, 0)}" if u in imports else None for u in units}


def store_unit_figures(session: Session, unit_id: str, *, today: date | None = None) -> None:
    """Count ``unit_id`` again for ``today``'s quarter and keep it, inside the
    caller's write transaction; a commune with no live import left (its last one
    undone) keeps no row. Raw SQL: these rows are neither audited nor synced."""
    conn = session.connection()
    stamp = data_stamps(session, [unit_id])[unit_id]
    if stamp is None:
        qmark_execute(conn)("DELETE FROM unit_figures WHERE unit_id = ?", (unit_id,))
        return
    window = Window.quarter(today or date.today())
    counts = area_counts(session, Scope.UNIT, window, keys=[unit_id]).get(unit_id, AreaCounts())
    columns = ("unit_id", "window_start", "window_end", "stamp", *_COUNTS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    qmark_execute(conn)(
        f"INSERT INTO unit_figures ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (unit_id) DO UPDATE SET {updates}",
        (unit_id, window.start.isoformat(), window.end.isoformat(), stamp, *astuple(counts)))


def refresh_unit_figures(session: Session, *, today: date | None = None) -> int:
    """Count again, and keep, every commune whose row is missing, stale or of
    another quarter (the first days of a quarter: until each commune's next
    import the dashboard would count them all live); how many were. A writer's
    window calls it after showing the dashboard."""
    window = Window.quarter(today or date.today())
    units = list(session.exec(select(SyncPeer.unit_id).where(SyncPeer.role == OfficeRole.COMMUNE)).all())
    stamps = data_stamps(session, units)
    current = {(row.unit_id, row.stamp) for row in session.exec(select(UnitFigures).where(
        UnitFigures.window_start == window.start, UnitFigures.window_end == window.end)).all()}
    stale = [u for u in units if stamps[u] is not None and (u, stamps[u]) not in current]
    for unit_id in stale:
        store_unit_figures(session, unit_id, today=today)
    return len(stale)


def current_unit_figures(session: Session, window: Window, unit_ids: Iterable[str]) -> dict[str, AreaCounts]:
    """unit → its figures over ``window`` (a quarter): the rows kept for it when
    still current, the others counted live. Reads only."""
    units = list(unit_ids)
    if not units:
        return {}
    stamps = data_stamps(session, units)
    kept = session.exec(select(UnitFigures).where(
        UnitFigures.unit_id.in_(units), UnitFigures.window_start == window.start,
        UnitFigures.window_end == window.end)).all()
    out = {row.unit_id: AreaCounts(*(getattr(row, name) for name in _COUNTS))
           for row in kept if row.stamp == stamps[row.unit_id]}
    stale = [u for u in units if u not in out]
    if stale:
        live = area_counts(session, Scope.UNIT, window, keys=stale)
        out.update({u: live.get(u, AreaCounts()) for u in stale})
    return out
