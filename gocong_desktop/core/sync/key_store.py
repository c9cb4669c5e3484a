"""This office's key pairs over time: the current pair (``keys.py``) and the
encryption keys it retired.

Rotating keys, or importing a key backup, puts another pair in place. The
replaced encryption key is kept, retired: communes may still hold packages
sealed to it (on a stick in transit, or made before they imported the new key
card), and the importer opens a package with whichever of our keys it was
sealed to. The replaced signing key is dropped: nothing is signed with it any
more, and checking old signatures needs only its public half, which the other
offices hold.

Retired keys are rows of ``sync_key`` whose purpose is ``old-encryption-N``
(N = 1, 2, ... in the order they were retired); no schema change was needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlmodel import Session, col, select

from gocong_desktop.core.db.access import require_admin
from gocong_desktop.core.db.models import AuditEntry, OfficeRole, SyncKey, utcnow
from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.sync.crypto import fingerprint, private_b64, public_b64, unb64
from gocong_desktop.core.sync.keys import ENCRYPTION, SIGNING, load_office_keys

RETIRED = "old-encryption-"
MAX_RETIRED = 100  # far more than an office rotates in its lifetime; bounds the backup file
KEY_ROTATE, KEY_BACKUP_EXPORT, KEY_BACKUP_IMPORT = "key_rotate", "key_backup_export", "key_backup_import"


def retired_keys(session: Session) -> list[SyncKey]:
    """The retired encryption keys, oldest first."""
    rows = session.exec(select(SyncKey).where(col(SyncKey.purpose).startswith(RETIRED))).all()
    return sorted(rows, key=_number)


def _number(row: SyncKey) -> int:
    tail = row.purpose.removeprefix(RETIRED)
    return int(tail) if tail.isdigit() else 0


def _x25519(row: SyncKey) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(unb64(row.private_key))


def decryption_key(session: Session, recipient_key: str | None) -> X25519PrivateKey | None:
    """Our private key a package was sealed to (``recipient_key``, its public
    half): the current one or a retired one. Otherwise the current key, so that
    the reader says for whom the package was sealed; None before keys exist."""
    current = session.get(SyncKey, ENCRYPTION)
    for row in ([current] if current else []) + retired_keys(session):
        if row.public_key == recipient_key:
            return _x25519(row)
    return _x25519(current) if current else None


@dataclass(frozen=True)
class KeyPairs:
    """Private keys to make this office's own (a new pair, or a backup's)."""

    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    created_at: datetime
    retired: tuple[tuple[X25519PrivateKey, datetime], ...] = ()

    def __repr__(self) -> str:  # never a private key in a log or a traceback
        return f"KeyPairs(fingerprint={fingerprint(public_b64(self.signing))!r})"

    @staticmethod
    def generate() -> KeyPairs:
        return KeyPairs(Ed25519PrivateKey.generate(), X25519PrivateKey.generate(), utcnow())


def install_keys(session: Session, pairs: KeyPairs) -> int:
    """Make ``pairs`` this office's current keys. The encryption key it replaces
    and ``pairs.retired`` are kept as retired keys (each once; a retired key
    that becomes current again is current only). Returns how many retired keys
    the office now has."""
    current = session.get(SyncKey, ENCRYPTION)
    candidates = [(current.private_key, current.public_key, current.created_at)] if current else []
    candidates += [(private_b64(k), public_b64(k), at) for k, at in pairs.retired]
    new_public = public_b64(pairs.encryption)
    existing = retired_keys(session)
    kept = [row for row in existing if row.public_key != new_public]
    known = {row.public_key for row in kept} | {new_public}
    added = []
    for private, public, created_at in candidates:
        if public not in known:
            known.add(public)
            added.append((private, public, created_at))
    if len(kept) + len(added) > MAX_RETIRED:
        raise ConflictError(f"Đơn vị đã giữ quá {MAX_RETIRED} khóa cũ; không đổi thêm được. Hãy liên hệ "
                            "bộ phận kỹ thuật.")
    for row in existing:
        if row.public_key == new_public:
            session.delete(row)
    number = max(map(_number, existing), default=0)  # a number is never used twice
    for n, (private, public, created_at) in enumerate(added, start=number + 1):
        session.add(SyncKey(purpose=f"{RETIRED}{n}", private_key=private, public_key=public, created_at=created_at))
    for purpose, key in ((SIGNING, pairs.signing), (ENCRYPTION, pairs.encryption)):
        row = session.get(SyncKey, purpose) or SyncKey(purpose=purpose, private_key="", public_key="")
        row.private_key, row.public_key, row.created_at = private_b64(key), public_b64(key), pairs.created_at
        session.add(row)
    session.flush()
    return len(kept) + len(added)


@dataclass(frozen=True)
class KeyChange:
    """This office's keys replaced (rotated, or restored from a backup)."""

    action: str  # KEY_ROTATE or KEY_BACKUP_IMPORT
    role: str  # this office's role, for what to do next
    old_fingerprint: str | None
    new_fingerprint: str
    retired: int  # encryption keys kept for reading packages sealed to them

    @property
    def changed(self) -> bool:
        return self.old_fingerprint != self.new_fingerprint

    def lines(self) -> list[str]:
        if self.action == KEY_ROTATE:
            out = ["Đã đổi cặp khóa của đơn vị.", f"  Dấu vân tay cũ: {self.old_fingerprint or '(chưa có)'}",
                   f"  Dấu vân tay mới: {self.new_fingerprint}"]
        else:
            out = ["Đã khôi phục khóa của đơn vị từ tệp khóa dự phòng.",
                   f"  Khóa trước khi nhập: {self.old_fingerprint or '(chưa có)'}",
                   f"  Khóa đã khôi phục: {self.new_fingerprint}"]
        if self.retired:
            out.append(f"Giữ {self.retired} khóa cũ để vẫn đọc được các gói đã mã hóa cho khóa cũ.")
        if self.action == KEY_ROTATE:
            out += [next_steps(self.role),
                    "Hãy xuất lại tệp khóa dự phòng: tệp dự phòng làm trước đây không có khóa mới."]
        elif self.changed:
            out.append("Các đơn vị khác đã đăng ký khóa này thì không cần gửi lại tệp khóa: hãy so dấu vân tay "
                       "khóa đã khôi phục với phiếu đăng ký khóa đã gửi trước đây.")
        return out


