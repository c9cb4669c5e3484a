"""Several officers import at once into the upper office's server database (issue 19).

Each officer's PC has its own connection pool (its own ``Database``) on the same
PostgreSQL database. An import or undo holds the sync advisory lock to its
commit: a second one waits on it — seen in ``pg_locks``, not guessed from time —
and then works on what the first committed; a reader is never blocked and sees
one snapshot, before or after, never half of an import.

The first writer is held inside its transaction, just before its ledger row is
written (all its records are written by then), by a listener on its own engine:
the real import, paused at a known point.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.ledger import imports
from gocong_desktop.core.sync.txn import SYNC_LOCK_KEY, bound_session, read_transaction
from gocong_desktop.core.sync.undo import undo_import
from gocong_desktop.core.upper.dashboard import commune_dashboard
from tests.core.sync.conftest import fingerprint_of

pytestmark = pytest.mark.pg

LOCK_WAIT_LIMIT_S = 60  # a bound on waiting for the second writer to reach the lock, not a timing assertion


class Paused:
    """Holds a writer of ``db`` inside its transaction at the first statement
    starting with ``prefix``, until ``release``."""

    def __init__(self, db: Database, prefix: str) -> None:
        self.inside, self._go = threading.Event(), threading.Event()
        self.prefix = prefix
        event.listen(db.engine, "before_cursor_execute", self._before)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith(self.prefix) and not self.inside.is_set():
            self.inside.set()
            self._go.wait()

    def release(self) -> None:
        self._go.set()


class Worker(threading.Thread):
    def __init__(self, fn) -> None:
        super().__init__(daemon=True)
        self.fn, self.result, self.error = fn, None, None

    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as exc:  # reported by the test
            self.error = exc


def _waiting_on_sync_lock(db: Database) -> int:
    """How many connections wait for the sync advisory lock (a bigint key: its
    high and low 32 bits are classid and objid)."""
    with db.engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = :high AND objid = :low AND objsubid = 1"),
            {"high": SYNC_LOCK_KEY >> 32, "low": SYNC_LOCK_KEY & 0xFFFFFFFF}).scalar()


def _wait_until_second_waits(db: Database) -> None:
    deadline = time.monotonic() + LOCK_WAIT_LIMIT_S
    while _waiting_on_sync_lock(db) == 0:
        assert time.monotonic() < deadline, "the second writer never waited on the sync lock"
        time.sleep(0.05)


@pytest.fixture
def officers(pg_upper_url):
    """Three PCs on the same upper office: two officers writing, one reading."""
    dbs = [open_database(pg_upper_url) for _ in range(3)]
    yield dbs
    for db in dbs:
        db.close()


def _package(commune, folder: Path) -> tuple[Path, str]:
    folder.mkdir()
    path = export_package(commune.db, folder, full=True).path
    return path, fingerprint_of(path)


def _journal_ids(db: Database, package_uuid: str) -> list[int]:
    with db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT id FROM import_journal WHERE package_uuid = :p ORDER BY id"),
                                           {"p": package_uuid})]


def _ledger(db: Database) -> dict[str, str]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT sender_unit_name, status FROM sync_package")).all())


def _seen(db: Database) -> tuple[int, int]:
    """(imports in the ledger, communes on the dashboard with figures), in the reader's snapshot."""
    with read_transaction(db) as conn, bound_session(conn) as session:
        return len(imports(session)), sum(1 for row in commune_dashboard(session) if row.households)


def test_two_officers_import_one_after_the_other_and_a_reader_sees_before_or_after(officers, demo_communes,
                                                                                 usb: Path) -> None:
    first, second, reader = officers
    (a, fa), (b, fb) = (_package(c, usb / c.name) for c in demo_communes(2))
    paused = Paused(first, "INSERT INTO sync_package")  # records go through COPY: no listener sees them
    one = Worker(lambda: import_package(first, a, trust=[fa]))
    two = Worker(lambda: import_package(second, b, trust=[fb]))
    one.start()
    assert paused.inside.wait(LOCK_WAIT_LIMIT_S)  # the first has written its records, not committed
    two.start()
    _wait_until_second_waits(second)
    with read_transaction(reader) as conn, bound_session(conn) as session:
        before = (len(imports(session)), commune_dashboard(session))
        paused.release()
        one.join()
        two.join()
        assert (len(imports(session)), commune_dashboard(session)) == before  # one snapshot throughout
    assert before[0] == 0 and not any(row.households for row in before[1])
    assert one.error is None and two.error is None
    assert one.result.status == two.result.status == "imported"
    assert _seen(reader) == (2, 2)
    assert set(_ledger(reader).values()) == {"imported"} and len(_ledger(reader)) == 2
    ids_one, ids_two = _journal_ids(reader, one.result.package_uuid), _journal_ids(reader, two.result.package_uuid)
    assert ids_one and ids_two and max(ids_one) < min(ids_two)  # the second's writes all after the first's


def test_an_undo_and_an_import_at_the_same_time_do_not_interleave(officers, demo_communes, usb: Path) -> None:
    first, second, reader = officers
    (a, fa), (b, fb) = (_package(c, usb / c.name) for c in demo_communes(2))
    done = import_package(first, a, trust=[fa])
    paused = Paused(first, "DELETE FROM import_journal WHERE package_uuid")
    one = Worker(lambda: undo_import(first, done.package_uuid))
    two = Worker(lambda: import_package(second, b, trust=[fb]))
    one.start()
    assert paused.inside.wait(LOCK_WAIT_LIMIT_S)  # the records are put back, not committed
    two.start()
    _wait_until_second_waits(second)
    assert _seen(reader) == (1, 1)  # the undo not committed: before it
    paused.release()
    one.join()
    two.join()
    assert one.error is None and two.error is None and two.result.status == "imported"
    assert one.result.records > 0
    assert _seen(reader) == (1, 1)  # the undone commune gone, the other one in
    assert sorted(_ledger(reader).values()) == ["imported", "undone"]
    assert _journal_ids(reader, done.package_uuid) == []
