"""Raw SQL written for SQLite ("?" placeholders) run on PostgreSQL too.

The migrations and the sync code pass ``execute(sql, params)`` callables around,
with SQLite's qmark placeholders. psycopg takes "%s" (and reads a literal "%" as
the start of one): ``driver_sql`` rewrites a statement for the connection's driver.
Statements must not hold a literal "?" (none do: values are always parameters).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from sqlalchemy import Connection, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

Execute = Callable[[str, Sequence[Any]], Any]


def on_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def driver_sql(conn: Connection, sql: str) -> str:
    if conn.dialect.paramstyle == "qmark":
        return sql
    return sql.replace("%", "%%").replace("?", "%s")


class QmarkExecute:
    """``execute(sql, params)`` with "?" placeholders on any driver (a list of tuples:
    executemany). ``dialect`` ("sqlite", "postgresql") lets the lower layers that take
    such a callable (storage/audit_chain.py) pick their few dialect-specific words."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.dialect = conn, conn.dialect.name

    def __call__(self, sql: str, params: Sequence[Any] | list[tuple] = ()) -> Any:
        return self.conn.exec_driver_sql(driver_sql(self.conn, sql), params)


def qmark_execute(conn: Connection) -> Execute:
    return QmarkExecute(conn)


class text_position(FunctionElement):
    """Where ``needle`` starts in ``haystack`` (from 1; 0: nowhere): SQLite's
    ``instr(haystack, needle)``, PostgreSQL's ``strpos(haystack, needle)``."""

    type = Integer()
    inherit_cache = True
    name = "text_position"


@compiles(text_position)
def _instr(element: text_position, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(text_position, "postgresql")
def _strpos(element: text_position, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"
