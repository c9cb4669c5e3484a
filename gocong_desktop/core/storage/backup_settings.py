"""Where a database's backups go: stored in the database itself (``app_setting``),
so the GUI, the CLI and a backup before an import all agree.

Backups go to ``<base>/<database stem>/``; the base is the user's data folder
(``data_dir()/sao-luu``) unless set. A second base (another drive, a USB
stick) receives a verified copy of every backup as well.
"""

from __future__ import annotations

import json
import os
from gocong_desktop.core.sqlite import cipher
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.errors import ValidationError, os_reason
from gocong_desktop.core.paths import data_dir
from gocong_desktop.core.sqlite.raw import connect_readonly

FOLDER_KEY = "backup.folder"
SECOND_FOLDER_KEY = "backup.second_folder"


@dataclass(frozen=True)
class BackupSettings:
    folder: Path | None = None  # base folder; None: the default
    second: Path | None = None  # optional second base folder


def default_base() -> Path:
    return data_dir() / "sao-luu"


def backup_folders(db_path: Path, settings: BackupSettings | None = None) -> tuple[Path, Path | None]:
    """The primary and (optional) second backup folder of ``db_path``."""
    settings = settings if settings is not None else read_backup_settings(db_path)
    stem = Path(db_path).stem
    primary = (settings.folder or default_base()) / stem
    return primary, (settings.second / stem if settings.second else None)


def read_backup_settings(db_path: Path) -> BackupSettings:
    """The stored settings; the defaults when the file cannot tell (new, damaged)."""
    try:
        con = connect_readonly(db_path)
        try:
            rows = dict(con.execute("SELECT key, value_json FROM app_setting WHERE key IN (?, ?)",
                                    (FOLDER_KEY, SECOND_FOLDER_KEY)).fetchall())
        finally:
            con.close()
    except cipher.Error:
        return BackupSettings()
    return BackupSettings(folder=_path(rows.get(FOLDER_KEY)), second=_path(rows.get(SECOND_FOLDER_KEY)))


def stored_backup_settings(session: Session) -> BackupSettings:
    """The stored settings, read through the caller's session."""
    from gocong_desktop.core.db.models import AppSetting

    rows = {key: session.get(AppSetting, key) for key in (FOLDER_KEY, SECOND_FOLDER_KEY)}
    return BackupSettings(*(_path(row.value_json if row else None) for row in rows.values()))


def _path(value_json: str | None) -> Path | None:
    try:
        value = json.loads(value_json) if value_json else None
    except ValueError:
        return None
    return Path(value) if isinstance(value, str) and value else None


def save_backup_settings(session: Session, settings: BackupSettings) -> BackupSettings:
    """Check that the folders can be written, then store them."""
    from gocong_desktop.core.db.models import AppSetting

    folder = _checked(settings.folder, "folder")
    second = _checked(settings.second, "second")
    if second is not None and second == (folder or default_base()).resolve():
        raise ValidationError("Thư mục sao lưu thứ hai phải khác thư mục sao lưu chính.", field="second")
    for key, value in ((FOLDER_KEY, folder), (SECOND_FOLDER_KEY, second)):
        session.merge(AppSetting(key=key, value_json=json.dumps(str(value) if value else None)))
    return BackupSettings(folder=folder, second=second)


def _checked(folder: Path | None, field: str) -> Path | None:
    if folder is None or not str(folder).strip():
        return None
    folder = Path(folder).expanduser()
    if not folder.is_absolute():
        raise ValidationError(f"Hãy chọn đường dẫn đầy đủ cho thư mục sao lưu, ví dụ «D:\\SaoLuu» "
                              f"(không phải «{folder}»).", field=field)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".thu-ghi-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValidationError(f"Không ghi được vào thư mục «{folder}»: {os_reason(exc)}.",
                              field=field) from exc
    return folder.resolve()