def next_steps(role: str) -> str:
    """What the other side must be given once this office's key changed."""
    if role == OfficeRole.UPPER:
        return ("Gửi tệp khóa mới (nút «Xuất tệp khóa…») kèm phiếu đăng ký khóa mới cho từng xã; quản trị viên "
                "xã nhập tệp khóa mới. Gói các xã mã hóa cho khóa cũ vẫn nhập được; biên nhận ghi từ nay chỉ được "
                "xã nhận sau khi xã nhập tệp khóa mới.")
    return ("Gửi tệp khóa mới (nút «Xuất tệp khóa…») kèm phiếu đăng ký khóa mới cho cơ quan cấp trên; cơ quan "
            "cấp trên nhập tệp khóa mới rồi mới nhận được các gói xuất từ nay.")


def key_change_audit(session: Session, action: str, changes: dict[str, list]) -> None:
    """An audit entry for this office's own keys (exported, imported, rotated)."""
    session.add(AuditEntry(actor=session.info.get("actor", "?"), action=action, table_name="sync_key",
                           record_id=get_office(session).unit_id,
                           changes_json=json.dumps(changes, ensure_ascii=False)))


def replace_office_keys(session: Session, pairs: KeyPairs, action: str, extra: dict | None = None) -> KeyChange:
    """Install ``pairs`` and write the audit entry (old and new fingerprints)."""
    old = load_office_keys(session)
    retired = install_keys(session, pairs)
    new = fingerprint(public_b64(pairs.signing))
    key_change_audit(session, action, {"fingerprint": [old and old.fingerprint, new], **(extra or {})})
    return KeyChange(action=action, role=get_office(session).role, old_fingerprint=old and old.fingerprint,
                     new_fingerprint=new, retired=retired)


def rotate_office_keys(session: Session) -> KeyChange:
    """New key pairs for this office (administrators only, audited). The new
    key card is what ``office_card``/``write_key_card`` hand out from now on;
    packages sealed to the old encryption key stay readable."""
    require_admin(session, "đổi cặp khóa của đơn vị")
    return replace_office_keys(session, KeyPairs.generate(), KEY_ROTATE)
