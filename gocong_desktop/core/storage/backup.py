"""Backups through SQLite's backup API, each verified before older ones go.

Never a file copy of a live database: the backup API reads a consistent
snapshot even while the app writes. A copy is written under a temporary name,
checked with ``integrity_check`` and only then given its real name, and only
after that are older backups rotated out (``rotation``), so a failed or
damaged copy never costs a good one.

For callers about to change a lot at once (a migration):
``backup_before(db, "truoc-nang-cap")`` returns the verified backup's path or raises
``BackupError`` (then do not go on).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from gocong_desktop.core.errors import DatabaseError, NotFoundError, UserError, os_reason
from gocong_desktop.core.text import slug_ascii
from gocong_desktop.core.storage import backup_file, rotation
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.settings.backup_places import backup_folders
from gocong_desktop.core.sqlite.io_errors import SQLITE_CANTOPEN, SQLITE_READONLY, is_disk_full, sqlite_code
from gocong_desktop.core.sqlite.key_slots import KeySlotsError, SlotTable, key_from_parent, new_data_key, read_table
from gocong_desktop.core.sqlite.raw import APPLICATION_ID, connect_readonly, side_files
from gocong_desktop.core.sqlite.unlocked import LockedError, key_for_path, key_of, remember

log = logging.getLogger(__name__)

MANUAL, ON_CLOSE, DAILY = "thu-cong", "dong-ung-dung", "hang-ngay"
# Imports made "truoc-nhap" backups until an import journal replaced them (issue
# 16, sync/undo.py): those still in a backup folder keep their label.
BEFORE_MIGRATION, BEFORE_IMPORT = "truoc-nang-cap", "truoc-nhap"
REASON_LABELS = {MANUAL: "Sao lưu thủ công", ON_CLOSE: "Khi đóng chương trình", DAILY: "Sao lưu hằng ngày",
                 BEFORE_MIGRATION: "Trước khi nâng cấp dữ liệu", BEFORE_IMPORT: "Trước khi nhập dữ liệu"}
_NAME = re.compile(r"^(?P<stem>.+)_(?P<ts>\d{8}-\d{6})(?:-(?P<n>\d+))?_(?P<reason>[a-z0-9-]+)\.(?:db|gcbak)$")
_STAMP = "%Y%m%d-%H%M%S"
_PARTIAL = ".dang-ghi"  # suffix of a copy still being written and checked
COUNTED = (("household", "hộ"), ("self_managed_group", "tổ"), ("meeting", "cuộc họp"), ("pledge", "cam kết"))


class BackupError(DatabaseError):
    """A backup could not be made or is not usable."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # local time, from the file name
    reason: str
    size: int

    @property
    def label(self) -> str:
        return reason_label(self.reason)


@dataclass
class BackupResult:
    path: Path  # the copy in the primary folder
    second: Path | None = None
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def reason_label(reason: str) -> str:
    for key, label in REASON_LABELS.items():
        if reason == key or reason.startswith(key + "-"):
            return label
    return reason.replace("-", " ").capitalize()


def database_path(db: object) -> Path:
    """A path, or anything with ``.path`` (a ``Database``)."""
    return Path(getattr(db, "path", db)).absolute()


# ---- one verified copy ---------------------------------------------------------

def write_backup(source: str | Path, target: str | Path) -> Path:
    """A consistent, verified copy of ``source`` at ``target`` (never overwritten)."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise NotFoundError(f"Không tìm thấy cơ sở dữ liệu «{source}».")
    if target.exists():
        raise BackupError(f"Tệp «{target}» đã có; hãy chọn tên khác.")
    partial = target.with_name(f".{target.name}{_PARTIAL}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_copy(source, partial)
        verify_backup(partial, name=source.name)
        _sync(partial)  # on disk before it gets a good name: a power cut or a pulled USB stick
        os.replace(partial, target)
        _sync(target.parent)
    except BaseException as exc:
        _remove_quietly([partial, *side_files(partial)])
        if isinstance(exc, UserError) or not isinstance(exc, Exception):
            raise
        raise _failure(exc, source, target) from exc
    return target


def _sync(path: Path) -> None:
    """fsync a file, or a folder (its new entry); folders cannot be opened on Windows."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():  # some filesystems refuse a folder's fsync: the file's own went through
            raise
    finally:
        os.close(fd)


