"""Sync packages between a commune and its upper office (issue 7). Qt-free.

Commune side::

    export_package(db, folder, full=False) -> ExportSummary      # .path, .lines(), .counts
    import_receipt(db, path) -> ReceiptResult                    # exported -> delivered (registered key only),
                                                                 # keeps the signed audit anchors (anchors.py)
    list_exports(session) -> [ExportRow]                         # the Sync page's list

Upper office side::

    import_package(db, path, trust=(), dry_run=False) -> ImportResult   # raises PackageRefused
    import_packages(db, paths, trust=(), dry_run=False) -> [ImportResult]  # never raises per file
    undo_import(db, package_uuid) -> UndoResult                   # from the import journal; raises UndoRefused
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
Functions taking ``db`` run their own transactions (and files); those
taking ``session`` work in the caller's.
Every refusal is a ``SyncError`` (a ``UserError``) with a Vietnamese message,
and leaves the database unchanged.
"""


from __future__ import annotations

import importlib
from typing import Any

# Where each name of the facade lives. Loaded on first use (PEP 562), so that
# importing one submodule (``core.sync.keys`` for the CLI) does not import them all.
_MODULES = {
    "gocong_desktop.core.sync.conflicts": ("ConflictRow", "list_conflicts", "resolve_conflict"),
    "gocong_desktop.core.sync.errors": ("PackageRefused", "SenderKeyChanged", "SyncError", "UnknownSender"),
    "gocong_desktop.core.sync.escrow": ("export_office_keys", "import_office_keys"),
    "gocong_desktop.core.sync.export": ("ExportSummary", "export_package"),
    "gocong_desktop.core.sync.importer": ("ImportResult", "import_package", "import_packages"),
    "gocong_desktop.core.sync.key_store": ("KeyChange", "rotate_office_keys"),
    "gocong_desktop.core.sync.keys": ("KeyCard", "ensure_office_keys", "office_card", "read_key_card",
                                      "write_key_card"),
    "gocong_desktop.core.sync.ledger": ("ExportRow", "ImportRow", "list_exports", "list_imports"),
    "gocong_desktop.core.db.ownership": ("ensure_editable", "install_read_only_guard", "is_read_only"),
    "gocong_desktop.core.sync.peers": ("KeyChangeUnconfirmed", "KeyRegistration", "PeerInfo", "import_key_card",
                                       "list_peers", "preview_key_card"),
    "gocong_desktop.core.sync.receipts": ("ReceiptResult", "import_receipt", "write_receipt"),
    "gocong_desktop.core.sync.undo": ("UndoResult", "undo_import"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
