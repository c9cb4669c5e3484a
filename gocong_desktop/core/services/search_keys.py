"""Derived columns that let SQL search and sort Vietnamese text.

Stored beside what was typed, so a list of 50,000 households is searched and
sorted by SQLite, not in Python. Bulk writers (demo data, imports) must call
these too.
"""

from __future__ import annotations

from gocong_desktop.core.text import fold, person_sort_key


def household_search_fold(head_name: str, address: str | None, phone: str | None = None) -> str:
    """Folded text a search matches against: name, address and phone. The
    " | " between them keeps a phrase from running from one into the next."""
    return " | ".join(part for part in (fold(head_name), fold(address or ""), phone or "") if part)


def household_sort_key(head_name: str) -> str:
    return person_sort_key(head_name)
