"""Sync packages between a commune and its upper office (issue 7). Qt-free.

Commune side::

    export_package(db, folder, full=False) -> ExportSummary      # .path, .lines(), .counts
    import_receipt(db, path) -> ReceiptResult                    # exported -> delivered (registered key only),
                                                                 # keeps the signed audit anchors (anchors.py)
    list_exports(session) -> [ExportRow]                         # the Sync page's list

Upper office side::

    import_package(db, path, trust=(), dry_run=False) -> ImportResult   # raises PackageRefused
    import_packages(db, paths, trust=(), dry_run=False) -> [ImportResult]  # never raises per file
    write_receipt(db, folder, unit_id=...) -> Path
    list_imports(session), list_conflicts(session), resolve_conflict(session, id, keep=...)
    (the upper office's views of its communes: core.upper)

Both: ``office_card(session)`` / ``write_key_card(session, folder)`` (fingerprint
and key file), ``list_peers(session)``; an administrator registers or changes the
other side's key: ``preview_key_card(session, path) -> KeyRegistration`` (old and
new fingerprints), ``import_key_card(session, path, replace=False)`` (audited).
This office's own keys (administrators, audited): ``export_office_keys(session,
out, passphrase, confirm)`` writes the passphrase-sealed key backup,
``import_office_keys(session, path, passphrase)`` restores it on a new PC,
``rotate_office_keys(session)`` makes new pairs (retired encryption keys still
open packages sealed to them).
Functions taking ``db`` run their own transactions (and backups, files); those
taking ``session`` work in the caller's.
Every refusal is a ``SyncError`` (a ``UserError``) with a Vietnamese message,
and leaves the database unchanged.
"""

from gocong_desktop.core.sync.conflicts import ConflictRow, list_conflicts, resolve_conflict
from gocong_desktop.core.sync.errors import PackageRefused, SenderKeyChanged, SyncError, UnknownSender
from gocong_desktop.core.sync.escrow import export_office_keys, import_office_keys
from gocong_desktop.core.sync.export import ExportSummary, export_package
from gocong_desktop.core.sync.importer import ImportResult, import_package, import_packages
from gocong_desktop.core.sync.key_store import KeyChange, rotate_office_keys
from gocong_desktop.core.sync.keys import KeyCard, ensure_office_keys, office_card, read_key_card, write_key_card
from gocong_desktop.core.sync.ledger import ExportRow, ImportRow, list_exports, list_imports
from gocong_desktop.core.db.ownership import ensure_editable, install_read_only_guard, is_read_only
from gocong_desktop.core.sync.peers import KeyChangeUnconfirmed, KeyRegistration, PeerInfo, import_key_card, list_peers, preview_key_card
from gocong_desktop.core.sync.receipts import ReceiptResult, import_receipt, write_receipt

__all__ = [
    "ConflictRow", "ExportRow", "ExportSummary", "ImportResult", "ImportRow", "KeyCard", "KeyChange",
    "KeyChangeUnconfirmed", "KeyRegistration", "PackageRefused", "PeerInfo", "ReceiptResult", "SenderKeyChanged",
    "SyncError", "UnknownSender", "ensure_editable", "ensure_office_keys", "export_office_keys",
    "export_package", "import_office_keys", "rotate_office_keys",
    "import_key_card", "import_package", "import_packages", "import_receipt", "install_read_only_guard",
    "is_read_only", "list_conflicts", "list_exports", "list_imports", "list_peers", "office_card",
    "preview_key_card", "read_key_card", "resolve_conflict", "write_key_card", "write_receipt",
]