def _remove_quietly(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # e.g. its folder is gone: nothing to clean
            pass


def backup_extension(source: str | Path) -> str:
    """".gcbak" for an encrypted database (its backups carry their slot table), else ".db"."""
    return backup_file.EXTENSION if cipher.is_encrypted(source) or backup_file.is_backup_file(source) else ".db"


def _write_copy(source: Path, target: Path) -> None:
    if backup_file.is_backup_file(source):  # a backup copied on (the second folder)
        shutil.copyfile(source, target)
    elif cipher.is_encrypted(source):
        database = target.with_name(target.name.replace(_PARTIAL, f".csdl{_PARTIAL}"))  # stale: rotated out
        try:
            table = _export_with_own_key(source, database)
            backup_file.pack(database, table, target)
        finally:
            database.unlink(missing_ok=True)
    else:
        _copy_into(source, target)


def _export_with_own_key(source: Path, target: Path) -> SlotTable:
    """An encrypted copy of ``source`` under a new key of its own; returns the slot table
    the backup carries (today's slots sealed to that key, and the key sealed with the
    live file's). Its key is remembered in this process, to verify it at once."""
    live_key, live_table = key_for_path(source), read_table(source)
    key = new_data_key()
    table = live_table.for_backup(live_key, key)
    con = cipher.connect(source, live_key)
    try:
        user_version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute(f"ATTACH DATABASE ? AS copy KEY \"x'{key.hex()}'\"", (str(target),))
        con.execute("SELECT sqlcipher_export('copy')")  # one read transaction: a consistent snapshot
        con.execute(f"PRAGMA copy.user_version = {int(user_version)}")
        con.execute(f"PRAGMA copy.application_id = {APPLICATION_ID}")
        con.execute("DETACH DATABASE copy")
    finally:
        con.close()
    remember(table.key_id, key)
    return table


def _copy_into(source: Path, target: Path) -> None:
    key = key_for_path(source)
    src = cipher.connect(source, key)
    dst = cipher.connect(target, key)  # the same key: the copy is as encrypted as the file
    try:
        src.backup(dst)  # one step: a snapshot consistent even while the app writes
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def verify_backup(path: str | Path, *, name: str | None = None) -> None:
    """Refuse a copy that fails ``integrity_check`` or is not one of our databases.
    ``name``: what to call it in messages (the database a fresh copy was made of)."""
    path = Path(path)
    shown = name or path.name
    with opened_backup(path, shown) as database:
        verify_database(database, shown, name)


@contextmanager
def opened_backup(path: Path, shown: str | None = None) -> Iterator[Path]:
    """The database a backup holds, to read: the file itself, or for a backup file the
    encrypted copy inside it, in a temporary file, with its key unlocked."""
    path, shown = Path(path), shown or Path(path).name
    if not backup_file.is_backup_file(path):
        yield path
        return
    try:
        with backup_file.extracted(path) as (database, table):
            if not cipher.is_encrypted(database):  # a backup file holds only encrypted data
                raise BackupError(f"Bản sao lưu «{shown}» bị hỏng hoặc bị làm giả; không dùng được.")
            _unlock_backup_key(table, shown)
            yield database
    except OSError as exc:
        raise BackupError(f"Không đọc được bản sao lưu «{shown}»: {os_reason(exc)}.") from exc


def _unlock_backup_key(table: SlotTable, shown: str) -> None:
    """A backup's key: known already (made or unlocked here), or opened with the live file's."""
    if key_of(table.key_id) is not None:
        return
    parent = key_of(table.parent_key_id) if table.parent_key_id else None
    key = key_from_parent(table, parent) if parent is not None else None
    if key is None:
        raise LockedError(f"Bản sao lưu «{shown}» được mã hóa: cần mật khẩu của một tài khoản có trong "
                          "bản sao lưu đó (tài khoản và mật khẩu lúc sao lưu).")
    remember(table.key_id, key)


_CHOOSE_ANOTHER = "Không dùng được bản này: hãy chọn một bản sao lưu khác (ví dụ bản gần nhất trước đó)."


def verify_database(path: Path, shown: str, name: str | None = None) -> None:
    """``verify_backup`` of a database file itself (``shown``: its name in messages)."""
    advice = "Bản sao này không dùng được." if name else _CHOOSE_ANOTHER  # a copy just made, or one chosen
    try:
        con = connect_readonly(path, immutable=True)
    except LockedError:
        raise
    except KeySlotsError as exc:  # random bytes with no slot table: damaged, or not ours
        raise BackupError(f"Bản sao lưu «{shown}» bị hỏng hoặc thiếu tệp khóa đi kèm; không dùng được.") from exc
    try:
        try:
            result = [r[0] for r in con.execute("PRAGMA integrity_check")]
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
        finally:
            con.close()
    except cipher.DatabaseError as exc:
        # SQLite's own words ("file is not a database"...) are for the log, not the person.
        log.warning("backup %s unreadable: %s", shown, exc)
        raise BackupError(f"Bản sao lưu «{shown}» bị hỏng: không đọc được dữ liệu bên trong (tệp bị cắt ngắn, "
                          f"chép lỗi hoặc bị sửa). {advice}") from exc
    if result != ["ok"]:
        log.warning("backup %s fails integrity_check: %s", shown, "; ".join(result[:3]))
        raise BackupError(f"Bản sao lưu «{shown}» bị hỏng: kiểm tra toàn vẹn thấy dữ liệu bên trong bị lỗi. "
                          f"{advice}")
    if app_id != APPLICATION_ID:
        what = "dữ liệu" if name else "bản sao lưu"  # copying a database, or choosing a backup
        raise BackupError(f"Tệp «{shown}» không phải {what} của gocong_desktop.")


def _failure(exc: Exception, source: Path, target: Path) -> BackupError:
    if is_disk_full(exc):
        return BackupError(f"Không đủ chỗ trống trong «{target.parent}» để sao lưu. Các bản sao lưu "
                           "trước và dữ liệu đang dùng không bị ảnh hưởng.")
    if isinstance(exc, OSError):
        return BackupError(f"Không ghi được bản sao lưu vào «{target.parent}»: {os_reason(exc)}.")
    if sqlite_code(exc) in (SQLITE_CANTOPEN, SQLITE_READONLY):  # the source opened fine: the folder is read-only
        return BackupError(f"Không ghi được bản sao lưu vào «{target.parent}»: thư mục chỉ đọc hoặc không có "
                           "quyền ghi. Hãy chọn thư mục khác.")
    if isinstance(exc, cipher.DatabaseError):
        return BackupError(f"Không sao lưu được «{source.name}»: dữ liệu không đọc được ({exc}).")
    return BackupError(f"Không sao lưu được «{source.name}» ({exc}).")


# ---- the app's automatic backups -----------------------------------------------

def backup_now(db: object, reason: str, *, now: datetime | None = None) -> BackupResult:
    """A verified backup in the backup folder (and the second one, if set), then rotation.
    A failure with the second folder (a USB stick not plugged in) is a warning."""
    path, now = database_path(db), now or datetime.now()
    slug = slug_ascii(reason) or MANUAL
    primary, second = backup_folders(path)
    target = write_backup(path, free_name(primary, path.stem, now, slug, backup_extension(path)))
    result = BackupResult(path=target, removed=rotate(primary, path.stem, now=now))
    if second is not None:
        try:
            result.second = write_backup(target, free_name(second, path.stem, now, slug, target.suffix))
            result.removed += rotate(second, path.stem, now=now)
        except UserError as exc:
            result.warnings.append(f"Chưa sao lưu được vào thư mục thứ hai: {exc.message}")
    log.info("backup of %s (%s) at %s", path, slug, target)
    return result


def backup_before(db: object, reason: str) -> Path:
    """A verified backup before an operation that changes much at once; kept at least
    7 days whatever the rotation. Raises ``BackupError``: then do not go on."""
    slug = slug_ascii(reason) or "thao-tac"
    if not slug.startswith(rotation.BEFORE_PREFIX):
        slug = rotation.BEFORE_PREFIX + slug
    return backup_now(db, slug).path


def free_name(folder: Path, stem: str, now: datetime, slug: str, extension: str) -> Path:
    stamp, n = now.strftime(_STAMP), 0
    while True:
        name = f"{stem}_{stamp}{f'-{n}' if n else ''}_{slug}{extension}"
        if not (folder / name).exists():
            return folder / name
        n += 1


# ---- listing and rotation ------------------------------------------------------

def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """Backups in ``folder`` (of the database named ``stem``), newest first."""
    found = []  # (sort key, info): same second -> by counter, then by write time
    try:
        entries = list(Path(folder).iterdir())
    except OSError:  # no folder yet, or a USB stick not plugged in
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or (stem is not None and match["stem"] != stem):
            continue
        try:
            taken_at, stat = datetime.strptime(match["ts"], _STAMP), entry.stat()
        except (ValueError, OSError):
            continue
        key = (taken_at, int(match["n"] or 0), stat.st_mtime_ns)
        found.append((key, BackupInfo(entry, taken_at, match["reason"], stat.st_size)))
    return [info for _key, info in sorted(found, key=lambda pair: pair[0], reverse=True)]


def all_backups(db: object) -> list[BackupInfo]:
    """Backups of ``db`` in both folders, newest first; a name in both is listed once."""
    path = database_path(db)
    primary, second = backup_folders(path)
    seen, result = set(), []
    for folder in (primary, second):
        for info in list_backups(folder, path.stem) if folder else []:
            if info.path.name not in seen:
                seen.add(info.path.name)
                result.append(info)
    return sorted(result, key=lambda b: b.taken_at, reverse=True)  # stable: primary first on ties


def last_backup(db: object) -> BackupInfo | None:
    backups = list_backups(backup_folders(database_path(db))[0], database_path(db).stem)
    return backups[0] if backups else None


def rotate(folder: Path, stem: str, *, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy no longer keeps; returns what was deleted."""
    now = now or datetime.now()
    backups = list_backups(folder, stem)
    kept = rotation.keep([rotation.Dated(b.path, b.taken_at, b.reason) for b in backups], now)
    removed = []
    for info in backups:
        if info.path not in kept:
            try:
                info.path.unlink()
                removed.append(info.path)
            except OSError as exc:
                log.warning("cannot remove old backup %s: %s", info.path, exc)
    _remove_stale_partials(folder)
    return removed


def _remove_stale_partials(folder: Path) -> None:
    """Copies left half-written by a power cut (an hour old: not one being written now)."""
    for leftover in Path(folder).glob(f".*{_PARTIAL}"):
        try:
            if time.time() - leftover.stat().st_mtime > 3600:
                leftover.unlink()
        except OSError:
            pass


def record_counts(path: Path) -> dict[str, int] | None:
    """Live records per kind ("hộ", "tổ", ...) in a backup; None if it cannot be read."""
    if backup_file.is_backup_file(path):
        try:
            with opened_backup(Path(path)) as database:
                return record_counts(database)
        except UserError:
            return None
    try:
        con = connect_readonly(path, immutable=True)
        try:
            return {label: con.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
                    for table, label in COUNTED}
        finally:
            con.close()
    except cipher.Error:
        return None
