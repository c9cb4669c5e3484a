"""Date parts SQLite and PostgreSQL spell differently, for queries built with
SQLAlchemy Core: each compiles to SQLite's own words on SQLite (strftime) and to
PostgreSQL's on a server (to_char), issue 19. Text positions: ``portable.text_position``."""

from __future__ import annotations

from typing import Any

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


def _args(element: FunctionElement, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


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
