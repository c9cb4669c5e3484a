"""The office's settings page as one unit: read together, saved together."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from gocong_desktop.core.services import pledge_violations, privacy, session_lock


@dataclass(frozen=True)
class OfficeSettings:
    idle_minutes: int
    personal_fields: frozenset[str]
    include_violations: bool


def load_settings(session: Session) -> OfficeSettings:
    return OfficeSettings(idle_minutes=session_lock.idle_lock_minutes(session),
                          personal_fields=frozenset(privacy.sync_personal_fields(session)),
                          include_violations=pledge_violations.include_violations_in_sync(session))


def save_settings(session: Session, settings: OfficeSettings) -> None:
    """All three in one session: saved together or not at all (administrators
    only: the role guard refuses anyone else's change to a setting)."""
    session_lock.set_idle_lock_minutes(session, settings.idle_minutes)
    privacy.set_sync_personal_fields(session, settings.personal_fields)
    pledge_violations.set_include_violations_in_sync(session, settings.include_violations)
    session.flush()
