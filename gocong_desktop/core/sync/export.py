"""Export: this office's records changed since its last package (or all of them)
into a signed — and, when the upper office's key is known, encrypted — package.

What changed is found two ways, so that neither a wrong PC clock nor a bulk
write is missed: rows whose ``updated_at`` is past the previous package's mark
for that kind, and rows named by audit entries written after it (the audit
log's rowid only grows). Sending a record twice is harmless (the upper office
sees "unchanged"); missing one is not.
"""

from __future__ import annotations

import hashlib
import json
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from gocong_desktop.core.storage import audit_chain, incarnation
from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.models import AuditEntry, SyncDirection, SyncPackage, utcnow
from gocong_desktop.core.services.office import OfficeInfo, get_office
from gocong_desktop.core.services.pledge_violations import include_violations_in_sync
from gocong_desktop.core.services.privacy import withheld_columns
from gocong_desktop.core.text import format_int
from gocong_desktop.core.sync.audit_entries import outgoing_entries
from gocong_desktop.core.sync.errors import SyncError
from gocong_desktop.core.sync.files import place_file, sha256_file, temp_file
from gocong_desktop.core.sync.keys import ensure_office_keys, file_stem
from gocong_desktop.core.sync.kinds import SNAPSHOT, VERSIONED, VIOLATIONS, Kind, all_kinds
from gocong_desktop.core.sync.lineage import LineageError, parse_lineage
from gocong_desktop.core.sync.ledger import EXPORTED, last_export, next_sequence
from gocong_desktop.core.sync.manifest import EXTENSION, Sender
from gocong_desktop.core.sync.package import PackageDraft, Recipient, open_package, write_package
from gocong_desktop.core.sync.peers import upper_office
from gocong_desktop.core.sync.records import encode_rows
from gocong_desktop.core.sync.txn import bound_session, write_transaction

# What an export writes: its package row, the office keys on first use, the clock
# (full export done), its audit entry.
EXPORT_WRITES = ChangeSet.of("sync_package", "sync_key", "sync_clock", "audit_log")


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    size: int  # bytes
    package_uuid: str
    sequence: int
    full: bool
    since_sequence: int | None
    encrypted: bool
    recipient_name: str | None
    counts: dict[str, int] = field(default_factory=dict)  # records per kind
    recipient_fingerprint: str | None = None  # of the registered upper office it is encrypted to

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """What the screen (or the CLI) tells the user, in Vietnamese."""
        from gocong_desktop.core.sync.kinds import LABELS

        scope = "toàn bộ dữ liệu" if self.full else f"thay đổi từ sau gói số {self.since_sequence}"
        out = [f"Gói số {self.sequence} ({scope}): {self.file_name}, {format_int(max(self.size // 1024, 1))} KB",
               f"Tổng số bản ghi: {format_int(self.records)}"]
        out += [f"  {LABELS.get(k, k)}: {format_int(n)}" for k, n in self.counts.items() if n]
        out.append(f"Đã mã hóa cho {self.recipient_name} (dấu vân tay {self.recipient_fingerprint})"
                   if self.encrypted else "Chưa mã hóa: chưa nhập khóa của cơ quan cấp trên (gói vẫn được ký).")
        out.append("Đã ghi xong và kiểm tra lại tệp. Có thể rút USB an toàn.")
        return out


def _rows(conn: Connection, sql: str, params: tuple = ()) -> list[tuple]:
    """Plain tuples straight from sqlite3 (SQLAlchemy's Row objects cost ~1 µs each)."""
    return conn.connection.driver_connection.execute(sql, params).fetchall()


def _ancestors(conn: Connection, unit_id: str) -> list[str]:
    out, current = [], unit_id
    while current and len(out) < 10:
        found = _rows(conn, "SELECT parent_id FROM admin_unit WHERE id = ?", (current,))
        current = found[0][0] if found else None
        if current:
            out.append(current)
    return out


def _columns(kind: Kind) -> str:
    return ", ".join(f'"{c}"' for c in kind.columns)


def _select_versioned(conn: Connection, kind: Kind, me: str, marks: dict | None,
                      extra_ids: list[str]) -> list[tuple]:
    extra = f" OR id IN ({','.join('?' * len(extra_ids))})" if extra_ids else ""
    where, params = f"(owner_unit_id = ?{extra})", [me, *extra_ids]
    if marks is not None and marks.get("updated_at", {}).get(kind.name) is not None:
        where += " AND (updated_at > ? OR id IN (SELECT record_id FROM audit_log WHERE rowid > ? " \
                 "AND table_name = ?))"
        params += [marks["updated_at"][kind.name], marks["audit_rowid"], kind.name]
    return _rows(conn, f'SELECT {_columns(kind)} FROM "{kind.name}" WHERE {where}', tuple(params))


