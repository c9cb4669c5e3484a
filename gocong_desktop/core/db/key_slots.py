"""The key slot table: the database's data key, wrapped once per account and per recovery code.

A random 256-bit data key encrypts the database (SQLCipher, ``cipher``). It is
stored only wrapped: for each account, with a key derived from its password by
Argon2id (the parameters and salt kept with the slot), and for each
administrator's recovery code the same way. The table is a small JSON file
beside the database (``gocong.db.khoa``) and is copied into every backup
(``backup_file``), so a backup opens with the passwords valid when it was made.

Who a slot belongs to is a digest of the user name with the file's id, so the
table does not list the office's user names. ``check`` (an HMAC of the file id
under the data key) tells a right key from a slot table that belongs to
another file. The table also holds the sign-in failure counts (``throttle``):
they are kept with the file's identity, not with a path a person types.

The file may come from anyone (a backup stick): it is read bounded and every
field is checked before use; a table that fails is refused by name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import DatabaseError, os_reason

SUFFIX = ".khoa"
FORMAT, VERSION = "gocong-key-slots", 1
MAX_BYTES = 256 * 1024  # a table of 200 slots is under 60 KB
MAX_SLOTS = 500
PASSWORD, RECOVERY = "password", "recovery"
KEY_BYTES = 32
# Argon2id costs as argon2-cffi recommends (RFC 9106, second choice): ~0.16 s here.
DEFAULT_KDF = {"t": 3, "m": 65536, "p": 4}
# Bounds for parameters read from a file: enough for stronger settings later,
# never so much that a crafted slot makes sign-in take minutes or gigabytes.
_KDF_LIMITS = {"t": (1, 10), "m": (8192, 262144), "p": (1, 8)}
_B64 = re.compile(r"[A-Za-z0-9+/]{4,200}={0,2}\Z")
_HEX = re.compile(r"[0-9a-f]{32}\Z")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


class KeySlotsError(DatabaseError):
    """The slot table is missing, damaged or not this file's."""


def table_path(db_path: str | Path) -> Path:
    return Path(f"{Path(db_path)}{SUFFIX}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Slot:
    kind: str  # PASSWORD or RECOVERY
    who: str  # ``who_of(file_id, username)``
    kdf: dict[str, int]
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict:
        return {"kind": self.kind, "who": self.who, "kdf": dict(self.kdf), "salt": _b64(self.salt),
                "nonce": _b64(self.nonce), "wrapped": _b64(self.wrapped)}


@dataclass
class SlotTable:
    file_id: str
    check: bytes
    slots: list[Slot] = field(default_factory=list)
    throttle: dict[str, tuple[int, float]] = field(default_factory=dict)  # who -> (failures, paused until)
    hint: str | None = None  # public text for the sign-in box (demo data only)

    def find(self, kind: str, who: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == kind and s.who == who), None)

    def without(self, who: str, kind: str | None = None) -> list[Slot]:
        return [s for s in self.slots if not (s.who == who and (kind is None or s.kind == kind))]

    def for_backup(self) -> SlotTable:
        """What a backup carries: the slots, not today's sign-in failures."""
        return replace(self, slots=list(self.slots), throttle={})

    def to_bytes(self) -> bytes:
        body = {"format": FORMAT, "version": VERSION, "file_id": self.file_id, "check": _b64(self.check),
                "slots": [s.to_json() for s in self.slots],
                "throttle": {k: [v[0], v[1]] for k, v in self.throttle.items()}}
        if self.hint:
            body["hint"] = self.hint
        return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


# ---- the secrets ------------------------------------------------------------------

def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_table(key: bytes, *, file_id: str | None = None) -> SlotTable:
    file_id = file_id or str(uuid.uuid4())
    return SlotTable(file_id=file_id, check=key_check(key, file_id))


def key_check(key: bytes, file_id: str) -> bytes:
    return hmac.new(key, b"gocong key check|" + file_id.encode(), hashlib.sha256).digest()


def who_of(file_id: str, username: str) -> str:
    return hashlib.sha256(f"{file_id}|{username}".encode()).hexdigest()[:32]


def normal_secret(secret: str) -> bytes:
    """NFC: a Vietnamese password typed through another input method is the same password."""
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def _derive(secret: str, kdf: dict[str, int], salt: bytes) -> bytes:
    return hash_secret_raw(normal_secret(secret), salt, time_cost=kdf["t"], memory_cost=kdf["m"],
                           parallelism=kdf["p"], hash_len=KEY_BYTES, type=Type.ID)


def _aad(file_id: str, kind: str, who: str) -> bytes:
    return f"gocong slot|{file_id}|{kind}|{who}".encode()


def wrap(key: bytes, secret: str, *, file_id: str, kind: str, who: str) -> Slot:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _derive(secret, DEFAULT_KDF, salt)
    wrapped = AESGCM(kek).encrypt(nonce, key, _aad(file_id, kind, who))
    return Slot(kind=kind, who=who, kdf=dict(DEFAULT_KDF), salt=salt, nonce=nonce, wrapped=wrapped)


