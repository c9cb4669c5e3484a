"""Restoring a backup: the current database is set aside, never deleted.

Order matters for a power cut at any moment: the backup is first copied and
verified beside the database under a temporary name (if the disk is full,
nothing has changed yet); then the current file, with its -wal and -shm, is
renamed aside (together, so the aside copy still opens with its last commits);
then the copy takes the database's name. The caller must hold the database's
lock (so that no other writer is at work) and have closed its connections.

Before anything, the backup is checked to be this office's (``restore_checks``):
another office's or role's needs its name confirmed, and a backup without an
administrator is never put over a file protected by accounts.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from gocong_desktop.core.errors import DatabaseError, NotFoundError, os_reason
from gocong_desktop.core.storage import backup_file
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.storage.backup import opened_backup, verify_backup, verify_database, write_backup
from gocong_desktop.core.db.engine import APPLICATION_ID
from gocong_desktop.core.db import changes
from gocong_desktop.core.db.changes import EVERYTHING
from gocong_desktop.core.storage.incarnation import RESTORE, file_clock, fork_file
from gocong_desktop.core.storage.interrupted import move_staged_into_place, staged_restore
from gocong_desktop.core.db.migrate import check_before_open
from gocong_desktop.core.sqlite.raw import side_files
from gocong_desktop.core.maintenance.restore_checks import check_backup_owner

log = logging.getLogger(__name__)


def aside_path(db_path: Path, now: datetime | None = None, *, tag: str = "truoc-khoi-phuc") -> Path:
    """A free name beside ``db_path``: "gocong.truoc-khoi-phuc-20261129-081500.db"."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".db"
    candidate, n = db_path.with_name(f"{db_path.stem}.{tag}-{stamp}{suffix}"), 1
    while candidate.exists():
        candidate = db_path.with_name(f"{db_path.stem}.{tag}-{stamp}-{n}{suffix}")
        n += 1
    return candidate


def set_aside(db_path: Path, *, tag: str = "truoc-khoi-phuc", now: datetime | None = None) -> Path | None:
    """Rename the database and its side files out of the way; None if there was none."""
    if not db_path.exists():
        return None
    target = aside_path(db_path, now, tag=tag)
    moved: list[tuple[Path, Path]] = []
    try:
        for src, dst in [(db_path, target), *zip(side_files(db_path), side_files(target))]:
            if src.exists():
                os.replace(src, dst)
                moved.append((src, dst))
    except OSError:
        # All or nothing: a -wal left behind would be replayed into the restored file.
        for src, dst in reversed(moved):
            os.replace(dst, src)
        raise
    log.info("set %s aside as %s", db_path, target)
    return target


def check_restore(db_path: str | Path, backup: str | Path, *, confirm_office: str | None = None) -> None:
    """Every check ``restore_backup`` makes before touching anything (a window asks
    first, to offer typing the office's name): the backup is sound, not from a
    newer version, and this office's (or confirmed)."""
    db_path, backup = Path(db_path).absolute(), Path(backup).absolute()
    if not backup.is_file():
        raise NotFoundError(f"Không tìm thấy bản sao lưu «{backup}».")
    if backup == db_path:
        raise DatabaseError("Bản sao lưu và tệp dữ liệu là cùng một tệp.")
    if cipher.is_encrypted(db_path) and not backup_file.is_backup_file(backup):
        raise DatabaseError(f"«{backup.name}» là bản sao lưu chưa mã hóa (của phiên bản trước): không khôi phục đè lên "
                            "dữ liệu đã mã hóa, để dữ liệu không trở lại dạng ai cũng đọc được. Nếu cần số liệu "
                            "trong đó, hãy mở nó như một tệp dữ liệu riêng rồi mã hóa.")
    with opened_backup(backup) as database:  # a backup file is read out once for all three checks
        verify_database(database, backup.name)
        check_before_open(database, APPLICATION_ID)  # one from a newer version would lock this one out
        check_backup_owner(db_path, database, confirm_office=confirm_office, name=backup.name)


def _stage(backup: Path, staged: Path) -> None:
    """The backup's database, verified, at ``staged`` (with its slot table, if encrypted)."""
    if backup_file.is_backup_file(backup):
        backup_file.extract(backup, staged)
        verify_backup(staged)
    else:
        write_backup(backup, staged)


def restore_backup(db_path: str | Path, backup: str | Path, *, tag: str = "truoc-khoi-phuc",
                   now: datetime | None = None, confirm_office: str | None = None) -> Path | None:
    """Put ``backup`` in place of ``db_path``; returns where the previous file was
    kept. ``confirm_office``: the name an administrator typed to restore another
    office's backup (``OtherOfficeBackup`` says which)."""
    db_path, backup = Path(db_path).absolute(), Path(backup).absolute()
    check_restore(db_path, backup, confirm_office=confirm_office)
    staged = staged_restore(db_path)
    for leftover in (staged, *side_files(staged)):
        leftover.unlink(missing_ok=True)  # from an earlier attempt cut short
    replaced = file_clock(db_path) if db_path.exists() else None
    _stage(backup, staged)
    fork_file(staged, RESTORE, replaced=replaced)  # edits from now on must never pass for the ones lost
    try:
        aside = set_aside(db_path, tag=tag, now=now)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise DatabaseError(f"Không đổi tên được tệp dữ liệu hiện tại «{db_path}» ({os_reason(exc)}); "
                            "chưa khôi phục, dữ liệu giữ nguyên.") from exc
    move_staged_into_place(staged, db_path)
    changes.report(EVERYTHING)  # another file in place: every screen reads it afresh
    log.info("restored %s from %s (previous kept as %s)", db_path, backup, aside)
    return aside
