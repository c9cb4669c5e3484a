"""The office's key backup (``khoa-du-phong-….gckhoa-du-phong``): its key pairs,
current and retired, sealed with a passphrase, to keep in a safe place.

If the PC dies, importing the file into a database of the same unit on the
replacement PC (a restored data backup, or the office set up again from this
file) restores the identity: packages on sticks in transit, sealed to our key,
stay readable, and the other offices need no new key card.

The file is JSON. Its header (office, fingerprint, Argon2id costs and salt,
nonce) is readable without the passphrase, so a screen can say whose file it
is; the private keys are sealed with AES-256-GCM under a key Argon2id derives
from the passphrase, the whole header as associated data — a changed header,
like a wrong passphrase, fails to open. The file may have been crafted: its
size is bounded before reading, every field checked, and the Argon2 costs it
asks for bounded, so that it cannot make us allocate gigabytes.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlmodel import Session

from gocong_desktop.core.db.access import require_admin
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services.office import OfficeInfo, get_office
from gocong_desktop.core.sync.crypto import NONCE, b64, canonical, fingerprint, private_b64, public_b64, unb64
from gocong_desktop.core.sync.errors import NewerFormat, PackageRefused
from gocong_desktop.core.sync.files import read_small_file, write_new_file
from gocong_desktop.core.sync.key_store import (KEY_BACKUP_EXPORT, KEY_BACKUP_IMPORT, MAX_RETIRED, KeyChange, KeyPairs,
                        key_change_audit, replace_office_keys, retired_keys)
from gocong_desktop.core.sync.keys import IDENTITY_FIELDS, file_stem, is_display_text, load_office_keys, ensure_office_keys

FORMAT, VERSION, EXTENSION = "gocong-key-backup", 1, ".gckhoa-du-phong"
FILE_LIMIT = 32 * 1024  # a backup with every retired key the office may keep is under 20 KB
MIN_PASSPHRASE, MAX_PASSPHRASE = 12, 1024
TIME_COST, MEMORY_KIB, PARALLELISM, SALT_BYTES = 3, 64 * 1024, 4, 16
# What a file may ask for: an attacker's file must not make us allocate gigabytes or spin for minutes.
_COST_BOUNDS = {"time_cost": (1, 10), "memory_kib": (8 * 1024, 256 * 1024), "parallelism": (1, 16)}
KDF, CIPHER = "argon2id", "aes-256-gcm"
KEEP_SAFE = ("Cất tệp này và cụm mật khẩu ở hai nơi an toàn khác nhau (ví dụ tủ hồ sơ có khóa và sổ tay của thủ "
             "trưởng). Quên cụm mật khẩu thì tệp không dùng được; ai có cả hai thì đọc được các gói gửi cho đơn vị.")
WRONG_PASSPHRASE = ("Cụm mật khẩu không đúng (hoặc tệp khóa dự phòng đã bị sửa); chưa nhập gì, dữ liệu "
                    "không thay đổi.")


def _optional_name(limit: int) -> Callable[[Any], bool]:
    return lambda v: v is None or is_display_text(v, limit)


_OFFICE_FIELDS: dict[str, Callable[[Any], bool]] = {
    **{k: IDENTITY_FIELDS[k] for k in ("unit_id", "unit_code", "unit_name", "unit_type", "role")},
    "province_name": _optional_name(200), "district_name": _optional_name(200),
    "upper_office_name": _optional_name(500)}


@dataclass(frozen=True)
class BackupOffice:
    """The office a key backup belongs to, as it was set up."""

    unit_id: str
    role: str
    unit_type: str
    unit_name: str
    unit_code: str | None
    province_name: str | None
    district_name: str | None
    upper_office_name: str | None

    @property
    def display_name(self) -> str:
        return f"{self.unit_type} {self.unit_name}"


@dataclass(frozen=True)
class KeyBackupInfo:
    """A key backup's header: whose it is, read without the passphrase (and
    not proven until the file is opened with it)."""

    path: Path
    office: BackupOffice
    fingerprint: str
    created_at: datetime


@dataclass(frozen=True)
class KeyBackup:
    """A key backup opened with its passphrase."""

    info: KeyBackupInfo
    pairs: KeyPairs


# ---- passphrase and key ---------------------------------------------------------

def check_passphrase(passphrase: str | None, confirm: str | None = None) -> str:
    """A new passphrase: long enough, typed the same twice (when ``confirm`` is given); NFC."""
    passphrase = unicodedata.normalize("NFC", passphrase or "")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"Cụm mật khẩu phải có ít nhất {MIN_PASSPHRASE} ký tự (nên ghép vài từ dễ nhớ mà "
                              "người khác không đoán được).", field="passphrase")
    if len(passphrase) > MAX_PASSPHRASE:
        raise ValidationError(f"Cụm mật khẩu dài quá {MAX_PASSPHRASE} ký tự.", field="passphrase")
    if not passphrase.strip():
        raise ValidationError("Cụm mật khẩu không được chỉ gồm dấu cách.", field="passphrase")
    if confirm is not None and unicodedata.normalize("NFC", confirm) != passphrase:
        raise ValidationError("Hai lần nhập cụm mật khẩu không giống nhau.", field="confirm")
    return passphrase


def _sealing_key(passphrase: str, kdf: dict) -> AESGCM:
    # NFC: Vietnamese typed with another input method (composed or not) is the same passphrase.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    raw = hash_secret_raw(secret, unb64(kdf["salt"]), time_cost=kdf["time_cost"], memory_cost=kdf["memory_kib"],
                          parallelism=kdf["parallelism"], hash_len=32, type=Type.ID)
    return AESGCM(raw)


# ---- writing --------------------------------------------------------------------

def _office_header(office: OfficeInfo) -> dict:
    return {k: getattr(office, k) for k in _OFFICE_FIELDS}


def _secrets(session: Session) -> dict:
    keys = ensure_office_keys(session)
    return {"signing": private_b64(keys.signing), "encryption": private_b64(keys.encryption),
            "created_at": keys.created_at.isoformat(),
            "retired": [{"encryption": row.private_key, "created_at": row.created_at.isoformat()}
                        for row in retired_keys(session)]}


def _sealed(session: Session, passphrase: str) -> bytes:
    secrets = _secrets(session)
    keys = load_office_keys(session)
    header = {"format": FORMAT, "version": VERSION, "office": _office_header(get_office(session)),
              "fingerprint": keys.fingerprint, "created_at": datetime.now().astimezone().isoformat(),
              "kdf": {"name": KDF, "time_cost": TIME_COST, "memory_kib": MEMORY_KIB, "parallelism": PARALLELISM,
                      "salt": b64(os.urandom(SALT_BYTES))},
              "cipher": {"name": CIPHER, "nonce": b64(os.urandom(NONCE))}}
    sealed = _sealing_key(passphrase, header["kdf"]).encrypt(
        unb64(header["cipher"]["nonce"]), json.dumps(secrets).encode(), canonical(header))
    return json.dumps({**header, "ciphertext": b64(sealed)}, ensure_ascii=False, indent=1).encode()


def default_name(session: Session) -> str:
    """"khoa-du-phong-gocongtay-8c1f2a3b.gckhoa-du-phong"."""
    office = get_office(session)
    return f"khoa-du-phong-{file_stem(office.unit_name, office.unit_code, office.unit_id)}{EXTENSION}"


def _target(session: Session, out: str | Path) -> tuple[Path, str]:
    """(folder, file name): ``out`` is a folder (the name is made) or a file name."""
    out = Path(out).expanduser()
    if out.is_dir():
        return out, default_name(session)
    return out.parent, out.name if out.name.endswith(EXTENSION) else out.name + EXTENSION


def export_office_keys(session: Session, out: str | Path, passphrase: str, confirm: str | None = None) -> Path:
    """Write this office's key backup to ``out`` (a folder, or a file name;
    an existing file is never overwritten: a new name is chosen beside it).
    Administrators only; audited."""
    require_admin(session, "xuất khóa dự phòng của đơn vị")
    passphrase = check_passphrase(passphrase, confirm)
    folder, name = _target(session, out)
    data = _sealed(session, passphrase)
    path = write_new_file(folder, name, data)
    key_change_audit(session, KEY_BACKUP_EXPORT, {"fingerprint": [None, load_office_keys(session).fingerprint],
                                                  "file": [None, path.name]})
    return path


# ---- reading --------------------------------------------------------------------

def _not_ours(path: Path) -> PackageRefused:
    return PackageRefused(f"Tệp «{path.name}» không phải tệp khóa dự phòng của gocong_desktop, hoặc đã bị hỏng, "
                          "chép thiếu hay bị sửa. Không nhập gì.", code="format")


def _is_int_in(value: Any, bounds: tuple[int, int]) -> bool:
    return type(value) is int and bounds[0] <= value <= bounds[1]


def _b64_of(value: Any, low: int, high: int) -> bytes:
    """Base64 text of ``low``..``high`` bytes (``ValueError`` otherwise)."""
    if not isinstance(value, str) or len(value) > 4 * high:
        raise ValueError
    raw = unb64(value)
    if not low <= len(raw) <= high:
        raise ValueError
    return raw


def _time(value: Any) -> datetime:
    """An ISO time with its offset, as the app writes them (a naive one cannot be stored)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError
    when = datetime.fromisoformat(value)
    if when.utcoffset() is None:
        raise ValueError
    return when


