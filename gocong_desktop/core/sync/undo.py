"""Undo of an import at the upper office: one write transaction that puts back
every row the import changed, from its journal (``journal.py``).

It is refused, with the database unchanged, when anything the import wrote was
changed since (a later package of the same commune, a conflict resolved here):
undoing it would lose that change, so the later package is named, to be undone
first. Otherwise the records are put back as they were, the conflicts the
import added removed, the sender's link sequence and lineage restored (a sender
this import registered is removed, unless another import still refers to it),
the ledger row marked undone (the package may then be imported again) and one
audit entry appended: audit entries are never deleted, those the package
brought included.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from gocong_desktop.core.db.changes import EVERYTHING
from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.models import AuditEntry, SyncPackage, utcnow
from gocong_desktop.core.db.many_rows import in_values, insert_rows
from gocong_desktop.core.db.portable import on_sqlite, qmark_execute
from gocong_desktop.core.sync.apply import update_rows
from gocong_desktop.core.sync.errors import UndoRefused
from gocong_desktop.core.sync.journal import (CONFLICT, KEPT_PER_SENDER, LEDGER, NOT_JOURNALLED, PEER, current_digests,
                                               entries_digest, link_key)
from gocong_desktop.core.sync.kinds import SNAPSHOT, Kind, get_kind
from gocong_desktop.core.sync.ledger import UNDONE, find_import, imports, registered_names, sender_name, undone_import
from gocong_desktop.core.sync.manifest import EXTENSION
from gocong_desktop.core.sync.package import open_manifest
from gocong_desktop.core.sync.stored import same_as, writable
from gocong_desktop.core.sync.txn import bound_session, write_transaction
from gocong_desktop.core.sync.undo_refs import dangling
from gocong_desktop.core.sync.unit_figures import store_unit_figures
from gocong_desktop.core.sync.zipsafe import DAMAGE_ERRORS
from gocong_desktop.core.text import format_int

Entry = tuple[int, str, str, str | None, str | None]  # id, table, record key, row before, digest after


@dataclass(frozen=True)
class UndoResult:
    package_uuid: str
    sequence: int | None
    sender_name: str  # "xã Bình Tân"
    records: int  # records and links put back
    conflicts: int  # conflicts removed
    peer_removed: bool  # the sender this import had registered
    message: str  # one line for people


UUID_LENGTH = 36


def package_uuid_of(target: str | Path) -> str:
    """The package a user named: by its file (the manifest read) or by its code."""
    path = Path(target)
    try:
        is_file = path.is_file()
    except OSError:  # a name the system cannot even look up (far too long, say): not a file
        is_file = False
    if path.suffix == EXTENSION and not is_file:
        raise UndoRefused(f"Không tìm thấy tệp «{path.name[:80]}».", code="not_found")
    if not is_file:
        return str(target).strip().lower()[:UUID_LENGTH + 1]  # longer than a code: found nowhere
    try:
        return open_manifest(path).manifest.package_uuid
    except DAMAGE_ERRORS:
        raise UndoRefused(f"Không đọc được tệp «{path.name}»; hãy ghi mã gói (cột «Mã gói» trong danh sách "
                          "«Gói đã nhập») thay cho tệp.", code="damaged") from None


def undo_import(db: Database, package_uuid: str, *, actor: str | None = None) -> UndoResult:
    """Undo the import of ``package_uuid``; raises ``UndoRefused`` (or, for a
    viewer, a permission error) with the database unchanged."""
    # Foreign keys off, as for the import: a record may name one still on its way
    # (as before this import); one a later import wrote may not (``undo_refs``).
    try:
        return _undo(db, package_uuid, actor)
    except IntegrityError as exc:  # a server checks its (deferred) foreign keys at the commit
        raise UndoRefused(f"Không hoàn tác được lần nhập gói này: còn bản ghi khác dùng bản ghi do gói mang đến "
                          f"({str(exc.orig)[:120]}). Cơ sở dữ liệu không đổi.", code="referred") from None


def _undo(db: Database, package_uuid: str, actor: str | None) -> UndoResult:
    with write_transaction(db, writes=EVERYTHING, bulk=True) as conn, bound_session(conn) as session:
        row = _live_import(session, package_uuid)
        entries = _entries(conn, package_uuid)
        _check_unchanged(conn, session, row, entries)
        # read first: a server's failed statement ends the transaction
        later, names = _later_of_sender(session, row), registered_names(session)
        try:
            records, conflicts, peer_removed = _put_back(conn, entries, row)
        except IntegrityError as exc:  # a row put back would take a key a later row holds now
            raise _would_clash(session, row, later, exc, names) from None
        _check_not_referred(conn, session, row, entries)
        qmark_execute(conn)("DELETE FROM import_journal WHERE package_uuid = ?", (package_uuid,))
        if row.sender_unit_id is not None:  # a ledger row from before 0008 may not name it
            store_unit_figures(session, row.sender_unit_id)
        result = _result(session, row, records, conflicts, peer_removed, names)
        session.add(_audit(row, result, actor or db.actor()))
    return result


def _live_import(session: Session, package_uuid: str) -> SyncPackage:
    row = find_import(session, package_uuid)
    if row is not None:
        return row
    if (undone := undone_import(session, package_uuid)) is not None:
        raise UndoRefused(f"Lần nhập gói số {undone.sequence} của {sender_name(session, undone)} đã được hoàn tác "
                          "trước đây; không có gì để hoàn tác.", code="already_undone")
    raise UndoRefused(f"Không tìm thấy gói đã nhập có mã «{package_uuid}»; hãy xem cột «Mã gói» của danh sách "
                      "«Gói đã nhập» (trang Đồng bộ), hoặc ghi tệp .gcsync đã nhập.", code="not_found")


def _entries(conn: Connection, package_uuid: str) -> list[Entry]:
    rows = qmark_execute(conn)("SELECT id, table_name, record_key, before_json, after_digest FROM import_journal "
                                "WHERE package_uuid = ? ORDER BY id", (package_uuid,)).all()
    if not rows:  # imported by a version without the journal, or one pruned since (journal.prune)
        raise UndoRefused(f"Gói này không còn nhật ký nhập (chỉ {KEPT_PER_SENDER} gói nhập gần nhất của mỗi đơn vị "
                          "được giữ; gói nhập bằng phiên bản cũ của phần mềm thì không có), nên không hoàn tác "
                          "được; nếu cần, hãy khôi phục bản sao lưu từ trước khi nhập.", code="no_journal")
    entries = [tuple(r) for r in rows]
    if not all(map(_sound, entries)) or not _as_audited(conn, package_uuid, entries):
        raise UndoRefused("Nhật ký nhập của gói này bị hỏng hoặc đã bị sửa ngoài phần mềm, nên không hoàn tác "
                          "(hoàn tác theo nhật ký đó có thể ghi sai dữ liệu). Cơ sở dữ liệu không đổi; hãy chạy "
                          "kiểm tra dữ liệu, hoặc khôi phục bản sao lưu từ trước khi nhập.", code="journal_damaged")
    return entries


def _as_audited(conn: Connection, package_uuid: str, entries: list[Entry]) -> bool:
    """The journal's digest is the one the import's own audit entry keeps
    (sealed in this office's hash chain; imports before it kept none)."""
    newest = "rowid DESC" if on_sqlite(conn) else "at DESC, seq DESC NULLS FIRST"  # a server has no rowid
    found = qmark_execute(conn)(
        "SELECT changes_json FROM audit_log WHERE action = 'import' AND table_name = 'sync_package' AND "
        f"record_id = ? AND origin_unit_id IS NULL ORDER BY {newest} LIMIT 1", (package_uuid,)).first()
    try:
        kept = json.loads(found[0]).get("journal") if found and found[0] else None
    except (ValueError, AttributeError):
        return False
    return kept is None or kept == entries_digest(e[1:] for e in entries)


def _sound(entry: Entry) -> bool:
    """An entry as an import writes it: the file may have been edited outside
    the app, and an entry is followed blindly (a row's id says what is written)."""
    _id, table, key, before, _after = entry
    if table in (CONFLICT, LEDGER):
        return before is None
    if table == PEER:
        return before is None or _json_list(before, 2) is not None
    kind = get_kind(table)
    if kind is None or kind.name in NOT_JOURNALLED:
        return False
    if kind.mode == SNAPSHOT:
        return _json_list(key, len(kind.columns)) is not None and before in (None, key)
    row = None if before is None else _json_list(before, len(kind.columns))
    return before is None or (row is not None and row[kind.index("id")] == key)


def _json_list(text: str, length: int) -> list | None:
    try:
        found = json.loads(text)
    except (ValueError, TypeError):
        return None
    return found if type(found) is list and len(found) == length else None


def _check_unchanged(conn: Connection, session: Session, row: SyncPackage, entries: list[Entry]) -> None:
    """Refused when a row is no longer as the import left it."""
    changed: list[Entry] = []
    for table, group in groupby(sorted(entries, key=lambda e: e[1]), key=lambda e: e[1]):
        group = list(group)
        now = current_digests(conn, get_kind(table), table, [e[2] for e in group])
        changed += [e for e in group if now.get(e[2]) != e[4]]
    if not changed:
        return
    records = sum(e[1] != PEER for e in changed)
    parts = [f"{format_int(records)} bản ghi"] if records else []
    parts += ["thông tin đồng bộ của đơn vị gửi"] if records < len(changed) else []
    what = (f"Không hoàn tác được lần nhập gói số {row.sequence} của {sender_name(session, row)}: "
            f"{' và '.join(parts)} đã thay đổi sau lần nhập này")
    later = _later_imports(conn, session, entries[0][0], row.package_uuid, changed)
    if later:
        first = f"gói số {later[0].sequence} của {sender_name(session, later[0])}"
        raise UndoRefused(f"{what} (do {format_int(len(later))} gói nhập sau). Hãy hoàn tác {first} trước "
                          "(gói nhập sau cùng trước), rồi làm lại. Cơ sở dữ liệu không đổi.", code="changed_since")
    raise UndoRefused(f"{what} (đã được sửa tại đây, ví dụ khi xử lý xung đột); hoàn tác sẽ làm mất các thay đổi "
                      "đó nên không thực hiện. Cơ sở dữ liệu không đổi.", code="changed_since")


def _later_imports(conn: Connection, session: Session, first_id: int, package_uuid: str,
                   changed: list[Entry]) -> list[SyncPackage]:
    """The imports after this one that touched the changed rows, newest first."""
    found: set[str] = set()
    for table, group in groupby(sorted(changed, key=lambda e: e[1]), key=lambda e: e[1]):
        keys = [e[2] for e in group]
        for among, part in in_values(conn, keys):
            found.update(r[0] for r in qmark_execute(conn)(
                f"SELECT DISTINCT package_uuid FROM import_journal WHERE id > ? AND package_uuid != ? "
                f"AND table_name = ? AND record_key {among}", (first_id, package_uuid, table, *part)))
    rows = [r for r in (find_import(session, uuid) for uuid in found) if r is not None]
    return sorted(rows, key=lambda r: r.processed_at, reverse=True)


def _check_not_referred(conn: Connection, session: Session, row: SyncPackage, entries: list[Entry]) -> None:
    """Refused when records a later import wrote still refer to records taken out."""
    removed: dict[str, list[str]] = {}
    for _id, table, key, before, _after in entries:
        kind = get_kind(table)
        if before is None and kind is not None and kind.mode != SNAPSHOT:
            removed.setdefault(table, []).append(key)
    refs = dangling(conn, removed)
    later = _later_imports(conn, session, entries[0][0], row.package_uuid,
                           [(0, table, key, None, None) for table, key in refs]) if refs else []
    if later:
        raise UndoRefused(f"Không hoàn tác được lần nhập gói số {row.sequence} của {sender_name(session, row)}: "
                          f"{format_int(len(refs))} bản ghi nhập sau còn dùng bản ghi do gói này mang đến (do "
                          f"{format_int(len(later))} gói nhập sau). Hãy hoàn tác gói số {later[0].sequence} của "
                          f"{sender_name(session, later[0])} trước (gói nhập sau cùng trước), rồi làm lại. Cơ sở "
                          "dữ liệu không đổi.", code="changed_since")


def _later_of_sender(session: Session, row: SyncPackage) -> list[SyncPackage]:
    """The sender's imports after this one, newest first."""
    return [r for r in imports(session, unit_id=row.sender_unit_id) if r.processed_at > row.processed_at]


def _would_clash(session: Session, row: SyncPackage, later: list[SyncPackage], exc: IntegrityError,
                 names: dict[str, str]) -> UndoRefused:
    """A record put back as it was would take a key (a year, a number) that a
    record brought since holds: the later packages of the sender go first."""
    kind = get_kind(_clashing_table(exc))
    label = f" {kind.label}" if kind else ""
    what = (f"Không hoàn tác được lần nhập gói số {row.sequence} của {sender_name(session, row, names)}: trả bản "
            f"ghi{label} "
            "về như trước khi nhập sẽ trùng với một bản ghi đã có")
    if not later:
        return UndoRefused(f"{what}. Cơ sở dữ liệu không đổi.", code="clash")
    return UndoRefused(f"{what} (do {format_int(len(later))} gói nhập sau). Hãy hoàn tác gói số {later[0].sequence} "
                       f"của {sender_name(session, later[0], names)} trước (gói nhập sau cùng trước), rồi làm lại. "
                       "Cơ sở dữ liệu không đổi.", code="changed_since")


def _clashing_table(exc: IntegrityError) -> str | None:
    """The table of the key taken: SQLite names it in its message, psycopg in its diagnostics."""
    diag = getattr(exc.orig, "diag", None)
    if diag is not None:
        return diag.table_name
    found = re.search(r"failed: (\w+)\.", str(exc.orig))
    return found.group(1) if found else None


def _put_back(conn: Connection, entries: list[Entry], row: SyncPackage) -> tuple[int, int, bool]:
    """Every change undone, the last one first: (records, conflicts, peer removed)."""
    records = conflicts = 0
    peer_removed = False
    for (table, inserted), group in groupby(reversed(entries), key=lambda e: (e[1], e[3] is None)):
        group = list(group)
        if table == CONFLICT:
            qmark_execute(conn)("DELETE FROM sync_conflict WHERE id = ?", [(e[2],) for e in group])
            conflicts += len(group)
        elif table == PEER:
            peer_removed = _put_back_peer(conn, group[0], row) or peer_removed
        elif table == LEDGER:
            _mark_undone(conn, group[0][2])
        else:
            _put_back_records(conn, get_kind(table), group, inserted)
            records += len(group)
    return records, conflicts, peer_removed


def _put_back_records(conn: Connection, kind: Kind, group: list[Entry], inserted: bool) -> None:
    if kind.mode == SNAPSHOT:
        rows = [link_key(e[2]) for e in group]
        if inserted:
            where = " AND ".join(f'"{c}" {same_as(conn)} ?' for c in kind.columns)
            qmark_execute(conn)(f'DELETE FROM "{kind.name}" WHERE {where}', rows)
        else:
            insert_rows(conn, kind.name, kind.columns, writable(conn, kind, rows))
    elif inserted:
        _delete(conn, kind, [e[2] for e in group])
    else:
        update_rows(conn, kind, [tuple(json.loads(e[3])) for e in group])


# A shared reference unit (a province, a district: no owner) another unit or
# this office may stand under is left in place; it is only ever added.
_UNUSED_REFERENCE = ("owner_unit_id IS NOT NULL OR (NOT EXISTS (SELECT 1 FROM admin_unit c WHERE c.parent_id = "
                     "admin_unit.id) AND NOT EXISTS (SELECT 1 FROM office WHERE office.unit_id = admin_unit.id))")


def _delete(conn: Connection, kind: Kind, ids: list[str]) -> None:
    if kind.name != "admin_unit":
        for among, part in in_values(conn, ids):
            qmark_execute(conn)(f'DELETE FROM "{kind.name}" WHERE id {among}', part)
        return
    sql = f"DELETE FROM admin_unit WHERE id = ? AND ({_UNUSED_REFERENCE})"
    for _level in range(4):  # hamlet, commune, district, province: children go first
        qmark_execute(conn)(sql, [(i,) for i in ids])


def _put_back_peer(conn: Connection, entry: Entry, row: SyncPackage) -> bool:
    """The sender as it was; True when this import had registered it and no
    other import refers to it any more."""
    _id, _table, peer_id, before, _after = entry
    if before is not None:
        links, lineage = json.loads(before)
        qmark_execute(conn)("UPDATE sync_peer SET links_sequence = ?, lineage_json = ? WHERE id = ?",
                             (links, lineage, peer_id))
        return False
    removed = qmark_execute(conn)(
        "DELETE FROM sync_peer WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sync_package p WHERE p.direction = "
        "'import' AND p.status != ? AND p.sender_unit_id = sync_peer.unit_id AND p.id != ?)",
        (peer_id, UNDONE, row.id))
    return removed.rowcount > 0


def _mark_undone(conn: Connection, ledger_id: str) -> None:
    qmark_execute(conn)("UPDATE sync_package SET status = ? WHERE id = ?", (UNDONE, ledger_id))


def _result(session: Session, row: SyncPackage, records: int, conflicts: int, peer_removed: bool,
            names: dict[str, str]) -> UndoResult:
    name = sender_name(session, row, names)  # the peer may be gone now
    removed = f", bỏ đăng ký khóa của {name}" if peer_removed else ""
    message = (f"Đã hoàn tác lần nhập gói số {row.sequence} của {name}: trả lại {format_int(records)} bản ghi "
               f"như trước khi nhập, xóa {format_int(conflicts)} xung đột{removed}. Có thể nhập lại gói này sau.")
    return UndoResult(package_uuid=row.package_uuid, sequence=row.sequence, sender_name=name, records=records,
                      conflicts=conflicts, peer_removed=peer_removed, message=message)


def _audit(row: SyncPackage, result: UndoResult, actor: str) -> AuditEntry:
    summary = {"package": row.package_uuid, "sequence": row.sequence, "sender": result.sender_name,
               "records": result.records, "conflicts": result.conflicts, "peer_removed": result.peer_removed}
    return AuditEntry(at=utcnow(), actor=actor, action="undo_import", table_name="sync_package",
                      record_id=row.package_uuid, changes_json=json.dumps(summary, ensure_ascii=False))
