"""Writing a package file, and opening one in the order an attacker cannot turn
against us: ``open_manifest`` checks the zip's structure, the manifest (at most
``MAX_MANIFEST``), its versions and signature, reading no payload; the caller
then decides whether the sender is trusted (that needs the database); only then
``read_payloads`` caps each member's size and ratio, inflates it and checks its
hash, and ``read_records`` decrypts and checks every record. ``open_package``
does the first and second steps at once, for files this office wrote itself.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from gocong_desktop import __version__
from gocong_desktop.core.storage.audit_chain import ChainHead
from gocong_desktop.core.sync.crypto import Opener, Sealer, public_b64, verify
from gocong_desktop.core.sync.errors import NOT_MADE_HERE, BadSignature, PackageRefused, WrongRecipient
from gocong_desktop.core.sync.files import sha256_file
from gocong_desktop.core.sync.kinds import get_kind
from gocong_desktop.core.sync.manifest import ENCRYPTION_SCHEME, MANIFEST, SIGNATURE, Encryption, Manifest, PayloadFile, \
    Sender, parse_manifest
from gocong_desktop.core.sync.records import decode_records
from gocong_desktop.core.sync.zipsafe import LIMITS, Limits, SafeZip, human_size

MAX_MANIFEST = 256 * 1024  # a manifest lists a few dozen payload files: a few KB
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entry times carry nothing: the manifest has the time
ZIP_LEVEL = 1


@dataclass(frozen=True)
class Recipient:
    name: str | None
    fingerprint: str
    encryption_key: str  # X25519 public key, base64


@dataclass
class PackageDraft:
    """What the exporter decided to send; ``write_package`` turns it into a file."""

    sender: Sender
    sequence: int
    previous_hash: str | None
    full: bool
    since_sequence: int | None
    includes_violations: bool
    lineage: tuple = ()  # the sender database's incarnations (lineage.Node), oldest first
    withheld: dict = field(default_factory=dict)  # table -> personal columns blanked
    change_seq: int = 0  # the sender's change counter at export
    audit_head: ChainHead | None = None  # the sender's live audit chain, None before its first entry
    payloads: list[tuple[str, int, bytes]] = field(default_factory=list)  # (kind, records, JSONL)
    package_uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc)
                            .strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def _entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = compress
    return info


def write_package(target: Path, draft: PackageDraft, signing_key: Ed25519PrivateKey,
                  recipient: Recipient | None) -> Manifest:
    """The zip at ``target`` (flushed and synced to disk); returns its manifest."""
    sealer = Sealer(recipient.encryption_key) if recipient else None
    files, blobs = [], []
    for kind, records, plain in draft.payloads:
        if sealer:
            name = f"data/{kind}.jsonl.enc"
            blob, compress = sealer.seal(draft.package_uuid, name, plain), zipfile.ZIP_STORED
        else:
            name, blob, compress = f"data/{kind}.jsonl", plain, zipfile.ZIP_DEFLATED
        files.append(PayloadFile(name=name, kind=kind, records=records, size=len(blob),
                                 sha256=hashlib.sha256(blob).hexdigest(), plain_size=len(plain)))
        blobs.append((name, blob, compress))
    encryption = None if not recipient else Encryption(
        scheme=ENCRYPTION_SCHEME, recipient_fingerprint=recipient.fingerprint,
        recipient_key=recipient.encryption_key, ephemeral_key=sealer.ephemeral_key)
    manifest = Manifest(package_uuid=draft.package_uuid, created_at=draft.created_at, app_version=__version__,
                        sender=draft.sender, sequence=draft.sequence, previous_hash=draft.previous_hash,
                        full=draft.full, since_sequence=draft.since_sequence,
                        includes_violations=draft.includes_violations, encryption=encryption,
                        files=tuple(files), lineage=draft.lineage, withheld=draft.withheld,
                        change_seq=draft.change_seq, audit_head=draft.audit_head,
                        recipient_name=recipient.name if recipient else None)
    raw = manifest.to_bytes()
    with open(target, "wb") as f:
        with zipfile.ZipFile(f, "w") as zf:
            zf.writestr(_entry(MANIFEST, zipfile.ZIP_DEFLATED), raw, compresslevel=ZIP_LEVEL)
            zf.writestr(_entry(SIGNATURE, zipfile.ZIP_STORED), signing_key.sign(raw))
            for name, blob, compress in blobs:
                zf.writestr(_entry(name, compress), blob, compresslevel=ZIP_LEVEL)
        f.flush()
        os.fsync(f.fileno())
    return manifest


@dataclass
class OpenedPackage:
    """A package whose structure, manifest and signature were checked; its
    payloads are read (``read_payloads``) only once the sender is trusted."""

    path: Path
    manifest: Manifest
    package_hash: str  # SHA-256 of manifest.json: names the package in chains and receipts
    size: int
    limits: Limits = LIMITS
    blobs: dict[str, bytes] = field(default_factory=dict)  # member name -> bytes, once read
    payloads_read: bool = False
    _file_sha256: str | None = field(default=None, repr=False)

    @property
    def sender(self) -> Sender:
        return self.manifest.sender

    @property
    def file_sha256(self) -> str:
        """SHA-256 of the whole file (read on demand, in chunks)."""
        if self._file_sha256 is None:
            self._file_sha256 = sha256_file(self.path)
        return self._file_sha256


def _refuse_members(path: Path, names: Sequence[str], manifest: Manifest) -> None:
    expected = {MANIFEST, SIGNATURE} | {f.name for f in manifest.files}
    extra, missing = sorted(set(names) - expected), sorted(expected - set(names))
    if extra:
        raise PackageRefused(f"Tệp «{path.name}» có phần lạ «{extra[0][:80]}» không khai báo; không nhập.",
                             code="unexpected_member")
    if missing:
        raise PackageRefused(f"Tệp «{path.name}» thiếu phần «{missing[0]}»; tệp bị hỏng hoặc chép thiếu.",
                             code="missing_member")


def open_manifest(path: str | Path, *, limits: Limits = LIMITS) -> OpenedPackage:
    """The checks that need no key, no database and no payload: zip structure,
    the manifest and its signature. Raises ``PackageRefused``."""
    path = Path(path)
    if not path.is_file():
        raise PackageRefused(f"Không tìm thấy tệp «{path}».", code="not_found")
    with SafeZip(path, limits) as zf:
        if MANIFEST not in zf.names:
            raise PackageRefused(f"Tệp «{path.name}» không phải gói đồng bộ: thiếu {MANIFEST}.", code="format")
        raw = zf.read(MANIFEST, max_size=MAX_MANIFEST)
        try:
            manifest = parse_manifest(raw)
        except PackageRefused as exc:  # name the file: in a batch, which one it was matters
            if exc.code != "manifest":
                raise
            raise PackageRefused(f"Tệp «{path.name}»: {exc.message}", code=exc.code) from None
        _refuse_members(path, zf.names, manifest)
        signature = zf.read(SIGNATURE, max_size=64)
        if len(signature) != 64 or not verify(manifest.sender.signing_key, signature, raw):
            raise BadSignature(f"Chữ ký của gói «{path.name}» không hợp lệ: gói đã bị sửa sau khi ký, hoặc "
                               "được ký bằng khóa khác. Không nhập.")
    return OpenedPackage(path=path, manifest=manifest, package_hash=hashlib.sha256(raw).hexdigest(),
                         size=path.stat().st_size, limits=limits)


def read_payloads(package: OpenedPackage) -> None:
    """Read the payloads into ``package.blobs``: every member's size and ratio
    capped before anything is inflated, then each checked against the signed
    manifest (size, SHA-256). Raises ``PackageRefused``."""
    if package.payloads_read:
        return
    path, files = package.path, package.manifest.files
    with SafeZip(path, package.limits) as zf:
        _refuse_members(path, zf.names, package.manifest)  # the file may have been replaced meanwhile
        for f in files:
            if zf.size_of(f.name) != f.size:
                raise PackageRefused(f"Phần «{f.name}» có kích thước khác khai báo; không nhập.",
                                     code="size_mismatch")
        zf.check_sizes(f.name for f in files)
        _check_plain_sizes(package)
        blobs = {}
        for f in files:
            blob = zf.read(f.name)
            if hashlib.sha256(blob).hexdigest() != f.sha256:
                raise PackageRefused(f"Phần «{f.name}» của gói «{path.name}» đã bị thay đổi hoặc hỏng (sai mã "
                                     "băm SHA-256); không nhập.", code="hash_mismatch")
            blobs[f.name] = blob
    package.blobs, package.payloads_read = blobs, True


def _not_ours(package: OpenedPackage, why: str) -> PackageRefused:
    return PackageRefused(f"Gói «{package.path.name}» bị từ chối: {why}; {NOT_MADE_HERE}", code="zip_bomb")


def _check_plain_sizes(package: OpenedPackage) -> None:
    """The declared sizes after decryption, before any is inflated: an encrypted
    member's ciphertext says nothing of what it inflates to, so each part is held
    to the cap a plain member has (the writer's JSON Lines are what it caps), and
    all of them to the total; ``Opener.open`` then never inflates past them."""
    limits, total = package.limits, 0
    for f in package.manifest.files:
        if f.plain_size > limits.max_member_size:
            raise _not_ours(package, f"phần «{f.name}» khai báo giải nén ra {human_size(f.plain_size)}, quá giới "
                                     f"hạn {human_size(limits.max_member_size)}")
        if not f.name.endswith(".enc") and f.plain_size != f.size:  # not encrypted: the member is the text
            raise _not_ours(package, f"phần «{f.name}» khai báo hai kích thước khác nhau")
        total += f.plain_size
    if total > limits.max_total_size:
        raise _not_ours(package, f"các phần khai báo giải nén ra tổng cộng {human_size(total)}, quá giới hạn "
                                 f"{human_size(limits.max_total_size)}")


def open_package(path: str | Path, *, limits: Limits = LIMITS) -> OpenedPackage:
    """Every check that needs no key and no database, payloads included: for a
    file this office wrote. An incoming one: ``open_manifest``, decide on the
    sender, then ``read_records``."""
    package = open_manifest(path, limits=limits)
    read_payloads(package)
    return package


def read_records(package: OpenedPackage, decryption_key: X25519PrivateKey | None) -> dict[str, list[tuple]]:
    """{kind: rows}: payloads read if not yet, decrypted when needed, every
    record checked (all or nothing)."""
    read_payloads(package)
    m = package.manifest
    opener = None
    if m.encryption is not None:
        if decryption_key is None or public_b64(decryption_key) != m.encryption.recipient_key:
            raise WrongRecipient(f"Gói «{package.path.name}» được mã hóa cho cơ quan khác (dấu vân tay "
                                 f"{m.encryption.recipient_fingerprint}); cơ quan này không đọc được. Nếu đó là "
                                 "khóa của chính cơ quan này trên máy cũ, quản trị viên hãy nhập tệp khóa dự "
                                 "phòng của đơn vị.")
        opener = Opener(decryption_key, m.encryption.ephemeral_key)
    out: dict[str, list[tuple]] = {}
    for f in m.files:
        blob = package.blobs[f.name]
        plain = opener.open(m.package_uuid, f.name, blob, f.plain_size) if opener else blob
        if len(plain) != f.plain_size:
            raise PackageRefused(f"Phần «{f.name}» có kích thước khác khai báo.", code="size_mismatch")
        rows = decode_records(get_kind(f.kind), plain, member=f.name, sender_unit_id=m.sender.unit_id)
        if len(rows) != f.records:
            raise PackageRefused(f"Phần «{f.name}» có {len(rows)} bản ghi, khai báo {f.records}; không nhập.",
                                 code="count_mismatch")
        out[f.kind] = rows
    return out

