"""Who may change a record: only the office whose unit owns it.

At the upper office every commune's records stay under that commune's unit and
are read-only there. ``ensure_editable`` is the check for services;
``install_read_only_guard`` attaches the same check to every ORM flush of a
session factory, so that no service can forget it. Imports write through Core
and check ownership record by record with ``owner_clash``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.db.models import AdminUnit, Office, SyncedRecord


class ReadOnlyRecord(ConflictError):
    """A record owned by another unit (a commune's, seen at the upper office)."""


def _office_unit(session: Session) -> str | None:
    office = session.get(Office, 1)
    return office.unit_id if office else None


def is_read_only(session: Session, record: SyncedRecord) -> bool:
    """True for a record owned by another unit (shared reference rows without an
    owner, such as the province, stay editable)."""
    return _owned_elsewhere(record, _office_unit(session))


def _owned_elsewhere(record: SyncedRecord, own: str | None) -> bool:
    return record.owner_unit_id is not None and own is not None and record.owner_unit_id != own


def read_only_message(session: Session, owner_unit_id: str) -> str:
    unit = session.get(AdminUnit, owner_unit_id)
    who = f"{unit.unit_type} {unit.name}" if unit else "một đơn vị khác"
    return (f"Dữ liệu này của {who}, nhận qua gói đồng bộ: chỉ được xem, không sửa hay xóa ở đây. "
            "Mọi thay đổi phải làm tại đơn vị đó rồi gửi gói mới.")


def ensure_editable(session: Session, record: SyncedRecord) -> None:
    if is_read_only(session, record):
        raise ReadOnlyRecord(read_only_message(session, record.owner_unit_id))


def _guard(session: Session, _context: Any, _instances: Any) -> None:
    own = _office_unit(session)  # once per flush: a batch may change thousands of records
    changed = [obj for obj in list(session.dirty) + list(session.deleted)
               if isinstance(obj, SyncedRecord) and session.is_modified(obj) | (obj in session.deleted)]
    changed += [obj for obj in session.new if isinstance(obj, SyncedRecord) and obj.owner_unit_id is not None]
    for obj in changed:
        if _owned_elsewhere(obj, own):
            raise ReadOnlyRecord(read_only_message(session, obj.owner_unit_id))


def install_read_only_guard(session_factory: Any) -> None:
    """Refuse, at flush, any ORM change to another unit's records."""
    event.listen(session_factory, "before_flush", _guard)


def owner_clash(local_owner: str | None, incoming_owner: str | None) -> bool:
    """An incoming record may only replace a local one of the same owner."""
    return local_owner != incoming_owner
