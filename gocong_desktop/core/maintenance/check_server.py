"""``check`` on a database on a PostgreSQL server: the app's rules, as on a file.

SQLite's own checks have no counterpart to run here: the server enforces every
foreign key as rows are written (a broken reference cannot be stored), and its
pages are its own to check (``amcheck``, by the server's administrator). The
rules read one snapshot (a read-only REPEATABLE READ transaction): officers may
write meanwhile. They are written against sqlite3's connection; ``ServerConnection``
gives them the same ``execute(sql, params)`` over the server's driver, with
"?" placeholders, and says its dialect for the few words that differ.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from sqlalchemy.exc import DBAPIError

from gocong_desktop.core.db.location import ServerAddress
from gocong_desktop.core.db.server import checked_revision, connection_error, make_server_engine
from gocong_desktop.core.errors import DatabaseError, NotFoundError
from gocong_desktop.core.maintenance.rule_runner import Problem, rule_problems


class ServerConnection:
    """sqlite3's ``execute`` over a psycopg connection (the cursor it returns reads alike)."""

    dialect = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.raw.cursor()
        cursor.execute(_placeholders(sql), tuple(params))
        return cursor

    def stream(self, sql: str, size: int) -> Iterator[list[tuple]]:
        """The rows of ``sql``, ``size`` at a time, through a cursor kept on the
        server (``execute`` fetches every row at once)."""
        with self.raw.cursor(name="gocong_check_stream") as cursor:
            cursor.itersize = size
            cursor.execute(_placeholders(sql), ())
            while rows := cursor.fetchmany(size):
                yield rows


def _placeholders(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def check_server_database(address: ServerAddress, *, full: bool = False) -> list[Problem]:
    """Every problem the rules find in the database at ``address`` (``full``: with
    ``check_rules.FULL_RULES``); [] when none."""
    import psycopg

    engine = make_server_engine(address)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                                postgresql_readonly=True) as conn:
            try:
                checked_revision(conn, address, create=False)
            except (DatabaseError, NotFoundError) as exc:  # another program's, a newer version's, never set up
                return [Problem("database", exc.message)]
            raw = conn.connection.dbapi_connection
            return rule_problems(ServerConnection(raw), psycopg.Error, guard=raw.transaction, full=full)
    except DBAPIError as exc:
        if (friendly := connection_error(exc, address)) is not None:
            raise friendly from exc
        raise
    finally:
        engine.dispose()
