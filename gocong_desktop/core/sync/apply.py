"""Writing an import plan, inside the caller's transaction: records with
``executemany`` in their storage form (no ORM, no per-row type processing, and
no flush hook: the commune's versions and stamps are kept as they are),
conflicts into ``sync_conflict``, the ledger row, the sender and an audit entry
— and each of those changes into the import journal (``journal.py``), the way
to undo the import.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, insert

from gocong_desktop.core.db.models import AuditEntry, SyncConflict, SyncDirection, SyncPackage, SyncPeer, utcnow
from gocong_desktop.core.db.many_rows import insert_rows
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.sync.derived import with_search_keys
from gocong_desktop.core.sync.journal import Journal
from gocong_desktop.core.sync.kinds import SNAPSHOT, Kind
from gocong_desktop.core.sync.ledger import IMPORTED
from gocong_desktop.core.sync.manifest import Manifest
from gocong_desktop.core.sync.plan import ImportPlan, KindPlan, row_json
from gocong_desktop.core.sync.stored import writable


def update_rows(conn: Connection, kind: Kind, rows: list[tuple]) -> None:
    """Whole rows written over the rows of the same id."""
    i = kind.index("id")
    others = [n for n, c in enumerate(kind.columns) if n != i]
    sets = ", ".join(f'"{kind.columns[n]}" = ?' for n in others)
    params = [tuple(row[n] for n in others) + (row[i],) for row in writable(conn, kind, rows)]
    qmark_execute(conn)(f'UPDATE "{kind.name}" SET {sets} WHERE id = ?', params)


def _conflicts(conn: Connection, kind: Kind, pairs: list[tuple[tuple, tuple, str | None]],
               package_uuid: str) -> list[str]:
    """Stores the conflicts; returns their ids."""
    i, v = kind.index("id"), kind.columns.index("version") if "version" in kind.columns else None
    o = kind.columns.index("owner_unit_id") if "owner_unit_id" in kind.columns else None
    now, ids = utcnow(), [_uuid() for _pair in pairs]
    conn.execute(insert(SyncConflict.__table__), [
        dict(id=conflict_id, table_name=kind.name, record_id=inc[i], unit_id=inc[o] if o is not None else None,
             package_uuid=package_uuid, local_version=loc[v] if v is not None and loc is not None else None,
             local_json=row_json(kind, loc) if loc is not None else "{}", incoming_version=inc[v] if v is not None else None,
             incoming_json=row_json(kind, inc), detected_at=now, reason=reason)
        for conflict_id, (loc, inc, reason) in zip(ids, pairs)])
    return ids


def _uuid() -> str:
    return str(uuid.uuid4())


def _derive_keys(kp: KindPlan) -> None:
    """Derived columns computed here from the rows as written (and journalled)."""
    kp.inserts = with_search_keys(kp.kind, kp.inserts)
    kp.updates = with_search_keys(kp.kind, kp.updates)


def apply_plan(conn: Connection, plan: ImportPlan, package_uuid: str, journal: Journal) -> None:
    for kp in plan.kinds.values():
        kind = kp.kind
        _derive_keys(kp)
        if kind.mode == SNAPSHOT and kp.link_deletes:
            where = " AND ".join(f'"{c}" = ?' for c in kind.columns)
            qmark_execute(conn)(f'DELETE FROM "{kind.name}" WHERE {where}', kp.link_deletes)
        if kp.inserts:
            insert_rows(conn, kind.name, kind.columns, writable(conn, kind, kp.inserts))
        if kp.updates:
            update_rows(conn, kind, kp.updates)
        conflict_ids = _conflicts(conn, kind, kp.conflicts, package_uuid) if kp.conflicts else []
        journal.kind_plan(kp, conflict_ids)


def record_import(conn: Connection, manifest: Manifest, *, package_hash: str, path: Path, plan: ImportPlan,
                  peer: SyncPeer | None, new_peer: SyncPeer | None, actor: str,
                  warnings: list[str], journal: Journal) -> None:
    """The ledger row, the sender (registered now, or its link sequence moved on)
    and one audit entry for the whole import; the first two journalled."""
    sender = manifest.sender
    changes = {k: c.as_dict() for k, c in plan.counts.items()}
    report = {"sender_unit_id": sender.unit_id, "sender_unit_type": sender.unit_type,
              "fingerprint": sender.fingerprint, "full": manifest.full, "since_sequence": manifest.since_sequence,
              "encrypted": manifest.encryption is not None,  # then it holds our key (peers.check_sender)
              "file_name": path.name, "changes": changes, "warnings": warnings,
              # signed back in receipts (``anchors.receipt_anchors``)
              "audit_head": manifest.audit_head.as_dict() if manifest.audit_head else None}
    now, ledger_id = utcnow(), _uuid()
    journal.ledger(ledger_id, IMPORTED)
    conn.execute(insert(SyncPackage.__table__).values(
        id=ledger_id, direction=SyncDirection.IMPORT, package_uuid=manifest.package_uuid,
        sender_unit_code=sender.unit_code, sender_unit_name=sender.unit_name, sequence=manifest.sequence,
        package_hash=package_hash, previous_hash=manifest.previous_hash,
        created_at=_parse_created(manifest.created_at), processed_at=now,
        counts_json=json.dumps(manifest.counts), status=IMPORTED,
        report_json=json.dumps(report, ensure_ascii=False), sender_unit_id=sender.unit_id, full=manifest.full))
    if new_peer is not None:
        new_peer.links_sequence, new_peer.lineage_json = plan.links_sequence, plan.lineage_json
        values = {c.name: getattr(new_peer, c.name) for c in SyncPeer.__table__.columns}
        conn.execute(insert(SyncPeer.__table__).values(**values))
        journal.peer(new_peer.id, None, (plan.links_sequence, plan.lineage_json))
    elif peer is not None:
        links = plan.links_sequence if plan.links_sequence is not None else peer.links_sequence
        journal.peer(peer.id, (peer.links_sequence, peer.lineage_json), (links, plan.lineage_json))
        qmark_execute(conn)("UPDATE sync_peer SET links_sequence = coalesce(?, links_sequence), lineage_json = ? "
                             "WHERE id = ?", (plan.links_sequence, plan.lineage_json, peer.id))
    summary = {"package": manifest.package_uuid, "sequence": manifest.sequence, "sender": sender.display_name,
               "changes": {k: c for k, c in changes.items() if any(c.values())}, "journal": journal.digest()}
    conn.execute(insert(AuditEntry.__table__).values(
        id=_uuid(), at=now, actor=actor, action="import", table_name="sync_package",
        record_id=manifest.package_uuid, changes_json=json.dumps(summary, ensure_ascii=False)))


def _parse_created(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
