"""Keys, fingerprints, signatures and payload encryption (``cryptography``).

Signing: Ed25519. Encryption to the upper office: a fresh X25519 key pair per
package, the shared secret through HKDF-SHA256 (salt: both public keys) to an
AES-256-GCM key; every payload member gets its own random nonce and is bound
to the package and member name as associated data. Plain text is zlib-compressed
before sealing (ciphertext does not compress).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import zlib
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gocong_desktop.core.sync.errors import NOT_MADE_HERE, PackageRefused

_RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
_RAW_PRIVATE = dict(encoding=serialization.Encoding.Raw, format=serialization.PrivateFormat.Raw,
                    encryption_algorithm=serialization.NoEncryption())
_INFO = b"gocong-sync/1 payload"
NONCE = 12
COMPRESS_LEVEL = 1


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def public_b64(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return b64(key.public_key().public_bytes(**_RAW))


def private_b64(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return b64(key.private_bytes(**_RAW_PRIVATE))


def fingerprint(signing_key_b64: str) -> str:
    """Short and readable: the first 16 bytes of SHA-256 of the raw public key,
    as 8 groups of 4 hex digits ("3F2A 91C0 ...")."""
    digest = hashlib.sha256(unb64(signing_key_b64)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str | None) -> str:
    """Spaces, dashes and case ignored, so a typed fingerprint compares equal."""
    return re.sub(r"[^0-9A-F]", "", (text or "").upper())


def same_fingerprint(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalise_fingerprint(a) == normalise_fingerprint(b)


# The Ed25519 points of small order, by their y coordinate with the sign bit cleared
# (libsodium's list, non-canonical encodings included). A "public key" among them is no
# one's: one fixed signature verifies for it on every message, so anyone could sign as
# the office it was registered for. Verification against them always fails.
_SMALL_ORDER = {bytes.fromhex(h) for h in (
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
)}


def is_weak_signing_key(raw: bytes) -> bool:
    return len(raw) == 32 and raw[:31] + bytes([raw[31] & 0x7F]) in _SMALL_ORDER


def verify(signing_key_b64: str, signature: bytes, data: bytes) -> bool:
    try:
        raw = unb64(signing_key_b64)
        if is_weak_signing_key(raw):
            return False
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def usable_encryption_key(encryption_key_b64: str) -> bool:
    """An X25519 public key a shared secret can be made with (one of small order gives
    an all-zero secret: anyone could read what is sealed to it, and the sealer refuses)."""
    try:
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(unb64(encryption_key_b64)))
    except ValueError:
        return False
    return True


def canonical(body: Any) -> bytes:
    """The bytes signed for JSON documents (receipts, key cards)."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_INFO).derive(shared)
    return AESGCM(key)


def _aad(package_uuid: str, name: str) -> bytes:
    return f"{package_uuid}/{name}".encode()


class Sealer:
    """Encrypts a package's members to the recipient's X25519 public key."""

    def __init__(self, recipient_key_b64: str) -> None:
        recipient = unb64(recipient_key_b64)
        ephemeral = X25519PrivateKey.generate()
        self.ephemeral_key = public_b64(ephemeral)
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
        self._aead = _derive(shared, unb64(self.ephemeral_key), recipient)

    def seal(self, package_uuid: str, name: str, plain: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        packed = zlib.compress(plain, COMPRESS_LEVEL)
        return nonce + self._aead.encrypt(nonce, packed, _aad(package_uuid, name))


class Opener:
    """Decrypts members sealed to our X25519 key."""

    def __init__(self, private_key: X25519PrivateKey, ephemeral_key_b64: str) -> None:
        ephemeral = unb64(ephemeral_key_b64)
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        self._aead = _derive(shared, ephemeral, private_key.public_key().public_bytes(**_RAW))

    def open(self, package_uuid: str, name: str, blob: bytes, plain_size: int) -> bytes:
        try:
            packed = self._aead.decrypt(blob[:NONCE], blob[NONCE:], _aad(package_uuid, name))
        except (InvalidTag, ValueError):
            raise PackageRefused(f"Không giải mã được phần «{name}»: gói đã bị thay đổi hoặc không "
                                 "được mã hóa cho cơ quan này.", code="decrypt") from None
        # The caller capped ``plain_size`` (``package._check_plain_sizes``); one byte
        # more than declared is all the inflater may produce, to see a lie.
        # (max_length must stay > 0: zero means "no limit" to zlib.)
        inflater = zlib.decompressobj()
        try:
            plain = inflater.decompress(packed, plain_size + 1)
        except zlib.error:
            plain = b""
        if len(plain) != plain_size or inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
            raise PackageRefused(f"Phần «{name}» sau giải mã có kích thước khác khai báo: {NOT_MADE_HERE}",
                                 code="zip_bomb")
        return plain
