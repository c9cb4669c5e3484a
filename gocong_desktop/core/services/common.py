"""Small helpers shared by the services: validation and record lookup.

Typed values are normalised here and then held to the same rules an import
holds a package's records to (``core/rules``): the ``field_*`` helpers take
the rule of the stored column they fill.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import literal, or_
from sqlmodel import Session

from gocong_desktop.core.db.portable import text_position
from gocong_desktop.core.errors import NotFoundError, ValidationError
from gocong_desktop.core.text import fold, nfc, nfc_multiline, search_tokens

if TYPE_CHECKING:
    from gocong_desktop.core.rules import Rule, Text

T = TypeVar("T")


def _rule(table: str, column: str) -> Rule:
    """The stored column's rule. ``core.rules`` loads on the first check: a command
    that only reads (``list hamlets``) does not pay for every column's rule."""
    from gocong_desktop.core.rules import field_rule

    return field_rule(table, column)


def _text_rule(label: str, max_len: int, *, required: bool = False) -> Text:
    from gocong_desktop.core.rules import Text

    return Text(label, max_len, required=required)


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def clean_text(value: str | None, rule: Text, *, field: str, label: str | None = None) -> str | None:
    """What a person typed, normalised as it is stored (NFC; spaces collapsed on
    one line, line breaks kept on several) and held to ``rule``; None when blank
    and allowed."""
    label = label or rule.label
    text = (nfc_multiline(value or "") or "").strip() if rule.multiline else nfc(value or "")
    if not text:
        if rule.required:
            raise ValidationError(f"Chưa nhập {label}.", field=field)
        return None
    if (why := rule.problem(text)) is not None:
        raise ValidationError(f"{_capital(label)} {why}.", field=field)
    return text


def field_text(table: str, column: str, value: str | None, *, field: str | None = None,
               label: str | None = None, required: bool | None = None) -> str | None:
    """``clean_text`` by the stored column's rule (``core/rules/fields.py``);
    ``required`` where a form asks for more than a stored record must have
    (an agenda item added at once needs its title; a draft may wait)."""
    rule = _rule(table, column)
    if required is not None:
        rule = replace(rule, required=required)
    return clean_text(value, rule, field=field or column, label=label)


def field_number(table: str, column: str, value: int | float | None, *, field: str | None = None,
                 label: str | None = None) -> int | float | None:
    """A number within the stored column's range; None when not given and not required."""
    rule, label = _rule(table, column), label or _rule(table, column).label
    if value is None:
        if rule.required:
            raise ValidationError(f"Chưa nhập {label}.", field=field or column)
        return None
    if (why := rule.problem(value)) is not None:
        raise ValidationError(f"{_capital(label)} {why}.", field=field or column)
    return value


def field_date(table: str, column: str, value: date | None, *, field: str | None = None,
               label: str | None = None) -> date | None:
    """A date within the stored column's range (and not in the future where it must not be)."""
    rule = _rule(table, column)
    if value is not None and (why := rule.problem(value, today=date.today())) is not None:
        raise ValidationError(f"{_capital(label or rule.label)} {why}.", field=field or column)
    return value


def field_choice(table: str, column: str, value: str | None, *, message: str, field: str | None = None) -> str:
    """One of the stored column's allowed values; ``message`` otherwise."""
    if _rule(table, column).problem(value) is not None:
        raise ValidationError(message, field=field or column)
    return value


def required_text(value: str | None, *, field: str, label: str, max_len: int) -> str:
    """NFC-normalised, stripped text that must not be empty (a form checking a
    value before a service stores it: ``max_len`` from ``core/rules``)."""
    return clean_text(value, _text_rule(label, max_len, required=True), field=field)


def optional_text(value: str | None, *, field: str, label: str, max_len: int) -> str | None:
    return clean_text(value, _text_rule(label, max_len), field=field)


def int_in_range(value: int | None, *, field: str, label: str, low: int, high: int,
                 required: bool = False) -> int | None:
    if value is None:
        if required:
            raise ValidationError(f"Chưa nhập {label}.", field=field)
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(f"{label.capitalize()} phải từ {low} đến {high}.", field=field)
    return value


def get_live(session: Session, model: type[T], record_id: str | None, label: str) -> T:
    """The record with this id, unless missing or deleted (tombstoned)."""
    obj = session.get(model, record_id) if record_id else None
    if obj is None or getattr(obj, "deleted", False):
        raise NotFoundError(f"Không tìm thấy {label} (mã {record_id}).")
    return obj


def folded_match(folded_column: Any, search: str | None) -> Any | None:
    """The query, folded, must appear in the folded column starting at a word:
    marks, case and đ/d are ignored, so "nguyen van", "NGUYỄN VĂN" and
    "Nguyễn V" all find "Nguyễn Văn Ba", but "an" does not find "Lan".
    None when the query is empty."""
    phrase = " ".join(search_tokens(search or ""))
    if not phrase:
        return None
    return or_(folded_column.startswith(phrase, autoescape=True),
               folded_column.contains(" " + phrase, autoescape=True))


def marked_match(text_column: Any, search: str | None) -> Any | None:
    """The query typed with its marks ("Ánh") appears, marks and all, at a word of
    the stored NFC text (case as typed, lower, Title or UPPER: SQLite's lower() knows
    only ASCII). None when the query has no marks: then every spelling is as good."""
    phrase = nfc(search or "") or ""
    if not phrase or fold(phrase) == phrase.lower():
        return None
    spaced = literal(" ").concat(text_column)
    variants = dict.fromkeys((phrase, phrase.lower(), phrase.title(), phrase.upper()))
    return or_(*(text_position(spaced, " " + variant) > 0 for variant in variants))


def where_folded_match(stmt: Any, folded_column: Any, search: str | None) -> Any:
    clause = folded_match(folded_column, search)
    return stmt if clause is None else stmt.where(clause)
