"""Transactions for sync work, on one connection.

pysqlite runs SELECTs outside any transaction unless told otherwise, so export
and import issue BEGIN themselves: one snapshot to read from, and (IMMEDIATE)
the write lock held from the first read to the commit. An ORM ``Session``
bound to the connection joins that transaction for the small bookkeeping rows.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Connection
from sqlmodel import Session

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.access import ensure_can_write
from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.core.db.engine import Database


BULK_CACHE_KIB = 64 * 1024  # index pages of ~10^5 random UUID keys stay in memory


@contextmanager
def write_transaction(db: Database, *, writes: ChangeSet, bulk: bool = False) -> Iterator[Connection]:
    """Committed when the block ends normally, rolled back otherwise; once committed,
    ``writes`` (what the caller's SQL writes: no flush hook sees it) is reported
    as the change set. ``bulk`` (imports): foreign keys not enforced — a package
    may refer to records of a package still on its way — and a larger page cache.
    Refused to a role that may not write (a viewer, or nobody signed in)."""
    ensure_can_write(db.role())
    with db.engine.connect() as conn:
        if bulk:  # only settable outside a transaction
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            default_cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            changes.report(writes)
        finally:
            if bulk:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.exec_driver_sql(f"PRAGMA cache_size={default_cache}")


@contextmanager
def read_transaction(db: Database) -> Iterator[Connection]:
    """A consistent snapshot; always rolled back (a dry run writes nothing)."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")
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
