"""Package format version 2: the manifest.

``manifest.json`` is readable without any key and holds no personal data: the
format and minimum reader versions, the package UUID, the sending office (its
unit's code, name and id — not personal data — and its public signing key),
the per-sender sequence number and the previous package's hash, the range of
changes carried, the sender database's lineage (its incarnations: which
restores it went through, ``sync/lineage.py``), the head of its audit chain
(``audit_head``, required: the upper office signs it back in its receipt,
``sync/anchors.py``), and for each payload file its kind, record count, size
and SHA-256. Format 1 (before lineages) is refused
with a request to update the sender and export again. ``manifest.sig`` is the Ed25519 signature of the manifest's exact bytes;
since the manifest holds the payload hashes, it covers the whole package.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from gocong_desktop.core.storage.audit_chain import ChainHead
from gocong_desktop.core.sync.anchors import AnchorError, parse_head
from gocong_desktop.core.sync.errors import NewerFormat, PackageRefused
from gocong_desktop.core.sync.kinds import UUID_RE, get_kind, is_datetime
from gocong_desktop.core.sync.lineage import MAX_SEQ, LineageError, Node, parse_lineage

FORMAT = "gocong-sync"
FORMAT_VERSION = 2  # written by this app
READER_VERSION = 2  # the newest ``min_reader_version`` this app can read
OLDEST_READABLE = 2  # format 1 carried no lineage: its versions cannot be compared safely
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
EXTENSION = ".gcsync"
ENCRYPTION_SCHEME = "x25519-hkdf-sha256-aes256gcm"
_HEX64 = re.compile(r"^[0-9a-f]{64}\Z")
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\Z")  # as write_package stamps it, UTC
_B64KEY = re.compile(r"^[A-Za-z0-9+/]{43}=\Z")  # 32 raw bytes
_MEMBER = re.compile(r"^data/([a-z_]{1,60})\.jsonl(\.enc)?\Z")
_UPDATE = "Hãy cập nhật gocong_desktop lên phiên bản mới rồi nhập lại; cơ sở dữ liệu chưa bị thay đổi."


@dataclass(frozen=True)
class Sender:
    unit_id: str
    unit_code: str | None
    unit_name: str
    unit_type: str
    role: str
    signing_key: str  # Ed25519 public key, base64
    fingerprint: str

    @property
    def display_name(self) -> str:
        return f"{self.unit_type} {self.unit_name}"


@dataclass(frozen=True)
class PayloadFile:
    name: str  # "data/household.jsonl" or "data/household.jsonl.enc"
    kind: str
    records: int
    size: int  # bytes of the member as stored in the zip (after decompression)
    sha256: str  # of those bytes
    plain_size: int  # bytes of the JSON Lines (differs from ``size`` when encrypted)


@dataclass(frozen=True)
class Encryption:
    scheme: str
    recipient_fingerprint: str
    recipient_key: str  # the upper office's X25519 public key, base64
    ephemeral_key: str  # this package's X25519 public key, base64


@dataclass(frozen=True)
class Manifest:
    package_uuid: str
    created_at: str  # ISO 8601, UTC
    app_version: str
    sender: Sender
    sequence: int
    previous_hash: str | None
    full: bool
    since_sequence: int | None
    includes_violations: bool
    encryption: Encryption | None
    files: tuple[PayloadFile, ...]
    lineage: tuple[Node, ...] = ()
    # Personal columns the sender blanked (privacy setting): a blank there is withheld, not missing.
    withheld: dict[str, tuple[str, ...]] = field(default_factory=dict)
    change_seq: int = 0  # the sender's change counter when it exported: no record is stamped beyond it
    audit_head: ChainHead | None = None  # the newest sealed entry of the sender's live audit chain
    recipient_name: str | None = None
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    min_reader_version: int = FORMAT_VERSION
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        return {f.kind: f.records for f in self.files}

    def to_bytes(self) -> bytes:
        data = asdict(self)
        data.pop("extra")
        data["files"] = [asdict(f) for f in self.files]
        data["lineage"] = [n.as_dict() for n in self.lineage]
        data["withheld"] = {table: list(columns) for table, columns in sorted(self.withheld.items())}
        data["audit_head"] = self.audit_head.as_dict() if self.audit_head else None
        data["counts"] = self.counts
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()


def _refuse(why: str) -> PackageRefused:
    return PackageRefused(f"Gói bị từ chối: tệp mô tả (manifest) không hợp lệ: {why}.", code="manifest")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _refuse("có khóa lặp lại")
    return dict(pairs)


def _get(data: dict, key: str, types: tuple[type, ...], *, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if type(value) not in types:
        raise _refuse(f"thiếu hoặc sai trường «{key}»")
    return value


def _check_versions(data: dict) -> None:
    if data.get("format") != FORMAT:
        raise PackageRefused("Tệp không phải gói đồng bộ của gocong_desktop.", code="format")
    version, minimum = data.get("format_version"), data.get("min_reader_version")
    if type(version) is not int or type(minimum) is not int or not 1 <= minimum <= version:
        raise PackageRefused("Gói có phiên bản định dạng không hợp lệ "
                             f"({version!r}); không nhập.", code="format_version")
    if version < OLDEST_READABLE:
        raise PackageRefused(f"Gói theo định dạng cũ ({version}) của phiên bản gocong_desktop trước; phiên bản này "
                             "không nhập được vì gói cũ không cho biết dữ liệu đã qua những lần khôi phục nào. Hãy "
                             "cập nhật gocong_desktop ở đơn vị gửi rồi xuất lại gói (gói đầu tiên sau khi cập nhật "
                             "là gói toàn bộ dữ liệu). Cơ sở dữ liệu chưa bị thay đổi.", code="old_format")
    if minimum > READER_VERSION:
        raise NewerFormat(f"Gói được tạo bằng phiên bản gocong_desktop mới hơn (định dạng {version}, "
                          f"cần trình đọc phiên bản {minimum}; phiên bản này đọc được đến "
                          f"{READER_VERSION}). {_UPDATE}")


def _sender(data: Any) -> Sender:
    if type(data) is not dict:
        raise _refuse("thiếu thông tin đơn vị gửi")
    sender = Sender(unit_id=_get(data, "unit_id", (str,)), unit_code=_get(data, "unit_code", (str,), optional=True),
                    unit_name=_get(data, "unit_name", (str,)), unit_type=_get(data, "unit_type", (str,)),
                    role=_get(data, "role", (str,)), signing_key=_get(data, "signing_key", (str,)),
                    fingerprint=_get(data, "fingerprint", (str,)))
    if not UUID_RE.fullmatch(sender.unit_id) or not _B64KEY.fullmatch(sender.signing_key):
        raise _refuse("mã đơn vị hoặc khóa của đơn vị gửi sai dạng")
    from gocong_desktop.core.rules import field_rule

    # Shown on every screen and report that names the sender: the unit's own rules.
    for key, column in (("unit_name", "name"), ("unit_type", "unit_type"), ("unit_code", "code")):
        value, rule = getattr(sender, key), field_rule("admin_unit", column)
        if value is not None and (why := rule.problem(value)) is not None:
            raise _refuse(f"{rule.label} của đơn vị gửi {why}")
    if sender.role not in ("commune", "upper"):
        raise _refuse("vai trò của đơn vị gửi không hợp lệ")
    return sender


def _files(items: Any) -> tuple[PayloadFile, ...]:
    if type(items) is not list:
        raise _refuse("thiếu danh sách tệp dữ liệu")
    files, names = [], set()
    for item in items:
        if type(item) is not dict:
            raise _refuse("danh sách tệp dữ liệu sai dạng")
        f = PayloadFile(name=_get(item, "name", (str,)), kind=_get(item, "kind", (str,)),
                        records=_get(item, "records", (int,)), size=_get(item, "size", (int,)),
                        sha256=_get(item, "sha256", (str,)), plain_size=_get(item, "plain_size", (int,)))
        match = _MEMBER.match(f.name)
        if not match or match.group(1) != f.kind or f.name in names or min(f.records, f.size, f.plain_size) < 0:
            raise _refuse(f"tệp dữ liệu «{f.name[:80]}» khai báo sai")
        if not _HEX64.match(f.sha256):
            raise _refuse(f"mã băm của «{f.name}» sai dạng")
        if get_kind(f.kind) is None:
            raise NewerFormat(f"Gói có loại dữ liệu «{f.kind}» mà phiên bản này chưa biết. {_UPDATE}")
        names.add(f.name)
        files.append(f)
    return tuple(files)


def _encryption(data: Any) -> Encryption | None:
    if data is None:
        return None
    if type(data) is not dict:
        raise _refuse("thông tin mã hóa sai dạng")
    enc = Encryption(scheme=_get(data, "scheme", (str,)),
                     recipient_fingerprint=_get(data, "recipient_fingerprint", (str,)),
                     recipient_key=_get(data, "recipient_key", (str,)),
                     ephemeral_key=_get(data, "ephemeral_key", (str,)))
    if enc.scheme != ENCRYPTION_SCHEME:
        raise NewerFormat(f"Gói được mã hóa theo cách «{enc.scheme[:40]}» mà phiên bản này chưa biết. {_UPDATE}")
    if not (_B64KEY.match(enc.recipient_key) and _B64KEY.match(enc.ephemeral_key)):
        raise _refuse("khóa mã hóa sai dạng")
    return enc


def _withheld(data: Any) -> dict[str, tuple[str, ...]]:
    """Only columns classified as personal may be declared withheld."""
    from gocong_desktop.core.services.privacy import PERSONAL_COLUMNS  # the model classification, loaded with the kinds

    personal = {(c.table, c.column) for c in PERSONAL_COLUMNS}
    if type(data) is not dict or len(data) > 64:
        raise _refuse("danh sách trường không gửi sai dạng")
    out = {}
    for table, columns in data.items():
        if type(columns) is not list or not all(type(c) is str and (table, c) in personal for c in columns) \
                or len(set(columns)) != len(columns):
            raise _refuse(f"danh sách trường không gửi của «{str(table)[:40]}» sai")
        out[table] = tuple(columns)
    return out


def _lineage(data: Any) -> tuple[Node, ...]:
    try:
        return parse_lineage(data)
    except LineageError as exc:
        raise _refuse(str(exc)) from None


def _audit_head(data: dict) -> ChainHead | None:
    """Required (null before the sender's first sealed entry): a package without
    it was not made by this format's writer."""
    if "audit_head" not in data:
        raise _refuse("thiếu trường «audit_head»")
    try:
        return parse_head(data["audit_head"])
    except AnchorError as exc:
        raise _refuse(str(exc)) from None


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest, every field checked; ``PackageRefused`` otherwise. The
    version fields are checked first, so a newer package says "update"."""
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[... nested
        raise _refuse("không phải JSON hợp lệ") from None
    if type(data) is not dict:
        raise _refuse("không phải một đối tượng JSON")
    _check_versions(data)
    files = _files(data.get("files"))
    manifest = Manifest(
        package_uuid=_get(data, "package_uuid", (str,)), created_at=_get(data, "created_at", (str,)),
        app_version=_get(data, "app_version", (str,)), sender=_sender(data.get("sender")),
        sequence=_get(data, "sequence", (int,)), previous_hash=_get(data, "previous_hash", (str,), optional=True),
        full=_get(data, "full", (bool,)), since_sequence=_get(data, "since_sequence", (int,), optional=True),
        includes_violations=_get(data, "includes_violations", (bool,)),
        encryption=_encryption(data.get("encryption")), files=files, lineage=_lineage(data.get("lineage")),
        withheld=_withheld(data.get("withheld")), change_seq=_get(data, "change_seq", (int,)),
        recipient_name=_get(data, "recipient_name", (str,), optional=True), audit_head=_audit_head(data),
        format_version=data["format_version"], min_reader_version=data["min_reader_version"])
    _check_consistency(manifest, data)
    return manifest


def _check_consistency(m: Manifest, data: dict) -> None:
    if not UUID_RE.match(m.package_uuid):
        raise _refuse("mã gói không phải UUID")
    if not 0 <= m.change_seq < MAX_SEQ:
        raise _refuse("bộ đếm thay đổi sai")
    if m.sequence < 1 or (m.previous_hash is not None and not _HEX64.match(m.previous_hash)):
        raise _refuse("số thứ tự gói hoặc mã băm gói trước sai")
    if not m.full and (m.since_sequence is None or not 1 <= m.since_sequence < m.sequence):
        raise _refuse("phạm vi thay đổi (từ gói số ...) sai")
    if not _CREATED.match(m.created_at) or not is_datetime(m.created_at.replace("T", " ").removesuffix("Z")):
        raise _refuse("thời điểm tạo gói sai dạng")
    if data.get("counts") != m.counts:
        raise _refuse("số bản ghi từng loại không khớp danh sách tệp")
    encrypted = {f.name.endswith(".enc") for f in m.files}
    if encrypted and encrypted != {m.encryption is not None}:
        raise _refuse("tệp dữ liệu không khớp thông tin mã hóa")
