"""Where an office file's backups go: machine settings of this PC, per office file
(keyed by its resolved path), so a backup restored or copied to another PC never
points at this one's folders.

Backups go to ``<base>/<database stem>/``; the base is the user's data folder
(``data_dir()/sao-luu``) unless set. A second base (another drive, a USB stick)
receives a verified copy of every backup as well.

Older versions kept the two folders in the office file's ``app_setting``. The first
time this PC has no entry for a file that still holds them, they are adopted once;
from then on the machine file is the truth (the old rows go at the next save, see
``core.services.backup_folders``).
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gocong_desktop.core.errors import ValidationError, os_reason
from gocong_desktop.core.paths import data_dir
from gocong_desktop.core.settings.keys import BACKUP_FOLDER, BACKUP_SECOND_FOLDER, RETIRED_OFFICE_KEYS
from gocong_desktop.core.settings.machine import is_set, read_machine, write_machine
from gocong_desktop.core.settings.registry import decoded_json
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.sqlite.raw import connect_readonly

log = logging.getLogger(__name__)


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
    """This PC's choice for ``db_path``; the old rows of the office file, adopted
    once, when this PC has none yet; else the defaults."""
    if is_set(BACKUP_FOLDER, database=db_path) or is_set(BACKUP_SECOND_FOLDER, database=db_path):
        return BackupSettings(read_machine(BACKUP_FOLDER, database=db_path),
                              read_machine(BACKUP_SECOND_FOLDER, database=db_path))
    old = retired_backup_settings(db_path)
    if old is not None:
        write_machine({BACKUP_FOLDER: old.folder, BACKUP_SECOND_FOLDER: old.second}, database=db_path)
        log.info("backup folders of %s adopted from the office file: %s", db_path, old)
        return old
    return BackupSettings()


def retired_backup_settings(db_path: Path) -> BackupSettings | None:
    """The folders an older version stored in the office file; None when it stored
    none (or the file cannot tell: new, damaged, locked)."""
    try:
        con = connect_readonly(db_path)
        try:
            rows = dict(con.execute("SELECT key, value_json FROM app_setting WHERE key IN (?, ?)",
                                    RETIRED_OFFICE_KEYS).fetchall())
        finally:
            con.close()
    except (cipher.Error, OSError, ValueError) as exc:
        log.debug("no old backup settings read from %s (%s)", db_path, exc)
        return None
    if not rows:
        return None
    return BackupSettings(decoded_json(BACKUP_FOLDER, rows.get(BACKUP_FOLDER.key)),
                          decoded_json(BACKUP_SECOND_FOLDER, rows.get(BACKUP_SECOND_FOLDER.key)))


def store_backup_settings(db_path: Path, settings: BackupSettings) -> BackupSettings:
    """Check that the folders can be written, then keep them for ``db_path`` on this PC."""
    folder = _checked(settings.folder, "folder")
    second = _checked(settings.second, "second")
    if second is not None and second == (folder or default_base()).resolve():
        raise ValidationError("Thư mục sao lưu thứ hai phải khác thư mục sao lưu chính.", field="second")
    write_machine({BACKUP_FOLDER: folder, BACKUP_SECOND_FOLDER: second}, database=db_path)
    return BackupSettings(folder=folder, second=second)


def _checked(folder: Path | None, field: str) -> Path | None:
    if folder is None or not str(folder).strip():
        return None
    folder = Path(folder).expanduser()
    try:
        BACKUP_FOLDER.check(folder)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".thu-ghi-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValidationError(f"Không ghi được vào thư mục «{folder}»: {os_reason(exc)}.",
                              field=field) from exc
    return folder.resolve()
