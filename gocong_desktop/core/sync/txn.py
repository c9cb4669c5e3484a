"""Transactions for sync work, on one connection.

pysqlite runs SELECTs outside any transaction unless told otherwise, so export
and import issue BEGIN themselves: one snapshot to read from, and (IMMEDIATE)
the write lock held from the first read to the commit. An ORM ``Session``
bound to the connection joins that transaction for the small bookkeeping rows.

On PostgreSQL (an upper office several officers share) readers are never
blocked: a read transaction is one snapshot (REPEATABLE READ, as SQLite's BEGIN
gives), and sync writers (imports, undos, receipts) take one advisory lock for
the whole transaction, so two officers' imports never interleave: the second
waits, then reads what the first committed (READ COMMITTED: each statement
after the lock sees it).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Iterator

from sqlalchemy import Connection
from sqlmodel import Session

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.access import ensure_can_write
from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.portable import on_sqlite


# An import or undo at the upper office writes thousands of index pages, and
# ~50,000 at 100 communes for a package whose ids are random (version 4, from an
# earlier version: db/ids.py): kept in memory until the commit, and read once
# (in validation) rather than again for the plan and the writes.
BULK_CACHE_KIB = 512 * 1024
# A plain file's pages read from the OS's cache without a copy each, up to
# SQLite's usual cap (SQLITE_MAX_MMAP_SIZE, just under 2 GB); the rest of a larger
# file is read as before. An encrypted file decrypts each page it reads: not mapped.
BULK_MMAP_BYTES = 0x7FFF0000
# SQLite's default, put back after a bulk write turned it off (``wal_checkpoint.py``).
WAL_AUTOCHECKPOINT_PAGES = 1000
# The advisory lock sync writers hold to their commit on a server ("gcim").
SYNC_LOCK_KEY = 0x6763_696D


@contextmanager
def connection(db: Database, *, bulk: bool = False) -> Iterator[Connection]:
    """A connection of the pool; ``bulk`` (an import or its undo) on SQLite: tuned
    for big writes while it is held — foreign keys not enforced (a package may
    refer to records of a package still on its way), a larger page cache and a
    memory map of a plain file — and put back as it was before another user
    of the pool gets it. A server's connection is used as it is."""
    with db.engine.connect() as conn:
        if not bulk or not on_sqlite(conn):  # a server tunes itself (``_begin_write``: deferred keys)
            yield conn
            return
        saved = _tune(conn, mmap=db.vault is None)  # only settable outside a transaction
        try:
            yield conn
        finally:
            _restore(conn, saved)


def _tune(conn: Connection, *, mmap: bool) -> tuple[int, int]:
    saved = (conn.exec_driver_sql("PRAGMA cache_size").scalar(), conn.exec_driver_sql("PRAGMA mmap_size").scalar())
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")  # copied after, in the background
    if mmap:
        conn.exec_driver_sql(f"PRAGMA mmap_size={BULK_MMAP_BYTES}")
    return saved


def _restore(conn: Connection, saved: tuple[int, int]) -> None:
    cache, mmap = saved
    conn.rollback()  # whatever a failure left open: foreign_keys cannot change inside a transaction
    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    conn.exec_driver_sql(f"PRAGMA cache_size={cache}")  # the pages cached beyond it are freed
    conn.exec_driver_sql(f"PRAGMA mmap_size={mmap}")
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")


def _held(db: Database, conn: Connection | None, bulk: bool) -> AbstractContextManager[Connection]:
    return nullcontext(conn) if conn is not None else connection(db, bulk=bulk)


@contextmanager
def write_transaction(db: Database, *, writes: ChangeSet, bulk: bool = False,
                      conn: Connection | None = None) -> Iterator[Connection]:
    """Committed when the block ends normally, rolled back otherwise; once committed,
    ``writes`` (what the caller's SQL writes: no flush hook sees it) is reported
    as the change set. ``bulk``: on a connection tuned for imports (``connection``);
    ``conn``: on that connection, held by the caller (already tuned or not).
    Refused to a role that may not write (a viewer, or nobody signed in)."""
    ensure_can_write(db.role())
    db.checkpoint.wait()  # the log restarts from its beginning rather than grows
    with _held(db, conn, bulk) as conn:
        _begin_write(conn)
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        if on_sqlite(conn):  # what it wrote copied into the file beside the next work
            db.checkpoint.start()
        changes.report(writes)


def _begin_write(conn: Connection) -> None:
    """SQLite: the write lock from the first statement. A server: the sync lock,
    then the foreign keys checked at the commit — a package's records may name
    records it writes later (migration 0015 made them deferrable; validation has
    proved every reference resolved), as SQLite's import runs with them off."""
    if on_sqlite(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (SYNC_LOCK_KEY,))
    conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def read_transaction(db: Database, *, conn: Connection | None = None) -> Iterator[Connection]:
    """A consistent snapshot; always rolled back (a dry run writes nothing).
    ``conn``: on that connection, held by the caller."""
    with _held(db, conn, False) as conn:
        conn.exec_driver_sql("BEGIN" if on_sqlite(conn) else "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try:
            yield conn
        finally:
            conn.rollback()


@contextmanager
def bound_session(conn: Connection) -> Iterator[Session]:
    """An ORM session inside the connection's transaction (never commits it)."""
    session = Session(bind=conn, autoflush=True, expire_on_commit=False)
    try:
        yield session
        session.flush()
    finally:
        session.close()