def _stamped(kind: Kind, rows: list[tuple], root: str) -> list[tuple]:
    """Rows written before stamps existed (or in bulk, by the demo) were last
    changed in this database's first incarnation: say so."""
    o, c = kind.index("origin"), kind.index("change_seq")
    if all(row[o] is not None for row in rows):
        return rows
    out = []
    for row in rows:
        if row[o] is None:
            row = list(row)
            row[o], row[c] = root, row[c] or 0
            row = tuple(row)
        out.append(row)
    return out


def _links_digest(rows: list[tuple]) -> str:
    return hashlib.sha256(json.dumps(sorted(rows)).encode()).hexdigest()


def _select_other(conn: Connection, kind: Kind, me: str, sent: dict[str, list[tuple]],
                  marks: dict | None, withheld: dict[str, set[str]]) -> list[tuple]:
    cols = _columns(kind)
    if kind.name == "model_site_household":  # the link table of our sites, whole (sent when it changed)
        return _rows(conn, f"SELECT {cols} FROM model_site_household WHERE site_id IN "
                           "(SELECT id FROM model_site WHERE owner_unit_id = ?)", (me,))
    if kind.name == "unit_succession":  # merges involving units we send
        units = {r[0] for r in sent.get("admin_unit", [])}
        i, j = kind.index("old_unit_id"), kind.index("new_unit_id")
        return [r for r in _rows(conn, f"SELECT {cols} FROM unit_succession") if r[i] in units or r[j] in units]
    if kind.name == "audit_log":  # our own sealed entries about the records in this package
        rows = _rows(conn, f"SELECT {cols} FROM audit_log WHERE rowid > ? AND origin_unit_id IS NULL "
                           "AND entry_hash IS NOT NULL", ((marks or {}).get("audit_rowid", 0),))
        t, r = kind.index("table_name"), kind.index("record_id")
        ids: dict[str, set[str]] = {}
        for table in {row[t] for row in rows}:
            ids[table] = set(map(itemgetter(0), sent.get(table, ())))
        # Personal values withheld from the records stay out of their history too.
        return outgoing_entries(kind, [row for row in rows if row[r] in ids[row[t]]], withheld, me)
    return []


def _collect(conn: Connection, office: OfficeInfo, marks: dict | None, with_violations: bool,
             withheld: dict[str, set[str]], root: str):
    """([(kind, rows)], new marks). Rows are read in ``kind.columns`` order ("id" first)."""
    me, ancestors = office.unit_id, _ancestors(conn, office.unit_id)
    new_marks: dict[str, Any] = {"updated_at": dict((marks or {}).get("updated_at", {})),
                                 "audit_rowid": _rows(conn, "SELECT coalesce(max(rowid), 0) FROM audit_log")[0][0]}
    out, sent = [], {}
    for kind in all_kinds():
        if kind.name == VIOLATIONS and not with_violations:
            continue
        if kind.mode == VERSIONED:
            rows = sent[kind.name] = _stamped(kind, _select_versioned(
                conn, kind, me, marks, ancestors if kind.name == "admin_unit" else []), root)
            u = kind.index("updated_at")
            stamps = [max(map(itemgetter(u), rows), default=""), new_marks["updated_at"].get(kind.name) or ""]
            new_marks["updated_at"][kind.name] = max(stamps)
        else:
            rows = _select_other(conn, kind, me, sent, marks, withheld)
            if kind.mode == SNAPSHOT:
                digest = new_marks["links_digest"] = _links_digest(rows)
                if marks is not None and marks.get("links_digest") == digest:
                    continue  # unchanged since the last package: not sent again
        out.append((kind, rows))
    return out, new_marks


def _withhold(kind: Kind, rows: list, columns: set[str]) -> list:
    """Blank the personal fields this office chose not to send (privacy setting):
    NULL where the column allows it, an empty text where it does not."""
    if not columns or not rows:
        return rows
    blanks = {kind.index(c): (None if kind.table.c[c].nullable else "") for c in columns if c in kind.columns}
    return [tuple(blanks.get(i, value) for i, value in enumerate(row)) for row in rows]


def _lineage(clock: incarnation.Clock) -> tuple:
    try:
        return parse_lineage(list(clock.lineage))
    except LineageError as exc:  # thousands of restores or moves between PCs: never a crash
        raise SyncError(f"Không xuất được gói: lịch sử dữ liệu của đơn vị không hợp lệ ({exc}). Hãy gửi tệp "
                        "nhật ký lỗi cho bộ phận hỗ trợ; dữ liệu không bị thay đổi.", code="lineage") from None


def _recipient(session: Session) -> Recipient | None:
    upper = upper_office(session)
    if upper is None or not upper.encryption_key:
        return None
    return Recipient(name=f"{upper.unit_type} {upper.unit_name}", fingerprint=upper.fingerprint,
                     encryption_key=upper.encryption_key)


