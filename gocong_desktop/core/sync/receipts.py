"""Receipts: the upper office's signed proof of which packages it imported.

The commune imports the receipt to mark those packages delivered (exported →
delivered). A receipt is checked against the upper office's key registered from
its key card, and only that key: a receipt from any other key is refused, and a
receipt never registers or replaces a key. Its names are display text.

A receipt also signs back the head of the commune's audit chain each listed
package carried, one anchor per chain (``anchors.py``); the commune keeps the
newest per chain for ``check``. Receipts without anchors (older upper offices)
are still taken.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from sqlmodel import Session

from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.models import AuditEntry, OfficeRole, SyncPeer
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.errors import NotFoundError
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.sync.anchors import MAX_ANCHORS, Anchor, AnchorError, parse_anchor, receipt_anchors, recorded_head, store_anchors
from gocong_desktop.core.sync.crypto import b64, canonical, fingerprint, unb64, verify
from gocong_desktop.core.sync.errors import BadSignature, NewerFormat, PackageRefused, SenderKeyChanged
from gocong_desktop.core.sync.files import read_small_file, write_new_file
from gocong_desktop.core.sync.keys import (NAME_LIMIT, bad_identity_field, ensure_office_keys, file_stem, is_display_text,
                                          is_time)
from gocong_desktop.core.sync.kinds import UUID_RE
from gocong_desktop.core.sync.ledger import DELIVERED, exports, imports
from gocong_desktop.core.sync.peers import find_peer, upper_office
from gocong_desktop.core.sync.txn import bound_session, write_transaction

FORMAT, VERSION, EXTENSION = "gocong-receipt", 1, ".gcreceipt"
MAX_PACKAGES = 100_000
_ENTRY = {"package_uuid": str, "package_hash": str, "imported_at": str}


@dataclass
class ReceiptResult:
    path: Path
    issuer_name: str
    delivered: list[int] = field(default_factory=list)  # sequences marked delivered now
    already: list[int] = field(default_factory=list)  # marked delivered by an earlier receipt
    unknown: list[str] = field(default_factory=list)  # package ids this office never wrote

    @property
    def message(self) -> str:
        parts = []
        if self.delivered:
            parts.append(f"đã xác nhận {_seqs(self.delivered)} đã đến {self.issuer_name}")
        if self.already:
            parts.append(f"{_seqs(self.already)} đã được xác nhận trước đây")
        if self.unknown:
            parts.append(f"{len(self.unknown)} gói không do đơn vị này gửi (bỏ qua)")
        return "; ".join(parts) or "biên nhận không liệt kê gói nào"


def _seqs(seqs: list[int]) -> str:
    return ("gói số " if len(seqs) == 1 else "các gói số ") + ", ".join(map(str, sorted(seqs)))


def write_receipt(db: Database, folder: str | Path, *, unit_id: str,
                  package_uuids: Sequence[str] | None = None, actor: str | None = None) -> Path:
    """A signed receipt for a commune's imported packages (all, or those named)."""
    actor = actor or db.actor()
    with write_transaction(db, writes=ChangeSet.of("sync_key", "audit_log")) as conn, bound_session(conn) as session:
        office, keys = get_office(session), ensure_office_keys(session)
        peer = find_peer(session, unit_id)
        if peer is None:
            raise NotFoundError("Chưa nhận gói nào của đơn vị này.")
        rows = [r for r in imports(session, unit_id=unit_id)
                if package_uuids is None or r.package_uuid in package_uuids]
        if not rows:
            raise NotFoundError(f"Chưa nhập gói nào của {peer.unit_type} {peer.unit_name}.")
        body = {"format": FORMAT, "version": VERSION, "receipt_uuid": str(uuid.uuid4()),
                "issued_at": datetime.now(timezone.utc).isoformat(),
                "issuer": {"unit_id": office.unit_id, "unit_code": office.unit_code, "unit_name": office.unit_name,
                           "unit_type": office.unit_type, "role": office.role, "signing_key": keys.signing_public,
                           "fingerprint": keys.fingerprint},
                "recipient_unit_id": unit_id, "recipient_name": f"{peer.unit_type} {peer.unit_name}",
                "packages": sorted(({"package_uuid": r.package_uuid, "sequence": r.sequence,
                                     "package_hash": r.package_hash, "imported_at": r.processed_at.isoformat()}
                                    for r in rows), key=lambda p: p["sequence"] or 0),
                "anchors": receipt_anchors(rows, unit_id, keys.signing)}
        doc = {"body": body, "signature": b64(keys.signing.sign(canonical(body)))}
        top = max(p["sequence"] or 0 for p in body["packages"])
        name = f"bien-nhan-{file_stem(peer.unit_name, peer.unit_code, peer.unit_id)}-{top:06d}{EXTENSION}"
        session.add(AuditEntry(actor=actor, action="receipt", table_name="sync_package",
                               record_id=body["receipt_uuid"], changes_json=json.dumps(
                                   {"recipient": body["recipient_name"], "packages": len(rows)}, ensure_ascii=False)))
        return write_new_file(folder, name, json.dumps(doc, ensure_ascii=False, indent=1).encode())


