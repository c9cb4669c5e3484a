"""Import at the upper office: one file or many (or a whole folder).

Each package is checked completely before the database is touched, in this
order: zip structure, manifest and signature (no payload read yet), the sender
against the keys an administrator registered, then each payload's size and
ratio before it is inflated, its hash, and every record after decryption. A
package already imported is reported and changes nothing. Otherwise the
package is applied in one transaction, with the journal that can undo it
(``undo.py``) — no copy of the database is made (issue 16: copying 2.36 GB
before each package cost more than importing it); anything wrong rolls the
whole package back. A refusal never changes the database, and in a batch each
file succeeds or fails alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from gocong_desktop.core.db.access import ensure_can_write
from gocong_desktop.core.db.changes import EVERYTHING
from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.models import OfficeRole, SyncPeer
from gocong_desktop.core.errors import UserError, os_reason
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.text import format_int
from gocong_desktop.core.sync.apply import apply_plan, record_import
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.journal import Journal
from gocong_desktop.core.sync.journal import prune as prune_journals
from gocong_desktop.core.sync.key_store import decryption_key
from gocong_desktop.core.sync.kinds import LABELS
from gocong_desktop.core.sync.ledger import find_import, gap_message, imports, missing_sequences, received
from gocong_desktop.core.sync.manifest import EXTENSION
from gocong_desktop.core.sync.package import OpenedPackage, open_manifest, read_records
from gocong_desktop.core.sync.peers import check_sender, describe, new_peer, trusted_sender_audit
from gocong_desktop.core.sync.plan import KindCounts, plan_import
from gocong_desktop.core.sync.txn import bound_session, connection, read_transaction, write_transaction
from gocong_desktop.core.sync.unit_figures import store_unit_figures
from gocong_desktop.core.sync.validate import validate_import
from gocong_desktop.core.sync.zipsafe import DAMAGE_ERRORS

log = logging.getLogger(__name__)
IMPORTED, ALREADY, DRY_RUN, REFUSED = "imported", "already_imported", "dry_run", "refused"
_WORDS = (("new", "mới"), ("updated", "cập nhật"), ("deleted", "xóa"), ("unchanged", "không đổi"),
          ("conflicts", "xung đột"))


@dataclass
class ImportResult:
    path: Path
    status: str  # IMPORTED, ALREADY, DRY_RUN or REFUSED
    message: str  # one line for people
    package_uuid: str | None = None
    sequence: int | None = None
    sender_unit_id: str | None = None
    sender_name: str | None = None  # "xã Bình Tân"
    fingerprint: str | None = None
    full: bool | None = None
    changes: dict[str, KindCounts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # sequence gaps, broken chains
    missing: list[int] = field(default_factory=list)  # sender's packages not received yet
    error_code: str | None = None  # for refusals, e.g. "unknown_sender" (ask to confirm ``fingerprint``)

    @property
    def ok(self) -> bool:
        return self.status != REFUSED

    @property
    def conflicts(self) -> int:
        return sum(c.conflicts for c in self.changes.values())

    def lines(self) -> list[str]:
        """The message, then one line per kind with changes, then warnings."""
        out = [f"{self.path.name}: {self.message}"]
        for kind, c in self.changes.items():
            if c.changes or (self.status == DRY_RUN and c.unchanged):
                words = ", ".join(f"{w} {format_int(getattr(c, k))}" for k, w in _WORDS if getattr(c, k))
                out.append(f"  {LABELS.get(kind, kind)}: {words}")
        return out + [f"  Lưu ý: {w}" for w in self.warnings]


def _refused(path: Path, exc: UserError) -> ImportResult:
    result = ImportResult(path=path, status=REFUSED, message=str(exc),
                          error_code=getattr(exc, "code", "refused"))
    result.fingerprint = getattr(exc, "fingerprint", None)
    result.sender_name = getattr(exc, "sender_name", None)
    return result


def _base(pkg: OpenedPackage, status: str, message: str) -> ImportResult:
    m = pkg.manifest
    return ImportResult(path=pkg.path, status=status, message=message, package_uuid=m.package_uuid,
                        sequence=m.sequence, sender_unit_id=m.sender.unit_id, sender_name=m.sender.display_name,
                        fingerprint=m.sender.fingerprint, full=m.full)


def _check(session: Session, pkg: OpenedPackage, trust: Iterable[str]) -> tuple[bool, SyncPeer | None]:
    """(already imported, registered peer or None for a newly trusted one). Reads only."""
    office = get_office(session)
    if office.role != OfficeRole.UPPER:
        raise PackageRefused(f"Chỉ cơ quan cấp trên mới nhập gói đồng bộ; cơ sở dữ liệu này là của "
                             f"{office.display_name}.", code="not_upper")
    done = find_import(session, pkg.manifest.package_uuid)
    if done is not None:
        if done.package_hash != pkg.package_hash:
            raise PackageRefused("Gói có cùng mã với một gói đã nhập nhưng nội dung khác (gói giả?); không nhập.",
                                 code="uuid_reused")
        return True, None
    return False, check_sender(session, pkg.sender, trust, encrypted=pkg.manifest.encryption is not None)


def _warnings(session: Session, pkg: OpenedPackage) -> tuple[list[str], list[int]]:
    """(warnings, sequences still missing) once this package is in. Reads only."""
    m = pkg.manifest
    got = received(session, m.sender.unit_id)
    got[m.sequence] = got.get(m.sequence, False) or m.full
    out = []
    earlier = imports(session, unit_id=m.sender.unit_id)
    previous = [r for r in earlier if r.sequence == m.sequence - 1]
    twins = [r for r in earlier if r.sequence == m.sequence and r.package_uuid != m.package_uuid]
    restored = (f"({m.sender.display_name} có thể đã khôi phục dữ liệu cũ); dữ liệu vẫn được nhập theo "
                "phiên bản từng bản ghi")
    if twins:
        out.append(f"đã nhận một gói số {m.sequence} khác của {m.sender.display_name} {restored}")
    elif m.previous_hash and previous and all(r.package_hash != m.previous_hash for r in previous):
        out.append(f"gói số {m.sequence} không nối tiếp gói số {m.sequence - 1} đã nhập {restored}")
    missing = missing_sequences(got)
    if missing:
        out.append(gap_message(m.sender.display_name, missing))
    return out, missing


def _summary(changes: dict[str, KindCounts], verb: str) -> str:
    total = KindCounts()
    for c in changes.values():
        for k in total.__dict__:
            setattr(total, k, getattr(total, k) + getattr(c, k))
    return (f"{verb}: {format_int(total.new)} mới, {format_int(total.updated)} cập nhật, "
            f"{format_int(total.deleted)} xóa, {format_int(total.unchanged)} không đổi, "
            f"{format_int(total.conflicts)} xung đột")


def _dry_run(db: Database, link: Connection, pkg: OpenedPackage, records: dict,
             peer: SyncPeer | None) -> ImportResult:
    with read_transaction(db, conn=link) as conn, bound_session(conn) as session:
        plan = plan_import(conn, pkg.manifest, records, peer.links_sequence if peer else None)
        warnings, missing = _warnings(session, pkg)
    if peer is None:  # trusted on first use: nothing registered says who it is but the fingerprint
        warnings.insert(0, f"{describe(pkg.sender)} chưa đăng ký khóa ở đây: tên này do gói tự khai; nhập gói sẽ "
                           f"đăng ký khóa có dấu vân tay {pkg.sender.fingerprint} cho đơn vị này")
    result = _base(pkg, DRY_RUN, _summary(plan.counts, f"Xem trước gói số {pkg.manifest.sequence} của "
                                                     f"{pkg.sender.display_name}"))
    result.changes, result.warnings, result.missing = plan.counts, warnings, missing
    return result


def _apply(db: Database, link: Connection, pkg: OpenedPackage, records: dict, trust: Iterable[str],
           actor: str) -> ImportResult:
    try:
        with write_transaction(db, writes=EVERYTHING, conn=link) as conn, bound_session(conn) as session:
            already, peer = _check(session, pkg, trust)  # again: under the write lock
            if already:
                return _base(pkg, ALREADY, "đã nhập trước đây, không thay đổi gì")
            plan = plan_import(conn, pkg.manifest, records, peer.links_sequence if peer else None)
            journal = Journal(pkg.manifest.package_uuid)
            apply_plan(conn, plan, pkg.manifest.package_uuid, journal)
            warnings, missing = _warnings(session, pkg)
            fresh = new_peer(pkg.sender, role=OfficeRole.COMMUNE, actor=actor) if peer is None else None
            record_import(conn, pkg.manifest, package_hash=pkg.package_hash, path=pkg.path, plan=plan,
                          peer=peer, new_peer=fresh, actor=actor, warnings=warnings, journal=journal)
            journal.write(conn)
            prune_journals(conn, pkg.sender.unit_id)
            store_unit_figures(session, pkg.sender.unit_id)
            if fresh is not None:  # a first package registered its sender's key: audited
                session.add(trusted_sender_audit(fresh, actor))
    except IntegrityError as exc:
        raise PackageRefused(
            f"Gói không khớp với dữ liệu đã nhập trước ({str(exc.orig)[:120]}); có thể còn thiếu gói trước đó "
            "của đơn vị này. Đã hoàn tác, cơ sở dữ liệu không đổi.", code="constraint") from exc
    result = _base(pkg, IMPORTED, _summary(plan.counts, f"Đã nhập gói số {pkg.manifest.sequence} của "
                                                      f"{pkg.sender.display_name}"))
    result.changes, result.warnings, result.missing = plan.counts, warnings, missing
    return result


def import_package(db: Database, path: str | Path, *, trust: Iterable[str] = (), dry_run: bool = False,
                   actor: str | None = None) -> ImportResult:
    """Import one package; raises ``PackageRefused`` (``UnknownSender`` carries
    the fingerprint to show) with the database unchanged."""
    if not dry_run:  # before anything is read
        ensure_can_write(db.role())
    return _import(db, Path(path), trust=tuple(trust), dry_run=dry_run, actor=actor or db.actor())


def _import(db: Database, path: Path, *, trust: tuple, dry_run: bool, actor: str) -> ImportResult:
    try:
        return _checked_import(db, path, trust=trust, dry_run=dry_run, actor=actor)
    except DAMAGE_ERRORS as exc:  # what a damaged or crafted file makes the readers raise
        log.warning("package %s refused as unreadable", path, exc_info=True)
        raise _unreadable(path, exc) from exc


def _unreadable(path: Path, exc: BaseException) -> PackageRefused:
    why = f" ({os_reason(exc)})" if isinstance(exc, OSError) else ""
    return PackageRefused(f"Không đọc được tệp «{path.name}»{why}; tệp bị hỏng, chép thiếu hoặc bị sửa. Không "
                          "nhập, cơ sở dữ liệu không thay đổi; hãy chép lại tệp từ nơi gửi.", code="damaged")


def _checked_import(db: Database, path: Path, *, trust: tuple, dry_run: bool, actor: str) -> ImportResult:
    pkg = open_manifest(path)  # the signed manifest alone: no payload is read before the sender is known
    # One connection for the checks, the validation and the writes: the pages
    # validation reads stay cached for the plan and the writes (``txn.connection``).
    with connection(db, bulk=True) as link:
        with read_transaction(db, conn=link) as conn, bound_session(conn) as session:
            already, peer = _check(session, pkg, trust)
            sealed_to = pkg.manifest.encryption and pkg.manifest.encryption.recipient_key
            key = None if already else decryption_key(session, sealed_to)  # ours now, or retired since
        if already:
            return _base(pkg, ALREADY, "đã nhập trước đây, không thay đổi gì")
        records = read_records(pkg, key)  # sizes capped, inflated, decrypted, checked
        validate_import(db, pkg.manifest, records, link)
        if dry_run:
            return _dry_run(db, link, pkg, records, peer)
        return _apply(db, link, pkg, records, trust, actor)


def package_files(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given, folders replaced by the packages in them."""
    out = []
    for p in map(Path, paths):
        out += sorted(q for q in p.iterdir() if q.suffix == EXTENSION and q.is_file()) if p.is_dir() else [p]
    return out