def _check_header(doc: Any) -> None:
    """Every header field present, of its type and within bounds (``ValueError`` otherwise)."""
    if not isinstance(doc, dict) or set(doc) != {"format", "version", "office", "fingerprint", "created_at",
                                                 "kdf", "cipher", "ciphertext"}:
        raise ValueError
    office, kdf, cipher = doc["office"], doc["kdf"], doc["cipher"]
    if not isinstance(office, dict) or set(office) != set(_OFFICE_FIELDS) or \
            any(not ok(office[k]) for k, ok in _OFFICE_FIELDS.items()):
        raise ValueError
    if not IDENTITY_FIELDS["fingerprint"](doc["fingerprint"]):
        raise ValueError
    _time(doc["created_at"])
    if not isinstance(kdf, dict) or set(kdf) != {"name", *_COST_BOUNDS, "salt"} or kdf["name"] != KDF or \
            any(not _is_int_in(kdf[k], b) for k, b in _COST_BOUNDS.items()):
        raise ValueError
    _b64_of(kdf["salt"], 16, 64)
    if not isinstance(cipher, dict) or set(cipher) != {"name", "nonce"} or cipher["name"] != CIPHER:
        raise ValueError
    _b64_of(cipher["nonce"], NONCE, NONCE)
    _b64_of(doc["ciphertext"], 16, FILE_LIMIT)


