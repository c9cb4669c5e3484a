"""The backup folders as the settings page and the ``settings`` command change them:
through the session of the office file they belong to, administrators only (as
when they were an office setting), kept on this PC (``core.settings.backup_places``)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.db.access import ensure_admin, ensure_can_write, role_of
from gocong_desktop.core.db.settings import drop_retired_settings
from gocong_desktop.core.settings.backup_places import BackupSettings, read_backup_settings, store_backup_settings


def database_of(session: Session) -> Path:
    return Path(session.get_bind().url.database)


def stored_backup_settings(session: Session) -> BackupSettings:
    """This PC's backup folders for the session's office file."""
    return read_backup_settings(database_of(session))


def save_backup_settings(session: Session, settings: BackupSettings) -> BackupSettings:
    """Check that the folders can be written, then keep them on this PC; the rows
    an older version kept in the office file go in the same session (audited)."""
    ensure_can_write(role_of(session))
    ensure_admin(role_of(session), "thay đổi tài khoản và cài đặt")
    read_backup_settings(database_of(session))  # old rows adopted first: saving one folder keeps the other
    saved = store_backup_settings(database_of(session), settings)
    drop_retired_settings(session)
    return saved
