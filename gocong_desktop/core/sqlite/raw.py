"""Plain connections for checks and backups, outside SQLAlchemy.

Read-only by URI so that checking a file (perhaps a damaged one) never writes
to it. ``as_uri()`` percent-encodes "#", "?", "%" and spaces in file names.
An encrypted file is opened with the key unlocked by signing in (``unlocked``).
"""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.sqlite.key_slots import SUFFIX as KEY_SLOTS_SUFFIX
from gocong_desktop.core.sqlite.unlocked import key_for_path

# SQLite header field naming the file's owner: "GCDS" in ASCII.
APPLICATION_ID = 0x47434453

# SQLite's own files, then the key slot table: what moves and goes with the database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal", KEY_SLOTS_SUFFIX)


def connect_readonly(path: Path, *, immutable: bool | None = None,
                     key: bytes | None = None) -> cipher.Connection:
    """``immutable`` for a file nothing writes (a finished backup): no locks and no
    -wal/-shm files made beside it. By default, immutable when there is no -wal:
    a WAL database being written always has one, and a read-only connection
    would otherwise leave empty -wal/-shm files beside a closed database."""
    if immutable is None:
        immutable = not Path(f"{path}-wal").exists()
    mode = "mode=ro&immutable=1" if immutable else "mode=ro"
    key = key if key is not None else key_for_path(path)
    return cipher.connect(f"{Path(path).absolute().as_uri()}?{mode}", key, uri=True)


def connect(path: Path, *, key: bytes | None = None, **kwargs) -> cipher.Connection:
    """A read-write connection to ``path``, keyed when it is encrypted."""
    key = key if key is not None else key_for_path(path)
    return cipher.connect(path, key, **kwargs)


def side_files(path: Path) -> list[Path]:
    """The SQLite files that belong with ``path`` (WAL, shared memory, journal)."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def table_columns(con: cipher.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}


def tables(con: cipher.Connection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