def _read(path: Path) -> tuple[dict, bytes, list[Anchor]]:
    """(body, signature, anchors) of a receipt whose structure is sound; nothing trusted yet."""
    raw = read_small_file(path, limit=4 * 1024 * 1024, what="biên nhận")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))  # a BOM: saved again by Notepad
        body, signature = doc["body"], unb64(doc["signature"])
        if body["format"] != FORMAT:
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        raise PackageRefused(f"Tệp «{path.name}» không phải biên nhận của gocong_desktop.", code="format") from None
    if type(body.get("version")) is int and body["version"] > VERSION:
        raise NewerFormat("Biên nhận được tạo bằng phiên bản gocong_desktop mới hơn. Hãy cập nhật phần mềm.")
    if body.get("version") != VERSION:
        raise PackageRefused(f"Tệp «{path.name}» không phải biên nhận của gocong_desktop.", code="format")
    issuer, packages = body.get("issuer"), body.get("packages")
    if not isinstance(issuer, dict) or bad_identity_field(issuer) is not None or not _sound(packages) or \
            not isinstance(body.get("receipt_uuid"), str) or not UUID_RE.match(body["receipt_uuid"]):
        raise PackageRefused(f"Tệp «{path.name}» không phải biên nhận hợp lệ (sai dạng). Không nhập.",
                             code="format")
    return body, signature, _anchors(path, body.get("anchors", []))


def _anchors(path: Path, items: object) -> list[Anchor]:
    try:
        if not isinstance(items, list) or len(items) > MAX_ANCHORS:
            raise AnchorError("danh sách mốc nhật ký sai dạng")
        return [parse_anchor(item) for item in items]
    except AnchorError as exc:
        raise PackageRefused(f"Tệp «{path.name}» không phải biên nhận hợp lệ ({exc}). Không nhập.",
                             code="format") from None


def _sound(packages: object) -> bool:
    # imported_at is kept as the delivery time and shown: a time, not any text (a signed
    # receipt may still be crafted by whoever holds the upper office's key)
    return isinstance(packages, list) and len(packages) <= MAX_PACKAGES and all(
        isinstance(p, dict) and all(isinstance(p.get(k), t) and len(p[k]) <= 100 for k, t in _ENTRY.items())
        and is_time(p["imported_at"]) for p in packages)


def _check_issuer(session: Session, path: Path, body: dict, signature: bytes) -> SyncPeer:
    """The registered upper office, when it signed the receipt; refuses anything else."""
    upper = upper_office(session)
    if upper is None:
        raise PackageRefused(
            "Chưa đăng ký khóa của cơ quan cấp trên nên không kiểm tra được biên nhận này. Quản trị viên hãy "
            "nhập tệp khóa của cơ quan cấp trên trước (trang Đồng bộ › «Nhập khóa của cơ quan cấp trên…», "
            "hoặc «keys import»), so dấu vân tay với phiếu đăng ký khóa, rồi nhập lại biên nhận.",
            code="upper_key_missing")
    issuer = body["issuer"]
    if verify(upper.signing_key, signature, canonical(body)) and \
            (issuer["unit_id"], issuer["role"]) == (upper.unit_id, OfficeRole.UPPER):
        return upper
    if issuer["signing_key"] == upper.signing_key:
        raise BadSignature(f"Chữ ký của biên nhận «{path.name}» không hợp lệ (đã bị sửa?). Không nhập.")
    raise SenderKeyChanged(
        f"Biên nhận «{path.name}» không được ký bằng khóa đã đăng ký của {upper.unit_type} {upper.unit_name} "
        f"(dấu vân tay {upper.fingerprint}; khóa của biên nhận: {fingerprint(issuer['signing_key'])}). Không "
        "nhập. Nếu cơ quan cấp trên đã đổi khóa, quản trị viên hãy nhập tệp khóa mới của cơ quan đó.")


