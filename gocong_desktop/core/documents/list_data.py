"""What a list shows, as the list documents take it (``lists.py`` is their entry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ListSheet:
    title: str  # "Danh sách hộ gia đình"
    scope: str  # the filters in words: "Ấp Lợi An; tìm «nguyen»" ("" for the whole list)
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # text, whole numbers, or None per cell
