"""Anchors: the upper office's signed word on how far a commune's audit chain
reached, so that history below it cannot be cut off or rewritten unseen.

Each package carries the head of its sender's live chain (the manifest's
``audit_head``: chain id, place, entry hash). The upper office keeps it in the
package's ledger row and, in each receipt, signs one anchor per chain — the
highest head among the packages the receipt lists — as a small statement of
its own (``gocong-anchor``), so that the commune keeps the statement and its
signature without the whole receipt. The commune takes an anchor only for a
package it sent with that very head, keeps the newest per chain (setting
``audit_anchors``), and ``check`` verifies them (``anchor_check.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gocong_desktop.core.storage.audit_chain import HASH_RE, ChainHead, Execute
from gocong_desktop.core.db.models import SyncPackage
from gocong_desktop.core.sync.crypto import b64, canonical, unb64, verify
from gocong_desktop.core.sync.kinds import UUID_RE
from gocong_desktop.core.sync.lineage import MAX_SEQ

FORMAT, VERSION = "gocong-anchor", 1
SETTING = "audit_anchors"  # at the commune: {chain id: {"anchor": statement, "signature": base64}}
MAX_ANCHORS = 1000  # one per chain, and a chain starts at each restore or move to another PC
MAX_PACKAGE_SEQUENCE = 2 ** 31 - 1
_HEAD_KEYS = {"chain_id", "seq", "entry_hash"}
CHAIN_ID_RE = re.compile(r"^[0-9a-z][0-9a-z-]{0,63}\Z")  # UUIDs here; any short lower-case id is safe to show
_KEYS = {"format", "version", "unit_id", "package_uuid", "sequence", "accepted_at"} | _HEAD_KEYS


class AnchorError(ValueError):
    """Why a head or an anchor is not well formed (Vietnamese, for a refusal)."""


def parse_head(data: Any) -> ChainHead | None:
    """A chain head as a manifest or a ledger row holds it, every field checked;
    None for a sender whose live chain has no sealed entry yet."""
    if data is None:
        return None
    if type(data) is not dict or data.keys() != _HEAD_KEYS:
        raise AnchorError("đầu chuỗi nhật ký sai dạng")
    chain_id, seq, digest = data["chain_id"], data["seq"], data["entry_hash"]
    if type(chain_id) is not str or not CHAIN_ID_RE.match(chain_id):
        raise AnchorError("mã chuỗi nhật ký sai dạng")
    if type(seq) is not int or not 1 <= seq < MAX_SEQ:
        raise AnchorError("số thứ tự mục nhật ký sai")
    if type(digest) is not str or not HASH_RE.match(digest):
        raise AnchorError("mã băm mục nhật ký sai dạng")
    return ChainHead(chain_id, seq, digest)


@dataclass(frozen=True)
class Anchor:
    """The upper office's statement that it received ``head`` from ``unit_id``
    in package ``sequence`` at ``accepted_at``, with its signature."""

    unit_id: str
    package_uuid: str
    sequence: int
    head: ChainHead
    accepted_at: str  # ISO 8601
    signature: str  # base64 Ed25519 signature of the canonical statement

    def statement(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "unit_id": self.unit_id, "package_uuid": self.package_uuid,
                "sequence": self.sequence, **self.head.as_dict(), "accepted_at": self.accepted_at}

    def document(self) -> dict:
        return {"anchor": self.statement(), "signature": self.signature}

    def signed_by(self, signing_key_b64: str) -> bool:
        return verify(signing_key_b64, unb64(self.signature), canonical(self.statement()))

    @property
    def accepted_day(self) -> str:
        when = datetime.fromisoformat(self.accepted_at)
        return (when.astimezone() if when.tzinfo else when).strftime("%d/%m/%Y")  # the day on this PC


def parse_anchor(doc: Any) -> Anchor:
    """An anchor from a receipt or from the commune's setting, every field checked
    (not its signature: that needs the registered key)."""
    if type(doc) is not dict or doc.keys() != {"anchor", "signature"}:
        raise AnchorError("mốc nhật ký sai dạng")
    data, signature = doc["anchor"], doc["signature"]
    if type(data) is not dict or data.keys() != _KEYS or data["format"] != FORMAT \
            or type(data["version"]) is not int or data["version"] != VERSION:
        raise AnchorError("mốc nhật ký sai dạng")
    unit_id, package_uuid, sequence = data["unit_id"], data["package_uuid"], data["sequence"]
    if not all(type(v) is str and UUID_RE.match(v) for v in (unit_id, package_uuid)):
        raise AnchorError("mã đơn vị hoặc mã gói của mốc nhật ký sai dạng")
    if type(sequence) is not int or not 1 <= sequence <= MAX_PACKAGE_SEQUENCE:
        raise AnchorError("số thứ tự gói của mốc nhật ký sai")
    head = parse_head({key: data[key] for key in _HEAD_KEYS})
    return Anchor(unit_id, package_uuid, sequence, head, _moment(data["accepted_at"]), _signature(signature))


def _moment(value: Any) -> str:
    try:
        if type(value) is str and len(value) <= 40:
            datetime.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise AnchorError("thời điểm nhận của mốc nhật ký sai dạng")


def _signature(value: Any) -> str:
    try:
        if type(value) is str and len(value) <= 100 and len(unb64(value)) == 64:
            return value
    except ValueError:
        pass
    raise AnchorError("chữ ký của mốc nhật ký sai dạng")


# ---- the upper office: one signed anchor per chain in each receipt ----------------------------

def recorded_head(row: SyncPackage) -> ChainHead | None:
    """The head a ledger row recorded (imported, or exported here); None when it has none."""
    try:
        return parse_head(json.loads(row.report_json or "{}").get("audit_head"))
    except AnchorError:
        return None


def latest_heads(rows: Iterable[SyncPackage]) -> dict[str, tuple[ChainHead, SyncPackage]]:
    """{chain id: (highest head, the package that carried it)} of a sender's imported packages."""
    best: dict[str, tuple[ChainHead, SyncPackage]] = {}
    for row in rows:
        head = recorded_head(row)
        if head is not None and (head.chain_id not in best or head.seq > best[head.chain_id][0].seq):
            best[head.chain_id] = (head, row)
    return best


