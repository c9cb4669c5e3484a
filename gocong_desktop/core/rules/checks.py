"""Kinds of rule for stored values, and what breaks each one (in Vietnamese).

Values are checked in their stored form: text as stored (NFC, no control
characters), dates as ``date`` or "2024-03-15", date-times as ``datetime`` or
"2024-03-15 19:30:00.000000" — so a form (Python values) and an import (JSON
values) are held to the same rule. ``problem`` says what is wrong with one
value; ``first_problem`` finds the first bad value of a whole column quickly
(a package has ~10^5 rows), checking in C where it can.
"""

from __future__ import annotations

import json
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Callable, Sequence

from gocong_desktop.core.text import format_date, format_int

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
CLOCK_SLACK = timedelta(days=1)  # another office's clock or time zone may be a day ahead

_BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates: they reorder what is shown
_LONE = "\ud800-\udfff"  # half of a surrogate pair: not a character, not storable as UTF-8
_SINGLE_LINE_BAD = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_LONE}]")
_MULTI_LINE_BAD = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_LONE}]")  # tab and newline allowed
_is_nfc = partial(unicodedata.is_normalized, "NFC")


def bad_character(text: str, *, multiline: bool = False) -> str | None:
    """What the first character not allowed in stored text is, or None."""
    found = (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(text)
    if found is None:
        return None
    ch = found.group()
    code = f"U+{ord(ch):04X}"
    if ch in "\n\t" or (ch == "\r" and not multiline):
        return f"có ký tự xuống dòng hoặc tab ({code}) ở nơi chỉ được viết một dòng"
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return f"có ký tự đảo chiều chữ ẩn ({code})"
    if "\ud800" <= ch <= "\udfff":
        return f"có ký tự Unicode hỏng ({code})"
    return f"có ký tự điều khiển ẩn ({code})"


def _number(x: float) -> str:
    """Years as they are written (2024), big counts grouped (1.000.000)."""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:g}".replace(".", ",")
    return format_int(int(x)) if abs(x) >= 10000 else str(int(x))


class Rule(ABC):
    label: str

    @abstractmethod
    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        """What is wrong with ``value`` (a non-null stored value), or None."""

    def first_problem(self, values: Sequence[Any], *, today: date | None = None) -> tuple[int, str] | None:
        """(index, what is wrong) of the first bad non-null value, or None."""
        for i, value in enumerate(values):
            if value is not None and (why := self.problem(value, today=today)) is not None:
                return i, why
        return None


@dataclass(frozen=True)
class Text(Rule):
    label: str
    max_len: int
    required: bool = False  # not blank
    multiline: bool = False  # line breaks and tabs allowed (notes, minutes)
    nfc: bool = True  # False for keys derived by folding (marks stripped from NFD: not NFC for Hangul)

    def problem(self, value: Any, *, today: date | None = None, blank_ok: bool = False) -> str | None:
        if type(value) is not str:
            return "phải là chữ"
        if len(value) > self.max_len:
            return f"quá dài (tối đa {_number(self.max_len)} ký tự)"
        if self.required and not value.strip() and not (blank_ok and value == ""):
            return "còn trống"
        if (bad := bad_character(value, multiline=self.multiline)) is not None:
            return bad
        if self.nfc and not _is_nfc(value):
            return "chưa ở dạng Unicode dựng sẵn (NFC)"
        return None

    def first_problem(self, values: Sequence[Any], *, today: date | None = None,
                      blank_ok: bool = False) -> tuple[int, str] | None:
        texts = [v for v in values if v is not None]
        bad = _MULTI_LINE_BAD if self.multiline else _SINGLE_LINE_BAD
        if (set(map(type, texts)) <= {str} and max(map(len, texts), default=0) <= self.max_len
                and not any(map(bad.search, texts)) and (not self.nfc or all(map(_is_nfc, texts)))
                and not (self.required and not all(map(str.strip, texts)))):
            return None
        for i, value in enumerate(values):
            if value is not None and (why := self.problem(value, blank_ok=blank_ok)) is not None:
                return i, why
        return None


@dataclass(frozen=True)
class Number(Rule):
    label: str
    low: float
    high: float | Callable[[], float]  # a function for bounds that move (this year)
    integer: bool = True
    required: bool = False  # for forms: a value must be given

    @property
    def upper(self) -> float:
        return self.high() if callable(self.high) else self.high

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        kinds = (int,) if self.integer else (int, float)
        if type(value) not in kinds or (type(value) is float and value != value):
            return "phải là số nguyên" if self.integer else "phải là số"
        if not self.low <= value <= self.upper:
            return f"phải từ {_number(self.low)} đến {_number(self.upper)}"
        return None

    def first_problem(self, values: Sequence[Any], *, today: date | None = None) -> tuple[int, str] | None:
        numbers = [v for v in values if v is not None]
        kinds = {int} if self.integer else {int, float}
        if set(map(type, numbers)) <= kinds and (not numbers or (self.low <= min(numbers)
                                                               and max(numbers) <= self.upper)):
            return None
        return super().first_problem(values)


