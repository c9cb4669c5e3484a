"""Small helpers shared by the services: validation and record lookup."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import or_
from sqlmodel import Session

from ..errors import NotFoundError, ValidationError
from ..text import nfc, nfc_multiline, search_tokens

T = TypeVar("T")


def required_text(value: str | None, *, field: str, label: str, max_len: int = 200) -> str:
    """NFC-normalised, stripped text that must not be empty."""
    text = nfc(value or "")
    if not text:
        raise ValidationError(f"Chưa nhập {label}.", field=field)
    if len(text) > max_len:
        raise ValidationError(f"{label.capitalize()} quá dài (tối đa {max_len} ký tự).", field=field)
    return text


def optional_text(value: str | None, *, field: str, label: str, max_len: int = 500) -> str | None:
    text = nfc(value or "")
    if len(text) > max_len:
        raise ValidationError(f"{label.capitalize()} quá dài (tối đa {max_len} ký tự).", field=field)
    return text or None


def optional_long_text(value: str | None, *, field: str, label: str, max_len: int = 20000) -> str | None:
    """Multi-line text (notes, minutes content): NFC, line breaks kept."""
    text = nfc_multiline(value or "") or ""
    text = text.strip()
    if len(text) > max_len:
        raise ValidationError(f"{label.capitalize()} quá dài (tối đa {max_len} ký tự).", field=field)
    return text or None


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


def where_folded_match(stmt: Any, folded_column: Any, search: str | None) -> Any:
    clause = folded_match(folded_column, search)
    return stmt if clause is None else stmt.where(clause)
