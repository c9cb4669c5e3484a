"""Making hostile key cards and receipts on purpose: anyone can make a key pair,
read an office's public unit id, and sign whatever they like with their own key."""

from __future__ import annotations

import json
from tests import app_sqlite as sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from gocong_desktop.core.sync.crypto import b64, canonical, fingerprint, public_b64


class Forger:
    """Someone with a key pair of their own (not registered anywhere)."""

    def __init__(self) -> None:
        self.signing = Ed25519PrivateKey.generate()
        self.encryption = X25519PrivateKey.generate()
        self.signing_public = public_b64(self.signing)
        self.fingerprint = fingerprint(self.signing_public)

    def sign(self, body: dict) -> dict:
        return {"body": body, "signature": b64(self.signing.sign(canonical(body)))}


def write_doc(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def forged_receipt(path: Path, forger: Forger, *, recipient_unit_id: str, issuer_unit_id: str | None = None,
                   name: str = "Gò Công Tây", packages: list[dict] | None = None) -> Path:
    """A receipt as ``write_receipt`` makes one, issued in the name of an upper
    office (its public unit id, or a new one) but signed with the forger's key."""
    body = {"format": "gocong-receipt", "version": 1, "receipt_uuid": str(uuid.uuid4()),
            "issued_at": datetime.now(timezone.utc).isoformat(),
            "issuer": {"unit_id": issuer_unit_id or str(uuid.uuid4()), "unit_code": None, "unit_name": name,
                       "unit_type": "Công an huyện", "role": "upper", "signing_key": forger.signing_public,
                       "encryption_key": public_b64(forger.encryption), "fingerprint": forger.fingerprint},
            "recipient_unit_id": recipient_unit_id, "recipient_name": "xã Bình Tân", "packages": packages or []}
    return write_doc(path, forger.sign(body))


def forged_card(path: Path, genuine: Path, forger: Forger, edit: Callable[[dict], Any] | None = None) -> Path:
    """``genuine``'s key card with the forger's keys, ``edit`` applied to its body, re-signed."""
    body = json.loads(genuine.read_text(encoding="utf-8"))["body"]
    body.update(signing_key=forger.signing_public, encryption_key=public_b64(forger.encryption),
                fingerprint=forger.fingerprint)
    if edit:
        edit(body)
    return write_doc(path, forger.sign(body))


def registered_upper(path: Path) -> tuple | None:
    """(unit_id, fingerprint, encryption_key) of the upper office a commune sends to."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT unit_id, fingerprint, encryption_key FROM sync_peer "
                           "WHERE role = 'upper'").fetchone()
    finally:
        con.close()


def audit_entries(db_or_path, *actions: str) -> list[tuple[str, str, str, dict]]:
    """(action, actor, record_id, changes) of the audit entries with these actions,
    oldest first, of a file or of the upper office's database on either store."""
    from tests.core.sync.conftest import rows

    server = getattr(db_or_path, "server", None) is not None
    found = rows(db_or_path, f"SELECT action, actor, record_id, changes_json FROM audit_log WHERE action IN "
                             f"({','.join('?' * len(actions))}) ORDER BY {'at, id' if server else 'rowid'}", actions)
    return [(a, who, rid, json.loads(changes)) for a, who, rid, changes in found]
