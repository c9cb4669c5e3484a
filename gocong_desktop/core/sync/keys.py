"""This office's key pairs, and key cards (``.gckey``) to hand to the other side.

The keys are made the first time they are needed and kept in ``sync_key``; the
private halves never leave the database (no package, receipt or card carries
them). A key card is the office's public keys with its unit, signed by itself;
the person receiving it compares the fingerprint with the registration sheet.

A card's names are display text only: the office is known by its unit id, role
and signing key. Every field is checked (type, length, characters) before it is
used, so a hostile card cannot put escape codes or a megabyte of name on a screen.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlmodel import Session

from gocong_desktop.core.db.access import can_write, role_of
from gocong_desktop.core.db.models import OfficeRole, SyncKey, utcnow
from gocong_desktop.core.errors import NotFoundError
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.text import slug_ascii
from gocong_desktop.core.sync.crypto import (b64, canonical, fingerprint, private_b64, public_b64, unb64,
                                           usable_encryption_key, verify)
from gocong_desktop.core.sync.errors import BadSignature, NewerFormat, PackageRefused
from gocong_desktop.core.sync.files import read_small_file, write_new_file
from gocong_desktop.core.sync.kinds import UUID_RE

SIGNING, ENCRYPTION = "signing", "encryption"
CARD_FORMAT, CARD_VERSION, CARD_EXTENSION = "gocong-key", 1, ".gckey"
CARD_LIMIT = 16 * 1024  # a card is under 1 KB
NAME_LIMIT, CODE_LIMIT = 200, 20  # as the office setup allows (unit name, unit code)
_B64KEY = re.compile(r"^[A-Za-z0-9+/]{43}=\Z")  # 32 raw bytes


def is_display_text(value: Any, limit: int = NAME_LIMIT) -> bool:
    """Text fit for a screen: a string of 1..``limit`` characters, NFC, trimmed,
    without control, format (bidi overrides, zero-width), private-use or
    unassigned characters."""
    return (isinstance(value, str) and 0 < len(value) <= limit and value == value.strip()
            and unicodedata.is_normalized("NFC", value)
            and not any(unicodedata.category(ch).startswith("C") for ch in value))


def _is_time(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) <= 40 and bool(datetime.fromisoformat(value))
    except ValueError:
        return False


def is_time(value: Any) -> bool:
    """An ISO time with its offset, as the app writes them (to be stored and compared)."""
    return _is_time(value) and datetime.fromisoformat(value).utcoffset() is not None


# What each field of an office's identity (key card, receipt issuer) must be.
IDENTITY_FIELDS: dict[str, Callable[[Any], bool]] = {
    "unit_id": lambda v: isinstance(v, str) and bool(UUID_RE.match(v)),
    "unit_code": lambda v: v is None or is_display_text(v, CODE_LIMIT),
    "unit_name": is_display_text,
    "unit_type": is_display_text,
    "role": lambda v: v in (OfficeRole.COMMUNE, OfficeRole.UPPER),
    "signing_key": lambda v: isinstance(v, str) and bool(_B64KEY.match(v)),
    "fingerprint": lambda v: isinstance(v, str) and len(v) == 39,
}


def bad_identity_field(data: dict, fields: dict[str, Callable[[Any], bool]] = IDENTITY_FIELDS) -> str | None:
    """The name of the first field of ``data`` that is missing or unfit, else None."""
    return next((name for name, ok in fields.items() if not ok(data.get(name))), None)


_CARD_FIELDS = {**IDENTITY_FIELDS, "encryption_key": IDENTITY_FIELDS["signing_key"], "created_at": _is_time}


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
    """A key card, every field and its self-signature checked; ``PackageRefused`` otherwise."""
    name = Path(path).name
    raw = read_small_file(path, limit=CARD_LIMIT, what="tệp khóa")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))  # a BOM: the card saved again by Notepad
        body, signature = doc["body"], unb64(doc["signature"])
        if body.get("format") != CARD_FORMAT:
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise PackageRefused(f"Tệp «{name}» không phải tệp khóa của gocong_desktop.", code="format") from None
    if type(body.get("version")) is int and body["version"] > CARD_VERSION:
        raise NewerFormat("Tệp khóa được tạo bằng phiên bản gocong_desktop mới hơn. Hãy cập nhật phần mềm.")
    if body.get("version") != CARD_VERSION:
        raise PackageRefused(f"Tệp «{name}» không phải tệp khóa của gocong_desktop.", code="format")
    if (bad := bad_identity_field(body, _CARD_FIELDS)) is not None:
        raise PackageRefused(f"Tệp khóa «{name}» có trường «{bad}» sai dạng (thiếu, quá dài hoặc có ký tự "
                             "không được phép); không nhập.", code="bad_card")
    card = KeyCard(**{k: body[k] for k in KeyCard.__dataclass_fields__ if k != "unit_code"},
                   unit_code=body.get("unit_code"))
    signed = verify(card.signing_key, signature, canonical(body))
    if fingerprint(card.signing_key) != card.fingerprint or not signed:
        raise BadSignature(f"Tệp khóa «{name}» có chữ ký không hợp lệ (đã bị sửa?).")
    if card.encryption_key and not usable_encryption_key(card.encryption_key):
        raise PackageRefused(f"Tệp khóa «{name}» có khóa mã hóa không dùng được (khóa yếu, không do gocong_desktop "
                             "tạo); không nhập. Hãy xin lại tệp khóa của đơn vị.", code="bad_card")
    return card
