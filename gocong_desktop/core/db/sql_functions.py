"""Date parts SQLite and PostgreSQL spell differently, for queries built with
SQLAlchemy Core: each compiles to SQLite's own words on SQLite (strftime) and to
PostgreSQL's on a server (to_char), issue 19. Text positions: ``portable.text_position``."""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String


class month_text(FunctionElement):  # noqa: N801
    """month_text(timestamp): "YYYY-MM"."""

    type = String()
    inherit_cache = True
    name = "month_text"


class year_text(FunctionElement):  # noqa: N801
    """year_text(timestamp): "YYYY"."""

    type = String()
    inherit_cache = True
    name = "year_text"


def _spelled(function: type[FunctionElement], sqlite_format: str, server_format: str) -> None:
    """Compile ``function(timestamp)`` to strftime on SQLite, to_char on PostgreSQL."""
    @compiles(function)
    def _on_sqlite(element, compiler, **kw) -> str:
        return f"strftime('{sqlite_format}', {compiler.process(element.clauses, **kw)})"

    @compiles(function, "postgresql")
    def _on_server(element, compiler, **kw) -> str:
        return f"to_char({compiler.process(element.clauses, **kw)}, '{server_format}')"


_spelled(month_text, "%Y-%m", "YYYY-MM")
_spelled(year_text, "%Y", "YYYY")