def unwrap(slot: Slot, secret: str, file_id: str) -> bytes | None:
    """The data key, or None for a wrong secret."""
    kek = _derive(secret, slot.kdf, slot.salt)
    try:
        return AESGCM(kek).decrypt(slot.nonce, slot.wrapped, _aad(file_id, slot.kind, slot.who))
    except InvalidTag:
        return None


def burn_time() -> None:
    """As slow as trying a slot: a user name without one does not show."""
    _derive("-", DEFAULT_KDF, b"\0" * 16)


# ---- the file ---------------------------------------------------------------------

def read_table(db_path: str | Path) -> SlotTable:
    path = table_path(db_path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise KeySlotsError(_missing_message(Path(db_path))) from None
    except OSError as exc:
        raise KeySlotsError(f"Không đọc được tệp khóa «{path}»: {os_reason(exc)}.") from exc
    return parse_table(data, shown=str(path))


def _missing_message(db_path: Path) -> str:
    return (f"Tệp «{db_path}» không đọc được như một cơ sở dữ liệu thường. Nếu đó là dữ liệu đã mã hóa thì "
            f"thiếu tệp khóa «{table_path(db_path).name}» đi kèm bên cạnh: hãy chép tệp đó vào cùng thư mục, "
            "hoặc khôi phục từ bản sao lưu. Nếu không, tệp đã bị hỏng hoặc không phải dữ liệu của gocong_desktop.")


def parse_table(data: bytes, *, shown: str) -> SlotTable:
    """A slot table from ``data``; refused by name (``shown``) unless every field is sound."""
    bad = KeySlotsError(f"Tệp khóa «{shown}» bị hỏng hoặc không phải của gocong_desktop; không mở được dữ liệu.")
    if len(data) > MAX_BYTES:
        raise bad
    try:
        body = json.loads(data.decode("utf-8"))
        table = _table_from(body)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):  # [[[[… nests past the stack
        raise bad from None
    if table is None:
        raise bad
    return table


def _table_from(body: Any) -> SlotTable | None:
    if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("version") != VERSION:
        return None
    file_id, slots, throttle = body.get("file_id"), body.get("slots"), body.get("throttle", {})
    hint = body.get("hint")
    if not (isinstance(file_id, str) and _UUID.match(file_id) and isinstance(slots, list)
            and len(slots) <= MAX_SLOTS and isinstance(throttle, dict)):
        return None
    if hint is not None and not (isinstance(hint, str) and len(hint) <= 300 and hint.isprintable()):
        return None
    parsed = [_slot_from(s) for s in slots]
    if any(s is None for s in parsed) or not isinstance(body.get("check"), str):
        return None
    return SlotTable(file_id=file_id, check=_bytes(body["check"], 32), slots=parsed,
                     throttle=_throttle_from(throttle, {s.who for s in parsed}), hint=hint)


def _bytes(text: Any, size: int) -> bytes:
    if not isinstance(text, str) or not _B64.match(text):
        raise ValueError("not base64")
    data = _unb64(text)
    if len(data) != size:
        raise ValueError("wrong size")
    return data


def _slot_from(raw: Any) -> Slot | None:
    if not isinstance(raw, dict) or raw.get("kind") not in (PASSWORD, RECOVERY):
        return None
    who, kdf = raw.get("who"), raw.get("kdf")
    if not (isinstance(who, str) and _HEX.match(who) and isinstance(kdf, dict) and set(kdf) == set(_KDF_LIMITS)):
        return None
    for name, (low, high) in _KDF_LIMITS.items():
        if type(kdf[name]) is not int or not low <= kdf[name] <= high:
            return None
    return Slot(kind=raw["kind"], who=who, kdf=dict(kdf), salt=_bytes(raw.get("salt"), 16),
                nonce=_bytes(raw.get("nonce"), 12), wrapped=_bytes(raw.get("wrapped"), KEY_BYTES + 16))


def _throttle_from(raw: dict, slot_owners: set[str]) -> dict[str, tuple[int, float]]:
    """The failure counts of people who have a slot; anything else is dropped, never a
    reason to refuse the table (which would lock everyone out)."""
    kept = {}
    for who, value in raw.items():
        if who in slot_owners and isinstance(value, list) and len(value) == 2 and type(value[0]) is int \
                and 0 <= value[0] <= 1000 and isinstance(value[1], (int, float)) and value[1] == value[1]:
            kept[who] = (value[0], float(value[1]))
    return kept


def write_table(db_path: str | Path, table: SlotTable) -> None:
    """Atomically: a power cut leaves the old table or the new one, never half of one."""
    write_bytes_atomic(table_path(db_path), table.to_bytes())


def write_bytes_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.moi")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KeySlotsError(f"Không ghi được tệp khóa «{path}»: {os_reason(exc)}. Chưa thay đổi gì.") from exc
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
