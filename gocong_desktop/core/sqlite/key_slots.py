"""The key slot table: the database's data key, opened by each account's password
and by each administrator's recovery code.

A random 256-bit data key encrypts the database (SQLCipher, ``cipher``). Each
slot holds a key pair of its own: the private half wrapped with a key derived
from the password (or recovery code) by Argon2id, the public half in the clear,
and the data key sealed to that public half (X25519, HKDF, AES-GCM). Signing in
unwraps the private half, which opens the seal. The public halves let a backup
be sealed with a key of its own (``reseal``) for every account without knowing
any password: a backup carries the slots of its day sealed to *its* key, so an
old backup and an old password open that backup, never the live file.
The table is a small JSON file beside the database (``gocong.db.khoa``).

Who a slot belongs to is a digest of the user name with the data's id
(``file_id``, kept by its backups and restored copies), so the table does not
list the office's user names. ``key_id`` names the key that encrypts this very
file (the live file's, or a backup's own); ``check`` (an HMAC of ``key_id``
under that key) tells a right key from a slot table that belongs to another file. The table also holds the sign-in failure counts (``throttle``):
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
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gocong_desktop.core.errors import DatabaseError, os_reason

SUFFIX = ".khoa"
FORMAT, VERSION = "gocong-key-slots", 1
MAX_BYTES = 512 * 1024  # a table of MAX_SLOTS slots at their largest, as written, is about 320 KB
MAX_SLOTS = 500
MAX_SLOTS_PER_SIGN_IN = 4  # one, two while a change is saved; room for changes a power cut left unsettled
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
class Envelope:
    """A key sealed to a public key: ECDH with a one-time key pair, HKDF, AES-GCM."""

    ephemeral: bytes
    nonce: bytes
    sealed: bytes

    def to_json(self) -> dict:
        return {"ephemeral": _b64(self.ephemeral), "nonce": _b64(self.nonce), "sealed": _b64(self.sealed)}


@dataclass(frozen=True)
class Slot:
    kind: str  # PASSWORD or RECOVERY
    who: str  # ``who_of(file_id, username)``
    kdf: dict[str, int]
    salt: bytes
    nonce: bytes
    private: bytes  # the slot's X25519 private key, wrapped with the Argon2id key of the secret
    public: bytes
    envelope: Envelope  # the table's key sealed to ``public``

    def to_json(self) -> dict:
        return {"kind": self.kind, "who": self.who, "kdf": dict(self.kdf), "salt": _b64(self.salt),
                "nonce": _b64(self.nonce), "private": _b64(self.private), "public": _b64(self.public),
                "envelope": self.envelope.to_json()}


@dataclass
class SlotTable:
    file_id: str  # the data's identity: who-digests and the sign-in count follow it
    key_id: str  # the key that encrypts this file (a backup's own, or the live file's)
    check: bytes
    slots: list[Slot] = field(default_factory=list)
    throttle: dict[str, tuple[int, float]] = field(default_factory=dict)  # who -> (failures, paused until)
    hint: str | None = None  # public text for the sign-in box (demo data only)
    # A backup's key sealed with the live file's key (``parent_key_id``): whoever has
    # the live file open reads its backups; the reverse never holds.
    parent_key_id: str | None = None
    parent_seal: bytes | None = None

    def find(self, kind: str, who: str) -> Slot | None:
        return next(iter(self.find_all(kind, who)), None)

    def find_all(self, kind: str, who: str) -> list[Slot]:
        return [s for s in self.slots if s.kind == kind and s.who == who]

    def without(self, who: str, kind: str | None = None) -> list[Slot]:
        return [s for s in self.slots if not (s.who == who and (kind is None or s.kind == kind))]

    def for_backup(self, live_key: bytes, backup_key: bytes) -> SlotTable:
        """The table a backup encrypted with ``backup_key`` carries: today's slots sealed
        to it, no sign-in counts, and its key sealed with the live file's."""
        key_id = str(uuid.uuid4())
        return SlotTable(file_id=self.file_id, key_id=key_id, check=key_check(backup_key, key_id),
                         slots=[reseal(slot, backup_key, key_id) for slot in self.slots], hint=self.hint,
                         parent_key_id=self.key_id, parent_seal=_seal_with(live_key, backup_key, key_id))

    def as_live(self) -> SlotTable:
        """This (backup's) table as the live file's, once restored: no failed sign-ins, and no
        sign-in hint (the front of a backup is authenticated by no key: anyone could have written
        «mật khẩu mới gửi qua Zalo …» there for the sign-in box to show)."""
        return replace(self, throttle={}, hint=None, parent_key_id=None, parent_seal=None)

    def to_bytes(self) -> bytes:
        body = {"format": FORMAT, "version": VERSION, "file_id": self.file_id, "key_id": self.key_id,
                "check": _b64(self.check), "slots": [s.to_json() for s in self.slots],
                "throttle": {k: [v[0], v[1]] for k, v in self.throttle.items()}}
        if self.hint:
            body["hint"] = self.hint
        if self.parent_key_id:
            body["parent"] = {"key_id": self.parent_key_id, "seal": _b64(self.parent_seal)}
        return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