@dataclass(frozen=True)
class Choice(Rule):
    label: str
    values: tuple[str, ...]

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        if isinstance(value, str) and value in self.values:  # a form may pass the enum member itself
            return None
        return f"không hợp lệ (chỉ được là: {', '.join(self.values)})"

    def first_problem(self, values: Sequence[Any], *, today: date | None = None) -> tuple[int, str] | None:
        if set(values) - {None} <= set(self.values) and {type(v) for v in values} <= {str, type(None)}:
            return None
        return super().first_problem(values)


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(value).date() if type(value) is str else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Day(Rule):
    """A calendar date (or, for ``Moment``, a date and time) within 1900–2100."""

    label: str
    not_future: bool = False  # on or before today (an import allows CLOCK_SLACK more)

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        day = _as_date(value)
        if day is None:
            return "không phải ngày hợp lệ"
        if not FIRST_DAY <= day <= LAST_DAY:
            return f"phải trong khoảng {format_date(FIRST_DAY)} – {format_date(LAST_DAY)}"
        if self.not_future and day > (today or date.today()):
            return "không được ở tương lai"
        return None

    def first_problem(self, values: Sequence[Any], *, today: date | None = None) -> tuple[int, str] | None:
        distinct = set(values) - {None}  # dates repeat a lot: each distinct value once
        if not any(self.problem(v, today=today) for v in distinct):
            return None
        return super().first_problem(values, today=today)


@dataclass(frozen=True)
class Moment(Day):
    """A date and time (meeting times, bookkeeping stamps)."""


@dataclass(frozen=True)
class Json(Rule):
    """Text holding JSON of a given shape (a list or an object); a list may
    have each item checked by ``item`` (a ``Text``, or an ``Entry`` for objects)."""

    label: str
    max_len: int
    shape: type  # list or dict
    item: Rule | None = None
    max_items: int | None = None
    plain_text: bool = True  # the JSON text itself held to the text rules (False: its size only)

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        if type(value) is not str:
            return "phải là chữ"
        if len(value) > self.max_len:
            return f"quá dài (tối đa {_number(self.max_len)} ký tự)"
        if self.plain_text and (why := Text(self.label, self.max_len).problem(value)) is not None:
            return why
        try:
            data = json.loads(value)
        except (ValueError, RecursionError):
            return "không phải JSON hợp lệ"
        if type(data) is not self.shape:
            return "sai cấu trúc (cần một " + ("danh sách" if self.shape is list else "đối tượng") + " JSON)"
        if self.max_items is not None and len(data) > self.max_items:
            return f"có quá nhiều mục (tối đa {self.max_items})"
        for n, element in enumerate(data if self.item else (), 1):
            if (why := self.item.problem(element)) is not None:
                return f"mục thứ {n} {why}"
        return None


@dataclass(frozen=True)
class Entry(Rule):
    """One object inside a JSON list (a member of an evaluation team): exactly the
    keys of ``fields``, each value following its rule; a key may be left out
    (or null) only where its rule is not ``required``."""

    label: str
    fields: tuple[tuple[str, Text], ...]  # (key, rule)

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        keys = dict(self.fields)
        if type(value) is not dict or not set(value) <= set(keys):
            return f"phải là {self.label} gồm: {', '.join(rule.label for _key, rule in self.fields)}"
        for key, rule in self.fields:
            found = value.get(key)
            if found is None:
                if rule.required:
                    return f"thiếu {rule.label}"
            elif (why := rule.problem(found)) is not None:
                return f"có {rule.label} {why}"
        return None


@dataclass(frozen=True)
class Pattern(Rule):
    label: str
    regex: str
    hint: str  # what the value should look like, for the message

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        if type(value) is str and re.fullmatch(self.regex, value, re.ASCII):
            return None
        return f"sai dạng (cần {self.hint})"


@dataclass(frozen=True)
class Special(Rule):
    """A value with its own checker (phone numbers, citizen ID numbers)."""

    label: str
    check: Callable[[str], str | None]  # what is wrong, or None

    def problem(self, value: Any, *, today: date | None = None) -> str | None:
        return "phải là chữ" if type(value) is not str else self.check(value)
