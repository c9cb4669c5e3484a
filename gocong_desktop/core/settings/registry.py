"""The registry's machinery: a setting declared once with its key, type, default,
validation and scope; values checked on the way in and decoded on the way out.

``keys.py`` holds the declarations. An office setting lives in the database's
``app_setting`` table and travels with the data (backups, copies); a machine setting
lives in this PC's machine file (``machine_file.py``) and never leaves it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from gocong_desktop.core.errors import NotFoundError, ValidationError

log = logging.getLogger(__name__)

_KIND_WORDS = {bool: "có/không", int: "một số nguyên", str: "một đoạn chữ", dict: "một bảng giá trị",
               list: "một danh sách", Path: "một đường dẫn thư mục"}


class Scope(StrEnum):
    OFFICE = "office"  # app_setting in the database: travels with the data
    MACHINE = "machine"  # this PC's machine file: stays on the PC


class UnknownSettingError(NotFoundError):
    """A key no setting declares."""


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type  # bool, int, str, dict, list or Path (stored as text)
    default: Any
    scope: Scope
    check: Callable[[Any], None] | None = None  # raises ValidationError, in Vietnamese
    nullable: bool = False  # None is a value (e.g. "no second folder")
    per_database: bool = False  # MACHINE: one value per office file on this PC
    also: tuple[type, ...] = ()  # older stored forms still accepted (privacy's first form: a list)


def _is_kind(setting: Setting, value: Any) -> bool:
    if value is None:
        return setting.nullable
    kinds = (setting.kind, *setting.also)
    if isinstance(value, bool):
        return bool in kinds  # True is an int to Python, not to a setting
    return isinstance(value, kinds)


def checked(setting: Setting, value: Any) -> Any:
    """``value`` if it has the setting's type and passes its validation; else ``ValidationError``."""
    if setting.kind is Path and isinstance(value, str):
        value = Path(value) if value.strip() else None
    if not _is_kind(setting, value):
        raise ValidationError(f"Giá trị «{value}» không hợp lệ cho cài đặt «{setting.key}»: "
                              f"cần {_KIND_WORDS[setting.kind]}.", field=setting.key)
    if value is not None and setting.check is not None:
        setting.check(value)
    return value


def encoded(setting: Setting, value: Any) -> Any:
    """The JSON form of a checked value."""
    return str(value) if isinstance(value, Path) else value


def decoded(setting: Setting, stored: Any) -> Any:
    """A stored JSON value back as the setting's type; the default (and a log line)
    when it is missing, of another type or no longer valid."""
    if stored is None:
        return setting.default
    try:
        return checked(setting, Path(stored) if setting.kind is Path and isinstance(stored, str) else stored)
    except ValidationError as exc:
        log.warning("setting %s: stored value refused (%s); using the default", setting.key, exc.message)
        return setting.default


def decoded_json(setting: Setting, value_json: str | None) -> Any:
    """``decoded`` from the text of an ``app_setting`` row."""
    if value_json is None:
        return setting.default
    try:
        return decoded(setting, json.loads(value_json))
    except ValueError:
        log.warning("setting %s: stored text is not JSON; using the default", setting.key)
        return setting.default


def to_json(setting: Setting, value: Any) -> str:
    return json.dumps(encoded(setting, value), ensure_ascii=False)
