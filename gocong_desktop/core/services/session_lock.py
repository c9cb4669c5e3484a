"""How long the window may sit untouched before it locks (an office setting)."""

from __future__ import annotations

import json

from sqlmodel import Session

from gocong_desktop.core.db.models import AppSetting
from gocong_desktop.core.services.common import int_in_range

SETTING_KEY = "security.idle_lock_minutes"
DEFAULT_MINUTES = 10
MIN_MINUTES, MAX_MINUTES = 1, 240


def idle_lock_minutes(session: Session) -> int:
    setting = session.get(AppSetting, SETTING_KEY)
    value = json.loads(setting.value_json) if setting else None
    return value if isinstance(value, int) and MIN_MINUTES <= value <= MAX_MINUTES else DEFAULT_MINUTES


def set_idle_lock_minutes(session: Session, minutes: int) -> None:
    """Administrators only (the role guard refuses others' setting changes)."""
    value = int_in_range(minutes, field="idle_minutes", label="thời gian khóa màn hình (phút)",
                         low=MIN_MINUTES, high=MAX_MINUTES, required=True)
    session.merge(AppSetting(key=SETTING_KEY, value_json=json.dumps(value)))
