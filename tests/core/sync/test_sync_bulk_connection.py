"""The connection an import (or its undo) runs on (issue 16): a larger page
cache, a memory map of a plain file and foreign keys not enforced while the
import holds it — and the pool's connections as they were for everyone else,
during the import and after it, whether it succeeded, was refused or failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import CACHE_KIB, Database
from gocong_desktop.core.sync import import_package
from gocong_desktop.core.sync.txn import BULK_CACHE_KIB, BULK_MMAP_BYTES, connection
from tests.core.sync.conftest import fingerprint_of, send

DEFAULTS = (1, -CACHE_KIB, 0)  # foreign keys on, 32 MB of cache, no memory map (engine._set_pragmas)


def _settings(conn) -> tuple[int, int, int]:
    """(foreign_keys, cache_size, mmap_size) of a DB-API or SQLAlchemy connection."""
    run = conn.exec_driver_sql if hasattr(conn, "exec_driver_sql") else conn.execute
    return tuple(run(f"PRAGMA {name}").fetchone()[0] for name in ("foreign_keys", "cache_size", "mmap_size"))


def _pool_settings(db: Database) -> list[tuple[int, int, int]]:
    """The settings of two connections of the pool held at once (every one it made here)."""
    with db.engine.connect() as first, db.engine.connect() as second:
        return [_settings(first), _settings(second)]


@pytest.mark.upper_sqlite
def test_the_settings_hold_only_on_the_importers_connection_while_it_holds_it(upper: Database) -> None:
    assert upper.vault is None  # a plain file: mapped
    with connection(upper, bulk=True) as link:
        raw = link.connection.dbapi_connection
        assert _settings(link) == (0, -BULK_CACHE_KIB, BULK_MMAP_BYTES)
        with upper.engine.connect() as other:  # a screen reading meanwhile
            assert _settings(other) == DEFAULTS
    assert _settings(raw) == DEFAULTS  # the same connection, back in the pool
    assert _pool_settings(upper) == [DEFAULTS, DEFAULTS]


@pytest.mark.upper_sqlite
def test_the_settings_are_put_back_when_the_import_fails(upper: Database) -> None:
    with pytest.raises(RuntimeError), connection(upper, bulk=True) as link:
        raw = link.connection.dbapi_connection
        link.exec_driver_sql("BEGIN IMMEDIATE")
        raise RuntimeError("an unexpected error in the middle of an import")
    assert _settings(raw) == DEFAULTS
    assert not raw.in_transaction


def test_an_encrypted_file_is_not_mapped(demo_communes) -> None:
    commune = demo_communes(1)[0].db
    assert commune.vault is not None
    with connection(commune, bulk=True) as link:
        assert _settings(link) == (0, -BULK_CACHE_KIB, 0)
    assert _pool_settings(commune) == [DEFAULTS, DEFAULTS]


@pytest.mark.upper_sqlite
def test_imports_imported_again_and_dry_runs_leave_the_pool_as_it_was(demo_communes, upper: Database,
                                                                      usb: Path) -> None:
    commune = demo_communes(1)[0].db
    summary, result = send(commune, upper, usb, full=True)
    assert result.status == "imported"
    assert _pool_settings(upper) == [DEFAULTS, DEFAULTS]
    again = import_package(upper, summary.path, trust=[fingerprint_of(summary.path)])
    assert again.status == "already_imported"  # returned from inside the held connection
    assert import_package(upper, summary.path, dry_run=True).status == "already_imported"
    assert _pool_settings(upper) == [DEFAULTS, DEFAULTS]
