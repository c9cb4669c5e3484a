"""Receipts: the upper office's signed proof of which packages it imported.

The commune imports the receipt to mark those packages delivered (exported →
delivered). A receipt also carries the upper office's public keys, so a commune
that confirms its fingerprint once can encrypt its next packages to it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from sqlmodel import Session

from ..db.engine import Database
from ..db.models import AuditEntry, OfficeRole, SyncPeer
from ..errors import NotFoundError, UserError
from ..services.office import get_office
from .crypto import b64, canonical, fingerprint, same_fingerprint, unb64, verify
from .errors import BadSignature, NewerFormat, PackageRefused, SenderKeyChanged, UnknownSender
from .files import read_small_file, write_new_file
from .keys import ensure_office_keys, file_stem
from .ledger import DELIVERED, exports, imports
from .manifest import Sender
from .peers import find_peer, new_peer, upper_office
from .txn import bound_session, write_transaction

FORMAT, VERSION, EXTENSION = "gocong-receipt", 1, ".gcreceipt"


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
    with write_transaction(db) as conn, bound_session(conn) as session:
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
                           "encryption_key": keys.encryption_public, "fingerprint": keys.fingerprint},
                "recipient_unit_id": unit_id, "recipient_name": f"{peer.unit_type} {peer.unit_name}",
                "packages": sorted(({"package_uuid": r.package_uuid, "sequence": r.sequence,
                                     "package_hash": r.package_hash, "imported_at": r.processed_at.isoformat()}
                                    for r in rows), key=lambda p: p["sequence"] or 0)}
        doc = {"body": body, "signature": b64(keys.signing.sign(canonical(body)))}
        top = max(p["sequence"] or 0 for p in body["packages"])
        name = f"bien-nhan-{file_stem(peer.unit_name, peer.unit_code, peer.unit_id)}-{top:06d}{EXTENSION}"
        session.add(AuditEntry(actor=actor, action="receipt", table_name="sync_package",
                               record_id=body["receipt_uuid"], changes_json=json.dumps(
                                   {"recipient": body["recipient_name"], "packages": len(rows)}, ensure_ascii=False)))
        return write_new_file(folder, name, json.dumps(doc, ensure_ascii=False, indent=1).encode())


def _read(path: Path) -> tuple[dict, Sender, str | None]:
    raw = read_small_file(path, limit=4 * 1024 * 1024, what="biên nhận")
    try:
        doc = json.loads(raw.decode("utf-8"))
        body, signature = doc["body"], unb64(doc["signature"])
        if body["format"] != FORMAT:
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        raise PackageRefused(f"Tệp «{path.name}» không phải biên nhận của gocong_desktop.", code="format") from None
    if body.get("version") != VERSION:
        raise NewerFormat("Biên nhận được tạo bằng phiên bản gocong_desktop mới hơn. Hãy cập nhật phần mềm.")
    try:
        issuer = body["issuer"]
        sender = Sender(**{k: issuer[k] for k in Sender.__dataclass_fields__})
        ok = verify(sender.signing_key, signature, canonical(body)) and \
            fingerprint(sender.signing_key) == sender.fingerprint
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok or not isinstance(body.get("packages"), list):
        raise BadSignature(f"Chữ ký của biên nhận «{path.name}» không hợp lệ (đã bị sửa?). Không nhập.")
    return body, sender, issuer.get("encryption_key")


def _check_issuer(session: Session, sender: Sender, trust: Iterable[str]) -> SyncPeer | None:
    """The registered upper office, or None when the user confirmed a new one."""
    upper = upper_office(session)
    if upper is not None and upper.unit_id == sender.unit_id:
        if upper.signing_key != sender.signing_key:
            raise SenderKeyChanged(f"Biên nhận được ký bằng khóa khác với khóa đã đăng ký của {upper.unit_type} "
                                   f"{upper.unit_name} ({upper.fingerprint}). Không nhập.")
        return upper
    if any(same_fingerprint(t, sender.fingerprint) for t in trust):
        return None
    raise UnknownSender(f"Biên nhận của {sender.display_name} (dấu vân tay {sender.fingerprint}) chưa được xác nhận. "
                        "Hãy so dấu vân tay với cơ quan cấp trên rồi xác nhận một lần (--trust-sender).",
                        fingerprint=sender.fingerprint, sender_name=sender.display_name)


def import_receipt(db: Database, path: str | Path, *, trust: Iterable[str] = (),
                   actor: str | None = None) -> ReceiptResult:
    """Mark the packages a receipt confirms as delivered. Everything is checked
    before anything is written; a refusal leaves the database unchanged."""
    path, actor = Path(path), actor or db.actor()
    body, sender, encryption_key = _read(path)
    with write_transaction(db) as conn, bound_session(conn) as session:
        office = get_office(session)
        if office.role != OfficeRole.COMMUNE or body.get("recipient_unit_id") != office.unit_id:
            raise PackageRefused(f"Biên nhận này dành cho {body.get('recipient_name') or 'đơn vị khác'}, không phải "
                                 f"{office.display_name}. Không nhập.", code="wrong_recipient")
        upper = _check_issuer(session, sender, tuple(trust))
        ours = {r.package_uuid: r for r in exports(session)}
        result = ReceiptResult(path=path, issuer_name=sender.display_name)
        marks = []
        for item in body["packages"]:
            row = ours.get(item.get("package_uuid")) if isinstance(item, dict) else None
            if row is None:
                result.unknown.append(str(item.get("package_uuid") if isinstance(item, dict) else item))
            elif row.package_hash != item.get("package_hash"):
                raise PackageRefused(f"Biên nhận ghi gói số {row.sequence} với nội dung khác gói đã gửi. Không nhập.",
                                     code="hash_mismatch")
            elif row.status == DELIVERED:
                result.already.append(row.sequence)
            else:
                marks.append((row, item))
        _register_upper(session, upper, sender, encryption_key, actor)
        for row, item in marks:
            report = json.loads(row.report_json or "{}")
            report.update(delivered_at=item.get("imported_at"), receipt_uuid=body.get("receipt_uuid"))
            row.status, row.report_json = DELIVERED, json.dumps(report, ensure_ascii=False)
            session.add(row)
            result.delivered.append(row.sequence)
    return result


def _register_upper(session: Session, upper: SyncPeer | None, sender: Sender, encryption_key: str | None,
                    actor: str) -> None:
    if upper is not None:
        return
    if encryption_key is not None and (not isinstance(encryption_key, str) or len(unb64(encryption_key)) != 32):
        raise UserError("Biên nhận có khóa mã hóa sai dạng. Không nhập.")
    old = upper_office(session)
    if old is not None:
        session.delete(old)
        session.flush()
    session.add(new_peer(sender, role=OfficeRole.UPPER, actor=actor, encryption_key=encryption_key))
