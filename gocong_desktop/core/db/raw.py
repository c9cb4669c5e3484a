"""Plain sqlite3 connections for checks and backups, outside SQLAlchemy.

Read-only by URI so that checking a file (perhaps a damaged one) never writes
to it. ``as_uri()`` percent-encodes "#", "?", "%" and spaces in file names.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def connect_readonly(path: Path, *, immutable: bool | None = None) -> sqlite3.Connection:
    """``immutable`` for a file nothing writes (a finished backup): no locks and no
    -wal/-shm files made beside it. By default, immutable when there is no -wal:
    a WAL database being written always has one, and a read-only connection
    would otherwise leave empty -wal/-shm files beside a closed database."""
    if immutable is None:
        immutable = not Path(f"{path}-wal").exists()
    mode = "mode=ro&immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"{Path(path).absolute().as_uri()}?{mode}", uri=True)


def side_files(path: Path) -> list[Path]:
    """The SQLite files that belong with ``path`` (WAL, shared memory, journal)."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def table_columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}


def tables(con: sqlite3.Connection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
