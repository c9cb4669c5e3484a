"""Columns every synced record carries.

A record's UUID is made when it is created and never changes; ``version`` is
bumped on every change and ``deleted`` keeps deletions as tombstones, so that
export/import at the upper office is idempotent and incremental. The bump, the
timestamps and the origin are applied in one place (``db.record_hooks``), not by callers.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_
from sqlmodel import Field, SQLModel

from gocong_desktop.core.db.ids import new_id


def owner_unit_field(*, index: bool = True) -> Any:
    """The owner column. ``index=False`` on a table whose composite index or
    UNIQUE constraint starts with owner_unit_id: that one serves the lookups by
    owner, and a second index would only cost pages on every write (issue 16)."""
    return Field(default=None, foreign_key="admin_unit.id", index=index)


def utcnow() -> datetime:
    """Aware UTC: bookkeeping times are instants, shown in local time."""
    return datetime.now(timezone.utc)


class SyncedRecord(SQLModel):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    deleted: bool = Field(default=False, nullable=False)
    # The office (unit) that owns and may change the record; the upper office
    # keeps each commune's records under that commune's unit.
    owner_unit_id: str | None = owner_unit_field()
    # Where the last change was made: the database's incarnation then, and its
    # change counter (storage/incarnation.py). Unlike ``version``, these survive a
    # restore: an edit made after one is never taken for an old one.
    origin: str | None = Field(default=None, max_length=36)
    change_seq: int | None = None


def live(*models: Any) -> Any:
    """The criterion "not deleted" (deletions are kept as tombstones for sync) on
    each given table or alias: ``select(Household).where(live(Household))``.
    Written per query on purpose, not as a loader option: sync and audit code
    must still see tombstones."""
    criteria = [model.deleted.is_(False) for model in models]
    return criteria[0] if len(criteria) == 1 else and_(*criteria)
