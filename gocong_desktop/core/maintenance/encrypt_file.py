"""Encrypting a plain database from an earlier version, so a power cut never loses it.

The encrypted copy is written and verified beside the file under a temporary
name, with its slot table; a verified encrypted backup is made from it; only
then do the two files take the database's place, slot table first. Whether a
file is encrypted is told by its first bytes (``cipher``), so at every moment
exactly one of the two opens: before the last rename the plain file (a new
slot table beside it changes nothing), after it the encrypted one. A full disk
stops the work before anything is renamed: the plain file stays as it was.

Afterwards the plain copies this app made itself (its backups, the copies set
aside before a restore or an import) are removed; the result says which could
not be (a second backup folder on a USB stick not plugged in, say).

Only the administrator doing it has a password to wrap the key with: the other
accounts need a new password from an administrator before they sign in, and
the administrator gets a new recovery code (codes were stored only as hashes).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gocong_desktop.core.errors import DatabaseError, PermissionDeniedError, os_reason
from gocong_desktop.core.storage import backup
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.storage.backup_file import is_backup_file
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db import changes
from gocong_desktop.core.db.changes import EVERYTHING
from gocong_desktop.core.settings.backup_places import backup_folders
from gocong_desktop.core.db.engine import APPLICATION_ID, open_database
from gocong_desktop.core.sqlite.io_errors import is_disk_full
from gocong_desktop.core.sqlite.key_slots import new_data_key, new_table, sync_folder, table_path, write_table
from gocong_desktop.core.sqlite.raw import connect, connect_readonly, side_files, tables
from gocong_desktop.core.sqlite.unlocked import remember

log = logging.getLogger(__name__)
STAGED_SUFFIX = ".ma-hoa"
AFTER_TAG = "sau-ma-hoa"
_ASIDE_TAGS = ("truoc-", "bi-hong")  # copies set aside beside the file (restore, import, damage)


@dataclass
class EncryptResult:
    path: Path
    backup: Path  # the verified encrypted backup
    recovery_code: str  # the administrator's new code: show it once
    need_password: list[str] = field(default_factory=list)  # accounts with no key slot yet
    removed: list[Path] = field(default_factory=list)
    not_removed: list[tuple[Path, str]] = field(default_factory=list)  # (file or folder, why)


def step(name: str) -> None:
    """A point a power cut may fall on (the tests stop the process at each)."""
    log.debug("encrypting: %s", name)


def staged_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}{STAGED_SUFFIX}")


def encrypt_database(db_path: str | Path, admin: Principal, secure_accounts, *,
                     now: datetime | None = None) -> EncryptResult:
    """Encrypt the plain database at ``db_path`` (closed by every other connection;
    the caller holds its lock). ``admin``: the administrator who signed in to it;
    ``secure_accounts(session) -> (code, need_password)`` gives the staged copy's
    accounts their key slots (the account service knows how)."""
    db_path = Path(db_path).absolute()
    if admin.role != Role.ADMIN:
        raise PermissionDeniedError("Chỉ quản trị viên mới được mã hóa dữ liệu.")
    if not db_path.is_file() or cipher.is_encrypted(db_path):
        raise DatabaseError(f"Tệp «{db_path}» đã được mã hóa hoặc không có.")
    staged = staged_path(db_path)
    _remove([staged, *side_files(staged)])  # from an attempt cut short
    try:
        key = _write_encrypted_copy(db_path, staged, admin)
        _verify_same_data(db_path, staged, key)
        code, need_password = _secure(staged, key, admin, secure_accounts)
        kept = _backup_of(staged, db_path, now)
    except BaseException as exc:
        _remove([staged, *side_files(staged)])
        if (friendly := _storage_failure(exc, db_path)) is not None:
            raise friendly from exc
        raise
    _swap_in(staged, db_path)
    changes.report(EVERYTHING)  # another file in place: every screen reads it afresh
    result = EncryptResult(path=db_path, backup=kept, recovery_code=code, need_password=need_password)
    _remove_plain_copies(db_path, result)
    log.info("encrypted %s (backup %s)", db_path, kept)
    return result


def _write_encrypted_copy(db_path: Path, staged: Path, admin: Principal) -> bytes:
    key = new_data_key()
    plain = connect(db_path, key=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every commit in the main file
        user_version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(staged),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute(f"PRAGMA encrypted.user_version = {int(user_version)}")
        plain.execute(f"PRAGMA encrypted.application_id = {APPLICATION_ID}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    step("exported")
    table = new_table(key)
    write_table(staged, table)
    remember(table.key_id, key, admin.username)  # they open it next, without typing the password again
    step("staged-slots")
    return key


def _secure(staged: Path, key: bytes, admin: Principal, secure_accounts) -> tuple[str, list[str]]:
    db = open_database(staged, key=key)
    try:
        db.user = admin
        with db.session() as session:
            code, need_password = secure_accounts(session)
    finally:
        db.close()
    step("accounts")
    return code, need_password


def _verify_same_data(db_path: Path, staged: Path, key: bytes) -> None:
    old, new = connect_readonly(db_path, key=None), connect_readonly(staged, key=key, immutable=False)
    try:
        if [r[0] for r in new.execute("PRAGMA integrity_check")] != ["ok"]:
            raise DatabaseError("Bản mã hóa vừa tạo không qua được kiểm tra toàn vẹn; dữ liệu cũ giữ nguyên.")
        for table in tables(old):
            if table == "account":
                continue  # its secrets were just moved into key slots
            count = f'SELECT count(*) FROM "{table}"'
            if old.execute(count).fetchone() != new.execute(count).fetchone():
                raise DatabaseError(f"Bản mã hóa thiếu dữ liệu của bảng «{table}»; dữ liệu cũ giữ nguyên.")
    finally:
        old.close()
        new.close()
    step("verified")


def _backup_of(staged: Path, db_path: Path, now: datetime | None) -> Path:
    primary, _second = backup_folders(db_path)
    target = backup.free_name(primary, db_path.stem, now or datetime.now(), AFTER_TAG, ".gcbak")
    backup.write_backup(staged, target)
    step("backup")
    return target


def _swap_in(staged: Path, db_path: Path) -> None:
    for side in side_files(db_path)[:3]:  # a -wal of the plain file must never meet the new one
        side.unlink(missing_ok=True)
    os.replace(table_path(staged), table_path(db_path))
    sync_folder(db_path.parent)
    step("slots-in-place")  # the plain file still opens: its first bytes say it is plain
    os.replace(staged, db_path)
    sync_folder(db_path.parent)
    step("swapped")


# ---- the plain copies left behind -----------------------------------------------------

def _remove_plain_copies(db_path: Path, result: EncryptResult) -> None:
    primary, second = backup_folders(db_path)
    for folder in (primary, second):
        if folder is None:
            continue
        if not folder.is_dir():
            if folder == second:
                result.not_removed.append((folder, "thư mục sao lưu thứ hai không truy cập được"))
            continue
        for info in backup.list_backups(folder, db_path.stem):
            _remove_if_plain(info.path, result)
    for aside in db_path.parent.glob(f"{db_path.stem}.*"):
        if aside.name.startswith(tuple(f"{db_path.stem}.{tag}" for tag in _ASIDE_TAGS)):
            _remove_if_plain(aside, result)


def _remove_if_plain(path: Path, result: EncryptResult) -> None:
    if not path.is_file() or cipher.is_encrypted(path) or is_backup_file(path):
        return
    if not _is_ours(path):
        return
    for item in (path, *side_files(path)[:3]):
        try:
            if item.exists():
                item.unlink()
                if item == path:
                    result.removed.append(path)
        except OSError as exc:
            result.not_removed.append((item, os_reason(exc)))


def _is_ours(path: Path) -> bool:
    try:
        con = connect_readonly(path, key=None)
        try:
            return con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        finally:
            con.close()
    except cipher.Error:
        return False


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def _storage_failure(exc: BaseException, db_path: Path) -> DatabaseError | None:
    if is_disk_full(exc):
        return DatabaseError(f"Không đủ chỗ trống cạnh «{db_path}» để mã hóa dữ liệu (cần khoảng gấp đôi dung "
                             "lượng tệp). Dữ liệu chưa mã hóa vẫn giữ nguyên; hãy dọn bớt ổ đĩa rồi thử lại.")
    if isinstance(exc, backup.BackupError):
        return DatabaseError(f"Không tạo được bản sao lưu đã mã hóa ({exc.message}). Dữ liệu vẫn giữ nguyên, "
                             "chưa mã hóa.")
    return None