def _read(path: Path) -> tuple[KeyBackupInfo, dict]:
    """(header info, document) of a well-formed key backup; nothing trusted yet."""
    raw = read_small_file(path, limit=FILE_LIMIT, what="tệp khóa dự phòng")
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _not_ours(path) from None
    if type(doc.get("version")) is int and doc["version"] > VERSION:
        raise NewerFormat("Tệp khóa dự phòng được tạo bằng phiên bản gocong_desktop mới hơn. Hãy cập nhật "
                          "phần mềm rồi nhập lại.")
    try:
        if doc.get("version") != VERSION:
            raise ValueError
        _check_header(doc)
    except (ValueError, TypeError):
        raise _not_ours(path) from None
    info = KeyBackupInfo(path=path, office=BackupOffice(**doc["office"]), fingerprint=doc["fingerprint"],
                         created_at=_time(doc["created_at"]))
    return info, doc


def describe_key_backup(path: str | Path) -> KeyBackupInfo:
    """Whose key backup this is (no passphrase needed; proven only by opening it)."""
    return _read(Path(path))[0]


def _pairs(secrets: Any, info: KeyBackupInfo) -> KeyPairs:
    """The key pairs of the opened file, each checked (``ValueError`` otherwise)."""
    if not isinstance(secrets, dict) or set(secrets) != {"signing", "encryption", "created_at", "retired"}:
        raise ValueError
    signing = Ed25519PrivateKey.from_private_bytes(_b64_of(secrets["signing"], 32, 32))
    encryption = X25519PrivateKey.from_private_bytes(_b64_of(secrets["encryption"], 32, 32))
    if fingerprint(public_b64(signing)) != info.fingerprint:
        raise ValueError
    retired = secrets["retired"]
    if not isinstance(retired, list) or len(retired) > MAX_RETIRED:
        raise ValueError
    old = []
    for item in retired:
        if not isinstance(item, dict) or set(item) != {"encryption", "created_at"}:
            raise ValueError
        old.append((X25519PrivateKey.from_private_bytes(_b64_of(item["encryption"], 32, 32)),
                    _time(item["created_at"])))
    return KeyPairs(signing=signing, encryption=encryption, created_at=_time(secrets["created_at"]),
                    retired=tuple(old))