def _order_key(path: Path) -> tuple:
    """Each sender's packages in sequence order; unreadable files first (refused first)."""
    try:
        m = open_manifest(path).manifest
        return (m.sender.unit_id, m.sequence)
    except Exception:  # whatever is wrong with it is said when it is imported
        return ("", 0)


def import_packages(db: Database, paths: Sequence[str | Path], *, trust: Iterable[str] = (),
                    dry_run: bool = False, actor: str | None = None) -> list[ImportResult]:
    """Import many files (folders expand to their ``.gcsync`` files), each on its
    own. Never raises for a bad file: its result says why it was refused."""
    if not dry_run:  # before anything is read
        ensure_can_write(db.role())
    files = package_files(paths)
    files.sort(key=_order_key)
    trust = tuple(trust)
    return [_import_alone(db, path, trust=trust, dry_run=dry_run, actor=actor or db.actor()) for path in files]


def _import_alone(db: Database, path: Path, **kwargs) -> ImportResult:
    try:
        return _import(db, path, **kwargs)
    except UserError as exc:
        return _refused(path, exc)
    except Exception:  # a bug: logged, this file refused, the others still imported
        log.exception("unexpected error importing %s", path)
        return _refused(path, PackageRefused(f"Lỗi ngoài dự kiến khi nhập tệp «{path.name}»; chi tiết đã được "
                                             "ghi vào nhật ký. Các tệp khác vẫn được nhập.", code="unexpected"))


_OUTCOMES = ((IMPORTED, "đã nhập"), (DRY_RUN, "đã xem trước"), (ALREADY, "đã nhập trước đây"), (REFUSED, "từ chối"))
_NAMES_SHOWN = 10


def batch_summary(results: Sequence[ImportResult]) -> str:
    """One line: how many files were imported, already there, refused — and which."""
    parts = []
    for status, words in _OUTCOMES:
        names = [r.path.name for r in results if r.status == status]
        if names:
            shown = ", ".join(names[:_NAMES_SHOWN])
            more = f" và {format_int(len(names) - _NAMES_SHOWN)} tệp khác" if len(names) > _NAMES_SHOWN else ""
            parts.append(f"{words} {format_int(len(names))} tệp ({shown}{more})")
    return f"Kết quả: {'; '.join(parts) or 'không có tệp nào được nhập'}."
