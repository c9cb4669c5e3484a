"""SQLCipher: the one SQLite driver, and telling encrypted files from plain ones.

Every connection — SQLAlchemy's and the plain ones for checks and backups — is
made by ``sqlcipher3``, which opens plain SQLite files too. An encrypted file
gets its key (the raw 256-bit data key, so no key derivation at open) before
anything else is read.

Whether a file is encrypted is told by its first bytes: a plain SQLite file
starts with "SQLite format 3"; an encrypted one with random bytes. The slot
table beside it (``key_slots``) does not decide: a migration cut short by a
power cut may leave a new slot table beside the still-plain file, which must
then keep opening as it was.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as driver

Error = driver.Error
DatabaseError = driver.DatabaseError
OperationalError = driver.OperationalError
Connection = driver.Connection

PLAIN_HEADER = b"SQLite format 3\x00"


def connect(target: str | Path, key: bytes | None = None, **kwargs) -> driver.Connection:
    """A connection to ``target`` (a path, or a "file:" URI with ``uri=True``), keyed when ``key``."""
    con = driver.connect(str(target), **kwargs)
    con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message on stderr, not SQLCipher's
    if key is not None:
        apply_key(con, key)
    return con


def apply_key(con: driver.Connection, key: bytes) -> None:
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def is_encrypted(path: str | Path) -> bool:
    """True for a non-empty file that does not start like a plain SQLite database."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(PLAIN_HEADER))
    except OSError:
        return False
    return bool(head) and head != PLAIN_HEADER
