"""Sync bookkeeping beside the ledger (``SyncPackage``): this office's keys, the
offices it exchanges packages with, and conflicts kept for a person to review.

None of these tables is ever put in a sync package.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from gocong_desktop.core.db.models.base import new_id, utcnow


class SyncKey(SQLModel, table=True):
    """This office's own key pairs: "signing" (Ed25519) and "encryption" (X25519).
    Raw 32-byte keys, base64. The private half never leaves the database."""

    __tablename__ = "sync_key"

    purpose: str = Field(primary_key=True, max_length=20)
    private_key: str = Field(nullable=False)
    public_key: str = Field(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class SyncPeer(SQLModel, table=True):
    """Another office: a commune that sends packages here (role "commune"), or
    the upper office this commune sends to (role "upper")."""

    __tablename__ = "sync_peer"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    unit_id: str = Field(nullable=False, unique=True, max_length=36)  # the peer's own unit id
    role: str = Field(nullable=False)
    unit_code: str | None = None
    unit_name: str = Field(nullable=False)
    unit_type: str = Field(nullable=False)
    signing_key: str = Field(nullable=False)  # Ed25519 public key, base64
    fingerprint: str = Field(nullable=False, index=True)  # of the signing key
    encryption_key: str | None = None  # X25519 public key, base64
    confirmed_at: datetime | None = None  # when a person compared the fingerprint
    confirmed_by: str | None = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    # Sequence of the newest package whose link-table snapshot was applied.
    links_sequence: int | None = None
    # The sender's incarnations as its packages told them (sync/lineage.py), JSON.
    lineage_json: str | None = None


class SyncConflict(SQLModel, table=True):
    """Same record, same version, different content: both sides kept."""

    __tablename__ = "sync_conflict"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    table_name: str = Field(nullable=False)
    record_id: str = Field(nullable=False, index=True)
    unit_id: str | None = Field(default=None, index=True)  # the unit whose record it is
    package_uuid: str = Field(nullable=False)
    local_version: int | None = None
    local_json: str = Field(nullable=False)
    incoming_version: int | None = None
    incoming_json: str = Field(nullable=False)
    detected_at: datetime = Field(default_factory=utcnow, nullable=False)
    resolved_at: datetime | None = None
    resolution: str | None = None  # "local" or "incoming"
    resolved_by: str | None = None
    # Why (sync/lineage.py): None — same version, two contents, the local one kept;
    # "lost_local" — the sender no longer has the local record's last change
    # (it restored an older backup): the incoming record was applied;
    # "lost_incoming" — the incoming change is one the sender has since lost: not applied.
    reason: str | None = None


class SyncClock(SQLModel, table=True):
    """One row: this database's incarnation, its lineage and its change counter
    (storage/incarnation.py). Written with plain SQL by the flush hook, never audited."""

    __tablename__ = "sync_clock"

    id: int = Field(default=1, primary_key=True)
    incarnation: str = Field(nullable=False, max_length=36)
    machine: str | None = None  # a digest of the PC's identity when it last wrote
    change_seq: int = Field(default=0, nullable=False)
    lineage_json: str = Field(nullable=False)  # [{"id", "parent", "fork_seq", "reason", "at"}]
    full_export_needed: bool = Field(default=False, nullable=False)


class ImportJournal(SQLModel, table=True):
    """What one import changed, row by row, so that it can be undone exactly
    (sync/undo.py) instead of copying the whole database before it. Written in
    the import's own transaction; an undo removes its package's rows.

    ``table_name``/``record_key``: a record's table and id; a link row
    (``model_site_household``) is keyed by its columns as JSON; the bookkeeping
    around the records: "sync_conflict" (a conflict added), "sync_peer" (the
    sender registered, or its link sequence and lineage moved) and
    "sync_package" (the ledger row). ``before_json``: the row's columns before,
    a JSON list (None: the import inserted it). ``after_digest``: a digest of the
    row as the import left it (None: the import deleted it), compared before an
    undo to see that nothing changed it since."""

    __tablename__ = "import_journal"

    id: int | None = Field(default=None, primary_key=True)
    package_uuid: str = Field(nullable=False, index=True, max_length=36)
    table_name: str = Field(nullable=False)
    record_key: str = Field(nullable=False)
    before_json: str | None = None
    after_digest: str | None = None


class UnitFigures(SQLModel, table=True):
    """At the upper office: one commune's dashboard figures (``area_figures.AreaCounts``
    over ``Window.quarter``), kept beside its records so that the dashboard does
    not count 300,000 households each time (issue 16). Written in the transaction
    of whatever changed the commune's records (an import, its undo, a conflict
    resolved: ``sync/unit_figures.py``); ``stamp`` says which state of them it
    counted, so that a row made stale otherwise is seen and counted again live."""

    __tablename__ = "unit_figures"

    unit_id: str = Field(primary_key=True, max_length=36)
    window_start: date = Field(nullable=False)
    window_end: date = Field(nullable=False)
    stamp: str = Field(nullable=False)
    groups: int = Field(default=0, nullable=False)
    households: int = Field(default=0, nullable=False)
    meetings: int = Field(default=0, nullable=False)
    meetings_final: int = Field(default=0, nullable=False)
    groups_met: int = Field(default=0, nullable=False)
    attendance_present: int = Field(default=0, nullable=False)
    attendance_total: int = Field(default=0, nullable=False)
    pledges_signed: int = Field(default=0, nullable=False)
    pledges_total: int = Field(default=0, nullable=False)
