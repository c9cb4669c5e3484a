"""The connection an import (or its undo) runs on (issue 16): a larger page
cache, a memory map of a plain file and foreign keys not enforced while the
import holds it — and the pool's connections as they were for everyone else,
during the import and after it, whether it succeeded, was refused or failed."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from gocong_desktop.core.db.changes import EVERYTHING
from gocong_desktop.core.db.engine import CACHE_KIB, Database
from gocong_desktop.core.sync import import_package
from gocong_desktop.core.db.wal_checkpoint import BackgroundCheckpoint
from gocong_desktop.core.sync.txn import (BULK_CACHE_KIB, BULK_MMAP_BYTES, WAL_AUTOCHECKPOINT_PAGES, connection,
                                          write_transaction)
from tests.core.sync.conftest import fingerprint_of, send

# Foreign keys on, 32 MB of cache, no memory map (engine._set_pragmas), SQLite's checkpoints at commit.
DEFAULTS = (1, -CACHE_KIB, 0, WAL_AUTOCHECKPOINT_PAGES)
SETTINGS = ("foreign_keys", "cache_size", "mmap_size", "wal_autocheckpoint")


def _settings(conn) -> tuple[int, ...]:
    """(foreign_keys, cache_size, mmap_size, wal_autocheckpoint) of a DB-API or SQLAlchemy connection."""
    run = conn.exec_driver_sql if hasattr(conn, "exec_driver_sql") else conn.execute
    return tuple(run(f"PRAGMA {name}").fetchone()[0] for name in SETTINGS)


def _log_frames(path: Path) -> tuple[int, int]:
    """(frames in the write-ahead log, frames copied into the file), from the WAL
    index SQLite shares between connections (sqlite.org/walformat.html: the
    header's mxFrame at byte 16, the checkpoint's nBackfill at byte 96)."""
    shm = Path(f"{path}-shm").read_bytes()
    return int.from_bytes(shm[16:20], sys.byteorder), int.from_bytes(shm[96:100], sys.byteorder)


def _pool_settings(db: Database) -> list[tuple[int, ...]]:
    """The settings of two connections of the pool held at once (every one it made here)."""
    with db.engine.connect() as first, db.engine.connect() as second:
        return [_settings(first), _settings(second)]


@pytest.mark.upper_sqlite
def test_the_settings_hold_only_on_the_importers_connection_while_it_holds_it(upper: Database) -> None:
    assert upper.vault is None  # a plain file: mapped
    with connection(upper, bulk=True) as link:
        raw = link.connection.dbapi_connection
        assert _settings(link) == (0, -BULK_CACHE_KIB, BULK_MMAP_BYTES, 0)
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
        assert _settings(link) == (0, -BULK_CACHE_KIB, 0, 0)
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


@pytest.mark.upper_sqlite
def test_the_import_returns_before_its_log_is_copied_then_the_copy_runs_beside(
        demo_communes, upper: Database, usb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commune = demo_communes(1)[0].db
    started = []
    monkeypatch.setattr(BackgroundCheckpoint, "start", lambda self: started.append(self))
    assert send(commune, upper, usb, full=True)[1].status == "imported"
    assert upper.checkpoint in started  # (the export started its commune's)
    frames, copied = _log_frames(upper.path)
    assert frames > 100 and copied < frames  # the commit left the copy to the background
    monkeypatch.undo()
    upper.checkpoint.start()
    upper.checkpoint.wait()
    assert _log_frames(upper.path) == (frames, frames)


@pytest.mark.upper_sqlite
def test_the_next_write_waits_for_the_copy_and_starts_the_log_again(demo_communes, upper: Database,
                                                                  usb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = BackgroundCheckpoint._run
    monkeypatch.setattr(BackgroundCheckpoint, "_run", lambda self: (time.sleep(0.3), copy(self)))  # a slow disk
    assert send(demo_communes(1)[0].db, upper, usb, full=True)[1].status == "imported"
    frames, _copied = _log_frames(upper.path)
    with write_transaction(upper, writes=EVERYTHING) as conn:  # begun while the copy still runs
        conn.exec_driver_sql("INSERT INTO app_setting (key, value_json) VALUES ('thu', '1')")
    assert _log_frames(upper.path)[0] < frames  # written from the log's start, not appended to it
    upper.checkpoint.start()
    upper.close()  # waits for the copy running now
    assert upper.checkpoint._thread is None


@pytest.mark.upper_sqlite
def test_the_file_is_released_only_once_its_log_is_copied(demo_communes, upper: Database, usb: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """As a restore does before it replaces the file: no thread may still be writing into it."""
    copy = BackgroundCheckpoint._run
    monkeypatch.setattr(BackgroundCheckpoint, "_run", lambda self: (time.sleep(0.3), copy(self)))
    assert send(demo_communes(1)[0].db, upper, usb, full=True)[1].status == "imported"
    assert Path(f"{upper.path}-wal").stat().st_size > 0
    upper.release_connections()
    assert upper.checkpoint._thread is None
    assert not Path(f"{upper.path}-wal").exists()  # the last connection closed: every page in the file


@pytest.mark.upper_sqlite
def test_a_checkpoint_that_cannot_start_leaves_the_commit_and_the_close_alone(upper: Database,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """No thread to be had (a PC out of memory or threads): the write was committed all
    the same, so it is not reported as failed, and the database still closes."""
    start = threading.Thread.start

    def refused(thread: threading.Thread) -> None:
        if thread.name == "wal-checkpoint":
            raise RuntimeError("can't start new thread")
        start(thread)
    monkeypatch.setattr(threading.Thread, "start", refused)
    with write_transaction(upper, writes=EVERYTHING) as conn:
        conn.exec_driver_sql("INSERT INTO app_setting (key, value_json) VALUES ('thu', '1')")
    with write_transaction(upper, writes=EVERYTHING) as conn:  # the next write is not refused either
        conn.exec_driver_sql("INSERT INTO app_setting (key, value_json) VALUES ('thu-2', '2')")
    monkeypatch.undo()
    with upper.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM app_setting WHERE key LIKE 'thu%'").scalar() == 2
    upper.close()  # the pool closed, the lock released: every page in the file
    assert not Path(f"{upper.path}-wal").exists()
