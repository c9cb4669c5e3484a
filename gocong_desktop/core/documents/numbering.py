"""A document's number line, the same in every format (PDF, Word)."""

from __future__ import annotations


def number_text(number: int | None, symbol: str) -> str:
    """"Số: 07/BB-TNDTQ" (leading zero under 10); dots while not yet numbered."""
    return f"Số: {number:02d}/{symbol}" if number else f"Số: ……/{symbol}"
