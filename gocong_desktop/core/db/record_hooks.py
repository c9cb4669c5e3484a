"""One flush hook that keeps synced records honest and writes the audit log.

Callers never bump ``version`` or stamp ``updated_at`` themselves: every flush
through a session made by ``Database.session()`` does it here, so no service
can forget (a missed bump would make an edit invisible to incremental sync).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.storage import audit_chain, incarnation
from gocong_desktop.core.db.models import Account, AppSetting, AuditEntry, SyncedRecord, utcnow

_BOOKKEEPING = {"version", "created_at", "updated_at", "origin", "change_seq"}
_MASKED = {"citizen_id", "password_hash", "recovery_hash"}  # never copied into the audit log


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _changes(obj: SyncedRecord) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in _BOOKKEEPING:
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        if key in _MASKED:
            old, new = ("***" if old else None), ("***" if new else None)
        changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


def _audit(session: Session, action: str, obj: SyncedRecord, changes: dict | None) -> None:
    session.add(
        AuditEntry(
            actor=session.info.get("actor", "?"),
            action=action,
            table_name=obj.__tablename__,
            record_id=obj.key if isinstance(obj, AppSetting) else obj.id,
            changes_json=json.dumps(changes, ensure_ascii=False) if changes else None,
        )
    )


class _Stamp:
    """(origin, change_seq) for this flush, taken from the clock once, when needed."""

    def __init__(self, session: Session) -> None:
        self.session, self.value = session, None

    def __call__(self) -> tuple[str | None, int | None]:
        if self.value is None:
            connection = self.session.connection()
            self.value = incarnation.stamp(qmark_execute(connection))
        return self.value


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    now = utcnow()
    owner = session.info.get("owner_unit_id")
    stamp = _Stamp(session)
    for obj in list(session.new):
        if isinstance(obj, SyncedRecord):
            if obj.owner_unit_id is None:
                obj.owner_unit_id = owner
            obj.created_at = obj.updated_at = now
            obj.version = 1
            obj.origin, obj.change_seq = stamp()
            _audit(session, "create", obj, None)
    for obj in list(session.dirty):
        if not isinstance(obj, SyncedRecord):
            continue
        changes = _changes(obj)
        if not changes:
            continue
        obj.version = (obj.version or 0) + 1
        obj.updated_at = now
        obj.origin, obj.change_seq = stamp()
        action = "delete" if changes.get("deleted") == [False, True] else "update"
        _audit(session, action, obj, changes)
    for obj in list(session.deleted):
        if isinstance(obj, SyncedRecord):
            _audit(session, "purge", obj, None)
    _audit_accounts(session)


def _audit_accounts(session: Session) -> None:
    """Accounts and settings are local, not synced records, but who granted what,
    and who changed which setting, is audited too."""
    for obj in list(session.new):
        if isinstance(obj, (Account, AppSetting)):
            _audit(session, "create", obj, _changes(obj))
    for obj in list(session.dirty):
        if isinstance(obj, (Account, AppSetting)) and (changes := _changes(obj)):
            _audit(session, "update", obj, changes)
    for obj in list(session.deleted):
        if isinstance(obj, AppSetting):
            _audit(session, "delete", obj, None)


def _after_flush(session: Session, _context: Any) -> None:
    # The entries are in the table now: chain them as SQLite stores them.
    connection = session.connection()
    audit_chain.seal(qmark_execute(connection))


def install(session_factory: Any) -> None:
    """Attach the hooks to a ``sessionmaker``."""
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)