def receipt_anchors(rows: Iterable[SyncPackage], unit_id: str, key: Ed25519PrivateKey) -> list[dict]:
    """The signed anchors a receipt for ``rows`` (one sender's imports) carries."""
    out = []
    for chain_id, (head, row) in sorted(latest_heads(rows).items()):
        unsigned = Anchor(unit_id, row.package_uuid, row.sequence, head, row.processed_at.isoformat(), "")
        out.append(unsigned.document() | {"signature": b64(key.sign(canonical(unsigned.statement())))})
    return out


# ---- the commune: the newest anchor per chain -------------------------------------------------

def stored_documents(execute: Execute) -> Any:
    """The setting's value as stored (None when there is none); not checked."""
    row = execute("SELECT value_json FROM app_setting WHERE key = ?", (SETTING,)).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except (TypeError, ValueError, RecursionError):
        return row[0]  # unreadable: ``check`` says so, the next receipt replaces it


def store_anchors(execute: Execute, anchors: Iterable[Anchor]) -> None:
    """Keep each anchor unless this chain's anchor already reaches further. One
    reaching as far replaces it (a receipt signed again after a key change).
    Written only when something changed: a receipt imported twice writes nothing."""
    stored = stored_documents(execute)
    kept = dict(stored) if type(stored) is dict else {}
    for anchor in anchors:
        if _reach(kept.get(anchor.head.chain_id)) <= anchor.head.seq:
            kept[anchor.head.chain_id] = anchor.document()
    if kept and kept != stored:
        execute("INSERT INTO app_setting (key, value_json) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
                (SETTING, json.dumps(kept, ensure_ascii=False, sort_keys=True)))


def _reach(doc: Any) -> int:
    try:
        return parse_anchor(doc).head.seq
    except AnchorError:
        return 0  # damaged: replaced