def _check_recipient(office, body: dict) -> None:
    """After the issuer: the name shown is then text the upper office signed."""
    if body.get("recipient_unit_id") != office.unit_id:
        name = body.get("recipient_name")
        name = name if is_display_text(name, 2 * NAME_LIMIT + 1) else "đơn vị khác"
        raise PackageRefused(f"Biên nhận này dành cho {name}, không phải {office.display_name}. Không nhập.",
                             code="wrong_recipient")


def import_receipt(db: Database, path: str | Path) -> ReceiptResult:
    """Mark the packages a receipt of the registered upper office confirms as
    delivered. Everything is checked before anything is written; a refusal
    leaves the database unchanged."""
    path = Path(path)
    body, signature, anchors = _read(path)
    with write_transaction(db, writes=ChangeSet.of("sync_package", "app_setting")) as conn, \
            bound_session(conn) as session:
        office = get_office(session)
        if office.role != OfficeRole.COMMUNE:
            raise PackageRefused(f"Biên nhận chỉ nhập tại xã; cơ sở dữ liệu này là của {office.display_name}.",
                                 code="wrong_recipient")
        upper = _check_issuer(session, path, body, signature)
        _check_recipient(office, body)
        ours = {r.package_uuid: r for r in exports(session)}
        taken = _anchors_of_ours(anchors, ours, upper, office.unit_id)
        result = ReceiptResult(path=path, issuer_name=f"{upper.unit_type} {upper.unit_name}")
        marks = []
        for item in body["packages"]:
            row = ours.get(item["package_uuid"])
            if row is None:
                result.unknown.append(item["package_uuid"])
            elif row.package_hash != item["package_hash"]:
                raise PackageRefused(f"Biên nhận ghi gói số {row.sequence} với nội dung khác gói đã gửi. Không nhập.",
                                     code="hash_mismatch")
            elif row.status == DELIVERED:
                result.already.append(row.sequence)
            else:
                marks.append((row, item))
        for row, item in marks:
            report = json.loads(row.report_json or "{}")
            report.update(delivered_at=item["imported_at"], receipt_uuid=body["receipt_uuid"])
            row.status, row.report_json = DELIVERED, json.dumps(report, ensure_ascii=False)
            session.add(row)
            result.delivered.append(row.sequence)
        store_anchors(lambda sql, params: qmark_execute(conn)(sql, params), taken)
    return result


def _anchors_of_ours(anchors: list[Anchor], ours: dict, upper: SyncPeer, unit_id: str) -> list[Anchor]:
    """The anchors to keep: signed by the registered upper office, for this
    office, naming a package it sent with that very head. A package it never
    wrote (lost in a restore) is passed over; anything else refuses the receipt."""
    taken = []
    for anchor in anchors:
        if anchor.unit_id != unit_id or not anchor.signed_by(upper.signing_key):
            raise BadSignature("Biên nhận có mốc xác nhận nhật ký không hợp lệ (chữ ký sai hoặc của đơn vị khác). "
                               "Không nhập.")
        row = ours.get(anchor.package_uuid)
        if row is None:
            continue
        if row.sequence != anchor.sequence or recorded_head(row) != anchor.head:
            raise PackageRefused(f"Biên nhận xác nhận gói số {row.sequence} với đầu chuỗi nhật ký khác với gói đã "
                                 "gửi. Không nhập.", code="anchor_mismatch")
        taken.append(anchor)
    return taken