def _open(info: KeyBackupInfo, doc: dict, passphrase: str) -> KeyBackup:
    header = {k: v for k, v in doc.items() if k != "ciphertext"}
    try:
        plain = _sealing_key(passphrase or "", doc["kdf"]).decrypt(
            unb64(doc["cipher"]["nonce"]), unb64(doc["ciphertext"]), canonical(header))
    except InvalidTag:
        raise ValidationError(WRONG_PASSPHRASE, field="passphrase") from None
    try:
        return KeyBackup(info=info, pairs=_pairs(json.loads(plain.decode("utf-8")), info))
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        raise _not_ours(info.path) from None


def open_key_backup(path: str | Path, passphrase: str) -> KeyBackup:
    """A key backup opened with its passphrase (no database touched): for
    setting an office up again from it. Wrong passphrase: ``ValidationError``."""
    info, doc = _read(Path(path))
    return _open(info, doc, passphrase)


# ---- importing ------------------------------------------------------------------

def _short(unit_id: str) -> str:
    return unit_id[:8]


def check_same_office(office: OfficeInfo, info: KeyBackupInfo) -> None:
    """A key backup goes only into a database of the same unit (same unit id and role)."""
    theirs = info.office
    if (theirs.unit_id, theirs.role) == (office.unit_id, office.role):
        return
    raise ConflictError(
        f"Tệp khóa dự phòng «{info.path.name}» là của {theirs.display_name} (mã đơn vị {_short(theirs.unit_id)}…), "
        f"không phải của {office.display_name} (mã đơn vị {_short(office.unit_id)}…) đang mở; không nhập gì. "
        "Khóa dự phòng chỉ nhập được vào dữ liệu của chính đơn vị đó: trên máy mới, hãy khôi phục bản sao lưu dữ "
        "liệu của đơn vị, hoặc thiết lập lại đơn vị từ tệp khóa dự phòng (cửa sổ thiết lập ban đầu: «Dùng tệp "
        "khóa dự phòng…»; dòng lệnh: «init --key-backup TỆP»).", field="path")


def install_key_backup(session: Session, backup: KeyBackup) -> KeyChange:
    """Make the backup's keys this office's (the replaced ones kept as retired); audited."""
    check_same_office(get_office(session), backup.info)
    return replace_office_keys(session, backup.pairs, KEY_BACKUP_IMPORT,
                               {"file": [None, backup.info.path.name]})


def import_office_keys(session: Session, path: str | Path, passphrase: str) -> KeyChange:
    """Restore this office's keys from its key backup: they become the current
    keys, and the keys they replace are kept as retired, so nothing sealed to
    either becomes unreadable. Administrators only; audited. A file of another
    unit, a damaged or crafted file, or a wrong passphrase is refused with the
    database unchanged."""
    require_admin(session, "nhập khóa dự phòng của đơn vị")
    info, doc = _read(Path(path))
    check_same_office(get_office(session), info)  # before the slow key derivation
    return install_key_backup(session, _open(info, doc, passphrase))