def _draft(session: Session, conn: Connection, office: OfficeInfo, full: bool) -> tuple[PackageDraft, dict]:
    keys = ensure_office_keys(session)
    # Audit entries travel sealed in this office's hash chain (entries older than
    # the chain wait unsealed until a change; seal them now, not at the upper office).
    audit_chain.seal(lambda sql, params: conn.exec_driver_sql(sql, params))
    last = last_export(session)
    clock = incarnation.read_clock(lambda sql, params: conn.exec_driver_sql(sql, params))
    full = full or clock.full_export_needed  # after a restore the upper office may hold lost changes
    marks = None if full or last is None else json.loads(last.report_json or "{}").get("marks")
    with_violations = include_violations_in_sync(session)
    withheld = withheld_columns(session)
    collected, new_marks = _collect(conn, office, marks, with_violations, withheld, clock.root)
    sender = Sender(unit_id=office.unit_id, unit_code=office.unit_code, unit_name=office.unit_name,
                    unit_type=office.unit_type, role=office.role, signing_key=keys.signing_public,
                    fingerprint=keys.fingerprint)
    draft = PackageDraft(sender=sender, sequence=next_sequence(session),
                         previous_hash=last.package_hash if last else None, full=marks is None,
                         since_sequence=None if marks is None else last.sequence,
                         includes_violations=with_violations, lineage=_lineage(clock),
                         change_seq=clock.change_seq,
                         audit_head=audit_chain.chain_head(lambda sql, params: conn.exec_driver_sql(sql, params)))
    draft.withheld = {kind.name: tuple(sorted(withheld[kind.name])) for kind, _rows in collected
                      if withheld.get(kind.name) and kind.mode == VERSIONED}
    for kind, rows in collected:
        rows = _withhold(kind, rows, withheld.get(kind.name, set()))
        if rows or kind.mode == SNAPSHOT:  # a snapshot is sent when it changed; empty says "no links"
            draft.payloads.append((kind.name, len(rows), encode_rows(kind, rows)))
    return draft, new_marks


def export_package(db: Database, folder: str | Path, *, full: bool = False,
                   actor: str | None = None) -> ExportSummary:
    """Write the next package into ``folder`` (a USB stick, say) and record it.

    Written to a temporary file and synced, copied as ``.part``, renamed to a
    name that did not exist, read back and verified; only then is it entered in
    the ledger. On any failure nothing is recorded and no file is left behind."""
    tmp, placed = temp_file(EXTENSION), None
    actor = actor or db.actor()
    try:
        with write_transaction(db, writes=EXPORT_WRITES) as conn, bound_session(conn) as session:
            office = get_office(session)
            draft, marks = _draft(session, conn, office, full)
            recipient = _recipient(session)
            manifest = write_package(tmp, draft, ensure_office_keys(session).signing, recipient)
            name = f"{file_stem(office.unit_name, office.unit_code, office.unit_id)}-{draft.sequence:06d}{EXTENSION}"
            placed = place_file(tmp, folder, name)
            checked = _verify_written(placed, sha256_file(tmp))
            report = {"file_name": placed.name, "full": draft.full, "since_sequence": draft.since_sequence,
                      "encrypted": recipient is not None, "size": checked.size, "marks": marks,
                      "recipient": recipient.name if recipient else None,
                      # what the receipt's anchor must say (``receipts.import_receipt``)
                      "audit_head": draft.audit_head.as_dict() if draft.audit_head else None}
            session.add(SyncPackage(direction=SyncDirection.EXPORT, package_uuid=manifest.package_uuid,
                                    sender_unit_code=office.unit_code, sender_unit_name=office.unit_name,
                                    sequence=draft.sequence, package_hash=checked.package_hash,
                                    previous_hash=draft.previous_hash, created_at=utcnow(),
                                    counts_json=json.dumps(manifest.counts), status=EXPORTED,
                                    report_json=json.dumps(report, ensure_ascii=False), full=draft.full))
            if draft.full:
                incarnation.mark_full_export_done(lambda sql, params: conn.exec_driver_sql(sql, params))
            session.add(AuditEntry(actor=actor, action="export", table_name="sync_package",
                                   record_id=manifest.package_uuid,
                                   changes_json=json.dumps({"file": placed.name, "sequence": draft.sequence})))
        return ExportSummary(path=placed, size=checked.size, package_uuid=manifest.package_uuid,
                             sequence=draft.sequence, full=draft.full, since_sequence=draft.since_sequence,
                             encrypted=recipient is not None, recipient_name=recipient.name if recipient else None,
                             counts={k: n for k, n in manifest.counts.items()},
                             recipient_fingerprint=recipient.fingerprint if recipient else None)
    except BaseException:
        if placed is not None:
            placed.unlink(missing_ok=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)


def _verify_written(path: Path, expected_sha256: str):
    """Read the copy back from the stick: same bytes, and a package that opens."""
    if sha256_file(path) != expected_sha256:
        raise SyncError(f"Tệp «{path.name}» đọc lại khác tệp đã ghi: USB có thể bị lỗi. Hãy thử USB khác.",
                        code="write_check")
    return open_package(path)

