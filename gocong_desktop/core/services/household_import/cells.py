"""A spreadsheet cell as the household form would have it typed: numbers
Excel stored as numbers (a phone that lost its leading 0, a year as 1975.0),
dates kept as text ("01/02/1975") or as Excel dates, "Nữ" for "nu"."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.household_import.table import is_blank
from gocong_desktop.core.text import fold, nfc, parse_date

_YEAR = re.compile(r"[0-9]{4}")
_WHOLE = re.compile(r"[0-9]+(?:[.,]0+)?")
_GROUP_NUMBER = re.compile(r"(?:to(?: ndtq| tu quan)?(?: so)?\s*)?([0-9]{1,4})")


def text(value: Any) -> str | None:
    """A cell as text: whole numbers without ".0", dates as dd/mm/yyyy, NFC."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return nfc(str(value))


def whole_number(value: Any, label: str, field: str) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    shown = text(value) or ""
    if _WHOLE.fullmatch(shown):
        return int(re.split(r"[.,]", shown)[0])
    raise ValidationError(f"{label} «{shown[:40]}» phải là một số nguyên.", field=field)


def birth_year(value: Any) -> int | None:
    """A year (1975, "1975") or a birth date (an Excel date, "01/02/1975")."""
    if is_blank(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.year
    shown = text(value) or ""
    if _YEAR.fullmatch(shown):
        return int(shown)
    if _WHOLE.fullmatch(shown) and len(shown.split(".")[0].split(",")[0]) == 4:
        return int(shown[:4])
    try:
        return parse_date(shown).year
    except ValidationError:
        raise ValidationError(f"Năm sinh «{shown[:40]}» không hiểu được: hãy ghi năm (ví dụ 1975) hoặc ngày sinh "
                              "(ví dụ 01/02/1975).", field="birth_year") from None


def gender(value: Any) -> str | None:
    """"Nam", "Nữ", "nu" -> the stored codes; anything else is refused by the form's rule."""
    shown = text(value)
    if shown is None:
        return None
    folded = fold(shown)
    return {"nam": "nam", "nu": "nu", "n": "nu"}.get(folded, shown)


def _digits(value: Any) -> str | None:
    """The digits of a number cell, or of a text cell holding only digits (a CSV
    saved by Excel writes the number as it showed it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    shown = text(value)
    return shown if shown and shown.isascii() and shown.isdigit() else None


def phone(value: Any) -> str | None:
    """A phone Excel took for a number lost its leading 0 (912345678): put back."""
    number = _digits(value)
    if number is not None and len(number) in (9, 10) and not number.startswith("0"):
        return "0" + number
    return number or text(value)


def citizen_id(value: Any) -> str | None:
    """A CCCD Excel took for a number lost its leading zeros (79123456789): put back."""
    number = _digits(value)
    if number is not None and len(number) < 12 and not isinstance(value, str):
        return number.zfill(12)
    if number is not None and len(number) == 11:
        return "0" + number
    return number or text(value)


def group_number(value: Any) -> int | None:
    """"5", "Tổ 5", "Tổ NDTQ số 5" -> 5; None when the cell names a group otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    match = _GROUP_NUMBER.fullmatch(fold(text(value) or ""))
    return int(match.group(1)) if match else None
