"""Office settings in ``app_setting``: the one way to read and write them.

The key must be declared in the registry (``core.settings.keys``) as an OFFICE
setting and the value must have its type and pass its validation; a stored value
that no longer does reads as the default. Writes go through the caller's session,
so the role guard (administrators only) and the audit log see them.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from gocong_desktop.core.db.models import AppSetting
from gocong_desktop.core.settings.keys import RETIRED_OFFICE_KEYS, declared
from gocong_desktop.core.settings.registry import Scope, Setting, checked, decoded_json, to_json


def read_setting(session: Session, key: str | Setting) -> Any:
    setting = declared(key, Scope.OFFICE)
    row = session.get(AppSetting, setting.key)
    return decoded_json(setting, row.value_json if row is not None else None)


def write_setting(session: Session, key: str | Setting, value: Any) -> Any:
    """Store ``value`` (checked first: ``ValidationError`` leaves the session untouched)."""
    setting = declared(key, Scope.OFFICE)
    value = checked(setting, value)
    session.merge(AppSetting(key=setting.key, value_json=to_json(setting, value)))
    return value


def drop_retired_settings(session: Session) -> None:
    """Delete the rows of settings that no longer live in the office file."""
    for key in RETIRED_OFFICE_KEYS:
        if (row := session.get(AppSetting, key)) is not None:
            session.delete(row)
