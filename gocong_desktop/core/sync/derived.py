"""Columns the receiving office derives from what arrived instead of taking them
from the package: a household's search key holds its name, address and phone, so
it never travels while the phone is withheld (the default), and a crafted one
would make a household found by words it does not hold."""

from __future__ import annotations

from gocong_desktop.core.services.search_keys import household_search_fold
from gocong_desktop.core.sync.kinds import Kind

_HOUSEHOLD = "household"


def with_search_keys(kind: Kind, rows: list[tuple]) -> list[tuple]:
    """``rows`` with their search key derived from their own name, address and phone."""
    if kind.name != _HOUSEHOLD or not rows:
        return rows
    f, n, a, p = (kind.index(c) for c in ("search_fold", "head_name", "address", "phone"))
    return [row[:f] + (household_search_fold(row[n] or "", row[a], row[p]),) + row[f + 1:] for row in rows]


def without_search_key(kind: Kind, row: tuple) -> tuple:
    """``row`` with its search key blank: compared on what was typed, not on what is derived."""
    if kind.name != _HOUSEHOLD:
        return row
    f = kind.index("search_fold")
    return row[:f] + ("",) + row[f + 1:]