# ---- the secrets ------------------------------------------------------------------

def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_table(key: bytes, *, file_id: str | None = None) -> SlotTable:
    file_id = file_id or str(uuid.uuid4())
    return SlotTable(file_id=file_id, key_id=file_id, check=key_check(key, file_id))


def key_check(key: bytes, key_id: str) -> bytes:
    return hmac.new(key, b"gocong key check|" + key_id.encode(), hashlib.sha256).digest()


def who_of(file_id: str, username: str) -> str:
    return hashlib.sha256(f"{file_id}|{username}".encode()).hexdigest()[:32]


def normal_secret(secret: str) -> bytes:
    """NFC: a Vietnamese password typed through another input method is the same password."""
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def _derive(secret: str, kdf: dict[str, int], salt: bytes) -> bytes:
    return hash_secret_raw(normal_secret(secret), salt, time_cost=kdf["t"], memory_cost=kdf["m"],
                           parallelism=kdf["p"], hash_len=KEY_BYTES, type=Type.ID)


def _raw(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    # The *_raw methods, not ``serialization``'s encodings: importing those (SSH keys, bcrypt)
    # costs every sign-in a few milliseconds for nothing.
    if isinstance(key, X25519PrivateKey):
        return key.private_bytes_raw()
    return key.public_bytes_raw()


def _envelope_key(shared: bytes, aad: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"gocong envelope|" + aad).derive(shared)


def _seal(key: bytes, public: bytes, aad: bytes) -> Envelope:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = secrets.token_bytes(12)
    return Envelope(_raw(ephemeral.public_key()), nonce, AESGCM(_envelope_key(shared, aad)).encrypt(nonce, key, aad))


def _open(envelope: Envelope, private: X25519PrivateKey, aad: bytes) -> bytes | None:
    shared = private.exchange(X25519PublicKey.from_public_bytes(envelope.ephemeral))
    try:
        return AESGCM(_envelope_key(shared, aad)).decrypt(envelope.nonce, envelope.sealed, aad)
    except InvalidTag:
        return None


def _aad(what: str, table_id: str, kind: str, who: str) -> bytes:
    return f"gocong {what}|{table_id}|{kind}|{who}".encode()


def wrap(key: bytes, secret: str, *, file_id: str, key_id: str, kind: str, who: str) -> Slot:
    """A new slot: a new key pair, its private half wrapped with ``secret``, ``key`` sealed to it."""
    pair, salt, nonce = X25519PrivateKey.generate(), secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _derive(secret, DEFAULT_KDF, salt)
    private = AESGCM(kek).encrypt(nonce, _raw(pair), _aad("private", file_id, kind, who))
    public = _raw(pair.public_key())
    return Slot(kind=kind, who=who, kdf=dict(DEFAULT_KDF), salt=salt, nonce=nonce, private=private,
                public=public, envelope=_seal(key, public, _aad("key", key_id, kind, who)))


def reseal(slot: Slot, key: bytes, key_id: str) -> Slot:
    """The same slot (same secret) opening another key: no secret needed."""
    return replace(slot, envelope=_seal(key, slot.public, _aad("key", key_id, slot.kind, slot.who)))


def unwrap(slot: Slot, secret: str, table: SlotTable) -> bytes | None:
    """The table's key, or None for a wrong secret."""
    kek = _derive(secret, slot.kdf, slot.salt)
    try:
        raw = AESGCM(kek).decrypt(slot.nonce, slot.private, _aad("private", table.file_id, slot.kind, slot.who))
    except InvalidTag:
        return None
    key = _open(slot.envelope, X25519PrivateKey.from_private_bytes(raw),
                _aad("key", table.key_id, slot.kind, slot.who))
    return key if key is not None and key_check(key, table.key_id) == table.check else None


def _seal_with(parent_key: bytes, key: bytes, key_id: str) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(parent_key).encrypt(nonce, key, f"gocong backup key|{key_id}".encode())


def key_from_parent(table: SlotTable, parent_key: bytes) -> bytes | None:
    """A backup's key, opened with the live file's key; None when it does not open."""
    if table.parent_seal is None:
        return None
    try:
        key = AESGCM(parent_key).decrypt(table.parent_seal[:12], table.parent_seal[12:],
                                         f"gocong backup key|{table.key_id}".encode())
    except InvalidTag:
        return None
    return key if key_check(key, table.key_id) == table.check else None


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
    file_id, key_id, slots = body.get("file_id"), body.get("key_id"), body.get("slots")
    throttle, hint, parent = body.get("throttle", {}), body.get("hint"), body.get("parent")
    if not (_is_uuid(file_id) and _is_uuid(key_id) and isinstance(slots, list) and len(slots) <= MAX_SLOTS
            and isinstance(throttle, dict)):
        return None
    if hint is not None and not (isinstance(hint, str) and len(hint) <= 300 and hint.isprintable()):
        return None
    if parent is not None and not (isinstance(parent, dict) and set(parent) == {"key_id", "seal"}
                                   and _is_uuid(parent["key_id"])):
        return None
    parsed = [_slot_from(s) for s in slots]
    if any(s is None for s in parsed) or not isinstance(body.get("check"), str):
        return None
    # A sign-in tries every slot of its kind and person (one; two while an account change
    # is saved): a table padded with copies (one at the front of a backup, which no key
    # authenticates) cannot make it derive for minutes.
    if max(Counter((s.kind, s.who) for s in parsed).values(), default=0) > MAX_SLOTS_PER_SIGN_IN:
        return None
    return SlotTable(file_id=file_id, key_id=key_id, check=_bytes(body["check"], 32), slots=parsed,
                     throttle=_throttle_from(throttle, {s.who for s in parsed}), hint=hint,
                     parent_key_id=parent["key_id"] if parent else None,
                     parent_seal=_bytes(parent["seal"], 12 + KEY_BYTES + 16) if parent else None)


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


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
    who, kdf, envelope = raw.get("who"), raw.get("kdf"), raw.get("envelope")
    if not (isinstance(who, str) and _HEX.match(who) and isinstance(kdf, dict) and set(kdf) == set(_KDF_LIMITS)
            and isinstance(envelope, dict)):
        return None
    for name, (low, high) in _KDF_LIMITS.items():
        if type(kdf[name]) is not int or not low <= kdf[name] <= high:
            return None
    return Slot(kind=raw["kind"], who=who, kdf=dict(kdf), salt=_bytes(raw.get("salt"), 16),
                nonce=_bytes(raw.get("nonce"), 12), private=_bytes(raw.get("private"), KEY_BYTES + 16),
                public=_bytes(raw.get("public"), KEY_BYTES),
                envelope=Envelope(_bytes(envelope.get("ephemeral"), KEY_BYTES), _bytes(envelope.get("nonce"), 12),
                                  _bytes(envelope.get("sealed"), KEY_BYTES + 16)))


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
    """Atomically: a power cut leaves the old table or the new one, never half of one.
    Never one that would not read again (it would lock everyone out): refused first."""
    data = table.to_bytes()
    if len(table.slots) > MAX_SLOTS or len(data) > MAX_BYTES:
        raise KeySlotsError(f"Tệp khóa của dữ liệu đã đủ chỗ (tối đa {MAX_SLOTS // 2} tài khoản có mật khẩu và "
                            "mã khôi phục). Hãy xóa các tài khoản không còn dùng rồi làm lại. Chưa thay đổi gì.")
    write_bytes_atomic(table_path(db_path), data)


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
