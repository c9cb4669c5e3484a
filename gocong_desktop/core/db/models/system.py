"""This office's settings, the audit log and the sync ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from gocong_desktop.core.db.models.choices import OfficeRole
from gocong_desktop.core.db.models.base import new_id, utcnow
from gocong_desktop.core.db.models.personal import not_personal


class Office(SQLModel, table=True):
    """The single row describing the office this database belongs to."""

    __tablename__ = "office"

    id: int = Field(default=1, primary_key=True)
    role: str = Field(default=OfficeRole.COMMUNE, nullable=False)
    unit_id: str = Field(foreign_key="admin_unit.id", nullable=False)
    upper_office_name: str | None = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class AppSetting(SQLModel, table=True):
    """Key/value settings stored with the data (JSON values)."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True)
    value_json: str = Field(nullable=False)


class AuditEntry(SQLModel, table=True):
    """Who changed what, when. Written by the session hook, never by callers."""

    __tablename__ = "audit_log"
    # Not unique: a restored backup may re-use places an earlier copy already sent away.
    __table_args__ = (Index("ix_audit_log_chain_seq", "chain_id", "seq"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    actor: str = Field(nullable=False, sa_column_kwargs=not_personal())  # an account's user name
    action: str = Field(nullable=False)  # create / update / delete
    table_name: str = Field(nullable=False, sa_column_kwargs=not_personal())
    record_id: str = Field(nullable=False, index=True)
    # {"field": [old, new]}: only the fields whose values are held here (an
    # office's personal fields withheld from a package arrive as digests only).
    changes_json: str | None = None
    # Hash chain (see storage/audit_chain.py): filled in by the flush hook, never by callers.
    chain_id: str | None = None
    seq: int | None = None
    prev_hash: str | None = None
    entry_hash: str | None = Field(default=None, index=True)
    salts_json: str | None = None  # {"field": salt} of each value in changes_json
    digests_json: str | None = None  # {"field": digest} of values not held here
    # The office whose chain holds the entry (a commune's, at the upper office);
    # None: this office's own.
    origin_unit_id: str | None = None


class SyncPackage(SQLModel, table=True):
    """Ledger of sync packages written or read, for idempotent imports."""

    __tablename__ = "sync_package"
    # A package is recorded once, unless an earlier import of it was undone
    # (sync/undo.py): then it may be imported again. The ledger's questions per
    # sender (newest package, sequences received) read the second index alone,
    # never the JSON reports. On a server, migration 0009 makes the index partial
    # too; a postgresql_where here would load that dialect in every start-up.
    __table_args__ = (Index("ux_sync_package_live", "direction", "package_uuid", unique=True,
                            sqlite_where=text("status != 'undone'")),
                      Index("ix_sync_package_sender", "direction", "sender_unit_id", "sequence", "full", "status"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    direction: str = Field(nullable=False)
    package_uuid: str = Field(nullable=False, index=True)
    sender_unit_code: str | None = None
    sender_unit_name: str | None = None
    sequence: int | None = None
    package_hash: str | None = None
    previous_hash: str | None = None
    created_at: datetime | None = None
    processed_at: datetime = Field(default_factory=utcnow, nullable=False)
    counts_json: str | None = None
    status: str = Field(default="ok", nullable=False)
    report_json: str | None = None
    # From the report, as columns to filter on: who sent an imported package
    # and whether it was a full one (exports: whether it is).
    sender_unit_id: str | None = Field(default=None, max_length=36)
    full: bool | None = None
