"""How long the window may sit untouched before it locks (an office setting)."""

from __future__ import annotations

from sqlmodel import Session

from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.settings.keys import IDLE_LOCK_MINUTES, IDLE_MINUTES_RANGE

SETTING_KEY = IDLE_LOCK_MINUTES.key
DEFAULT_MINUTES = IDLE_LOCK_MINUTES.default
MIN_MINUTES, MAX_MINUTES = IDLE_MINUTES_RANGE


def idle_lock_minutes(session: Session) -> int:
    return read_setting(session, IDLE_LOCK_MINUTES)


def set_idle_lock_minutes(session: Session, minutes: int) -> None:
    """Administrators only (the role guard refuses others' setting changes)."""
    write_setting(session, IDLE_LOCK_MINUTES, minutes)
