"""Conflicts kept for review. Nothing is dropped: both contents are kept until a
person chooses a side.

- the same record at the same stamp with two contents: the local one stays;
- ``lost_local``: the commune restored an older backup, so its record no longer
  has the change the upper office held; the commune's record was applied and
  the lost change is kept here;
- ``lost_incoming``: a late package carries a change the commune has since
  lost; it was not applied."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func
from sqlmodel import Session, select

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.access import is_admin, require_admin, require_writer
from gocong_desktop.core.db.models import AdminUnit, AuditEntry, SyncConflict, utcnow
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.errors import NotFoundError, ValidationError
from gocong_desktop.core.sync.kinds import LABELS, Kind, get_kind
from gocong_desktop.core.sync.stored import writable
from gocong_desktop.core.sync.unit_figures import store_unit_figures

LOCAL, INCOMING = "local", "incoming"
_BOOKKEEPING = {"version", "created_at", "updated_at", "origin", "change_seq", "name_sort_key", "search_fold"}
LOST_LOCAL = "lost_local"  # (sync/lineage.py) the incoming record was applied
_WHY = {
    None: "Cùng phiên bản nhưng khác nội dung; đang giữ bản đã có.",
    "lost_local": "Xã đã khôi phục bản sao lưu cũ nên không còn thay đổi đã gửi trước đây; đã nhận bản hiện có "
                  "của xã, thay đổi bị mất được giữ lại để xem.",
    "lost_incoming": "Gói đến muộn mang thay đổi mà xã đã mất khi khôi phục bản sao lưu; chưa áp dụng.",
}


@dataclass(frozen=True)
class ConflictRow:
    id: str
    table_name: str
    label: str  # "hộ gia đình"
    record_id: str
    unit_id: str | None  # the commune whose record it is
    unit_name: str | None  # "xã Bình Tân"
    package_uuid: str
    local_version: int | None
    incoming_version: int | None
    local: dict[str, Any]
    incoming: dict[str, Any]
    detected_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    reason: str | None = None

    @property
    def explanation(self) -> str:
        return _WHY.get(self.reason, _WHY[None])

    @property
    def differences(self) -> list[str]:
        """Columns whose values differ, for the review screen (bookkeeping aside)."""
        return sorted(k for k in self.local.keys() | self.incoming.keys()
                      if k not in _BOOKKEEPING and self.local.get(k) != self.incoming.get(k))


def _row(c: SyncConflict, names: dict[str, str]) -> ConflictRow:
    return ConflictRow(id=c.id, table_name=c.table_name, label=LABELS.get(c.table_name, c.table_name),
                       record_id=c.record_id, unit_id=c.unit_id, unit_name=names.get(c.unit_id),
                       package_uuid=c.package_uuid, local_version=c.local_version,
                       incoming_version=c.incoming_version, local=json.loads(c.local_json),
                       incoming=json.loads(c.incoming_json), detected_at=c.detected_at,
                       resolved_at=c.resolved_at, resolution=c.resolution, reason=c.reason)


def list_conflicts(session: Session, *, unit_id: str | None = None,
                   include_resolved: bool = False) -> list[ConflictRow]:
    stmt = select(SyncConflict).order_by(SyncConflict.detected_at, SyncConflict.table_name)
    if unit_id is not None:
        stmt = stmt.where(SyncConflict.unit_id == unit_id)
    if not include_resolved:
        stmt = stmt.where(SyncConflict.resolved_at.is_(None))
    found = session.exec(stmt).all()
    owners = {c.unit_id for c in found if c.unit_id}
    names = {u.id: f"{u.unit_type} {u.name}" for u in
             session.exec(select(AdminUnit).where(AdminUnit.id.in_(owners))).all()} if owners else {}
    rows = [_row(c, names) for c in found]
    return rows if is_admin(session) else [_without_notes(r) for r in rows]


_ADMIN_TABLES = {"pledge_violation"}
_NOTE_COLUMNS = {"notes", "note"}  # notes on people: administrators only
HIDDEN = "(chỉ quản trị viên xem)"


def _without_notes(row: ConflictRow) -> ConflictRow:
    def masked(values: dict[str, Any]) -> dict[str, Any]:
        hide = row.table_name in _ADMIN_TABLES
        return {k: (HIDDEN if (hide or k in _NOTE_COLUMNS) and v not in (None, "") else v)
                for k, v in values.items()}
    return replace(row, local=masked(row.local), incoming=masked(row.incoming))


def _write(session: Session, kind, record_id: str, values: dict[str, Any]) -> None:
    """Put the chosen content in place (a record the upper office never held is inserted)."""
    conn = session.connection()
    changes.note(session, kind.name)  # raw SQL: the flush hook never sees it
    if not values:  # "{}": the side that had no such record
        qmark_execute(conn)(f'UPDATE "{kind.name}" SET deleted = ? WHERE id = ?', (True, record_id))
        return
    if qmark_execute(conn)(f'SELECT 1 FROM "{kind.name}" WHERE id = ?', (record_id,)).first() is None:
        cols = [c for c in kind.columns if c in values]
        row = _writable(conn, kind, cols, values)
        qmark_execute(conn)(f'INSERT INTO "{kind.name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})',
                             row)
        return
    cols = [c for c in kind.columns if c != "id" and c in values]
    sets = ", ".join(f'"{c}" = ?' for c in cols)
    qmark_execute(conn)(f'UPDATE "{kind.name}" SET {sets} WHERE id = ?', (*_writable(conn, kind, cols, values),
                                                                           record_id))


def _writable(conn: Connection, kind: Kind, cols: list[str], values: dict[str, Any]) -> tuple:
    """The values of ``cols`` as the store takes them (booleans as bools on a server)."""
    return writable(conn, kind, [tuple(values[c] for c in cols)], tuple(kind.index(c) for c in cols))[0]


def open_conflicts_by_unit(session: Session) -> dict[str | None, int]:
    return dict(session.exec(select(SyncConflict.unit_id, func.count())
                             .where(SyncConflict.resolved_at.is_(None))
                             .group_by(SyncConflict.unit_id)).all())


def resolve_conflict(session: Session, conflict_id: str, *, keep: str, actor: str | None = None) -> None:
    """Keep the local record or the incoming one: the chosen content is written
    as it was (stamps included: the commune's record is not re-versioned here)
    unless it is what the record already holds."""
    if keep not in (LOCAL, INCOMING):
        raise ValidationError("Chọn giữ bản đang có («local») hoặc bản trong gói («incoming»).", field="keep")
    actor = actor or session.info.get("actor", "?")
    require_writer(session)
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise NotFoundError(f"Không tìm thấy xung đột (mã {conflict_id}).")
    if conflict.table_name in _ADMIN_TABLES:
        require_admin(session, "xử lý xung đột về vi phạm cam kết")
    if conflict.resolved_at is not None:
        raise ValidationError("Xung đột này đã được xử lý.")
    applied = INCOMING if conflict.reason == LOST_LOCAL else LOCAL
    if keep != applied:
        kind = get_kind(conflict.table_name)
        values = json.loads(conflict.incoming_json if keep == INCOMING else conflict.local_json)
        _write(session, kind, conflict.record_id, values)
    conflict.resolved_at, conflict.resolution, conflict.resolved_by = utcnow(), keep, actor
    session.add(conflict)
    session.add(AuditEntry(actor=actor, action="resolve_conflict", table_name=conflict.table_name,
                           record_id=conflict.record_id, changes_json=json.dumps({"keep": keep})))
    session.flush()
    if conflict.unit_id is not None:
        store_unit_figures(session, conflict.unit_id)
