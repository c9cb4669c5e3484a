"""``sqlite3`` as the tests use it to look inside files: the app's own SQLite library.

The app opens every file with sqlcipher3; a second SQLite library in the same
process (the standard ``sqlite3``) would break the file locks between the two.
``connect`` keys an encrypted file with the key unlocked in this process.
"""

from __future__ import annotations

from pathlib import Path

from sqlcipher3.dbapi2 import Connection, DatabaseError, Error, IntegrityError, OperationalError, Row  # noqa: F401
from sqlcipher3.dbapi2 import connect as _plain_connect

from gocong_desktop.core.sqlite.raw import connect as _app_connect


def connect(database, *args, **kwargs) -> Connection:
    if args or kwargs.get("uri") or str(database) == ":memory:":
        return _plain_connect(database, *args, **kwargs)
    return _app_connect(Path(database), **kwargs)
