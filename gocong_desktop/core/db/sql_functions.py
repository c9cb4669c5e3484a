"""SQL functions SQLite and PostgreSQL spell differently, for queries built with
SQLAlchemy Core: each compiles to SQLite's own word on SQLite (the SQL run there
stays what it was) and to PostgreSQL's on a server (issue 19)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer, String


class position(FunctionElement):  # noqa: N801 (an SQL function's name)
    """position(text, part): where ``part`` first starts in ``text`` (1-based), 0 when absent."""

    type = Integer()
    inherit_cache = True
    name = "position"


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


def _args(element: FunctionElement, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(position)
def _instr(element, compiler, **kw) -> str:
    return f"instr({_args(element, compiler, **kw)})"


@compiles(position, "postgresql")
def _strpos(element, compiler, **kw) -> str:
    return f"strpos({_args(element, compiler, **kw)})"


@compiles(month_text)
def _strftime_month(element, compiler, **kw) -> str:
    return f"strftime('%Y-%m', {_args(element, compiler, **kw)})"


@compiles(month_text, "postgresql")
def _to_char_month(element, compiler, **kw) -> str:
    return f"to_char({_args(element, compiler, **kw)}, 'YYYY-MM')"


@compiles(year_text)
def _strftime_year(element, compiler, **kw) -> str:
    return f"strftime('%Y', {_args(element, compiler, **kw)})"


@compiles(year_text, "postgresql")
def _to_char_year(element, compiler, **kw) -> str:
    return f"to_char({_args(element, compiler, **kw)}, 'YYYY')"
