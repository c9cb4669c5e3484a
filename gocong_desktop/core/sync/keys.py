"""This office's key pairs, and key cards (``.gckey``) to hand to the other side.

The keys are made the first time they are needed and kept in ``sync_key``; the
private halves never leave the database (no package, receipt or card carries
them). A key card is the office's public keys with its unit, signed by itself;
the person receiving it compares the fingerprint with the registration sheet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlmodel import Session

from ..db.access import can_write, role_of
from ..db.models import SyncKey, utcnow
from ..errors import NotFoundError
from ..services.office import get_office
from ..text import slug_ascii
from .crypto import b64, canonical, fingerprint, private_b64, public_b64, unb64, verify
from .errors import BadSignature, NewerFormat, PackageRefused
from .files import read_small_file, write_new_file

SIGNING, ENCRYPTION = "signing", "encryption"
CARD_FORMAT, CARD_VERSION, CARD_EXTENSION = "gocong-key", 1, ".gckey"


@dataclass(frozen=True)
class OfficeKeys:
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    signing_public: str
    encryption_public: str
    created_at: datetime

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public)


def load_office_keys(session: Session) -> OfficeKeys | None:
    """This office's keys, or None before they were ever needed (never creates)."""
    signing, encryption = session.get(SyncKey, SIGNING), session.get(SyncKey, ENCRYPTION)
    if signing is None or encryption is None:
        return None
    return OfficeKeys(signing=Ed25519PrivateKey.from_private_bytes(unb64(signing.private_key)),
                      encryption=X25519PrivateKey.from_private_bytes(unb64(encryption.private_key)),
                      signing_public=signing.public_key, encryption_public=encryption.public_key,
                      created_at=signing.created_at)


def ensure_office_keys(session: Session) -> OfficeKeys:
    """This office's keys, made now if missing (in the caller's transaction)."""
    for purpose, cls in ((SIGNING, Ed25519PrivateKey), (ENCRYPTION, X25519PrivateKey)):
        if session.get(SyncKey, purpose) is None:
            key = cls.generate()
            session.add(SyncKey(purpose=purpose, private_key=private_b64(key), public_key=public_b64(key),
                                created_at=utcnow()))
    session.flush()
    return load_office_keys(session)


@dataclass(frozen=True)
class KeyCard:
    unit_id: str
    unit_code: str | None
    unit_name: str
    unit_type: str
    role: str
    signing_key: str
    encryption_key: str
    fingerprint: str
    created_at: str

    @property
    def display_name(self) -> str:
        return f"{self.unit_type} {self.unit_name}"


def office_card(session: Session) -> KeyCard:
    """This office's key card; keys are made here the first time, by someone who may write."""
    office, keys = get_office(session), load_office_keys(session)
    if keys is None:
        if not can_write(role_of(session)):
            raise NotFoundError("Đơn vị chưa có khóa đồng bộ. Quản trị viên hoặc cán bộ nhập liệu mở trang "
                                "«Đồng bộ» một lần để tạo khóa.")
        keys = ensure_office_keys(session)
    return KeyCard(unit_id=office.unit_id, unit_code=office.unit_code, unit_name=office.unit_name,
                   unit_type=office.unit_type, role=office.role, signing_key=keys.signing_public,
                   encryption_key=keys.encryption_public, fingerprint=keys.fingerprint,
                   created_at=keys.created_at.isoformat())


def file_stem(unit_name: str, unit_code: str | None, unit_id: str) -> str:
    """"binhtan-28318": an office in file names, ASCII only."""
    code = slug_ascii(unit_code) if unit_code else ""  # a code typed as "28/318" must not make a folder
    return f"{slug_ascii(unit_name).replace('-', '')}-{code or unit_id[:8]}"


def write_key_card(session: Session, folder: str | Path) -> Path:
    """This office's public key card, as ``khoa-binhtan-28318.gckey`` in ``folder``."""
    card = office_card(session)
    body = {"format": CARD_FORMAT, "version": CARD_VERSION, **card.__dict__}
    keys = ensure_office_keys(session)
    doc = {"body": body, "signature": b64(keys.signing.sign(canonical(body)))}
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode()
    return write_new_file(folder, f"khoa-{file_stem(card.unit_name, card.unit_code, card.unit_id)}{CARD_EXTENSION}", data)


def read_key_card(path: str | Path) -> KeyCard:
    """A key card, its self-signature checked; ``PackageRefused`` otherwise."""
    raw = read_small_file(path, limit=64 * 1024, what="tệp khóa")
    try:
        doc = json.loads(raw.decode("utf-8"))
        body, signature = doc["body"], doc["signature"]
        if body.get("format") != CARD_FORMAT:
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise PackageRefused(f"Tệp «{Path(path).name}» không phải tệp khóa của gocong_desktop.",
                             code="format") from None
    if body.get("version") != CARD_VERSION:
        raise NewerFormat("Tệp khóa được tạo bằng phiên bản gocong_desktop mới hơn. Hãy cập nhật phần mềm.")
    fields = {k: body.get(k) for k in KeyCard.__dataclass_fields__}
    try:
        card = KeyCard(**fields)
        ok = verify(card.signing_key, unb64(signature), canonical(body)) and \
            fingerprint(card.signing_key) == card.fingerprint and len(unb64(card.encryption_key)) == 32
    except (ValueError, TypeError, AttributeError):
        ok = False
    if not ok or not all(isinstance(fields[k], str) for k in fields if k != "unit_code"):
        raise BadSignature(f"Tệp khóa «{Path(path).name}» có chữ ký không hợp lệ (đã bị sửa?).")
    return card
