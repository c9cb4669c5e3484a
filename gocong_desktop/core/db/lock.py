"""One running app per database: a lock file beside it, held with an OS lock.

The OS lets go of the lock when its process dies (a crash, a power cut, kill -9),
so a lock file left behind is recognised as stale and taken over. Because a
clean close removes the file, finding one also says that the last session did
not close cleanly: the start-up check then runs a full ``integrity_check``.
Where the filesystem cannot lock (some network shares), the process id written
in the file is checked instead.

Within one process the lock is re-entrant (reopening the same file after a
restore); each ``acquire_lock`` needs its ``release``.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import DatabaseError, os_reason

_WIN_LOCK_OFFSET = 1 << 30  # lock a byte far past the text, so others can still read who holds it


class DatabaseInUseError(DatabaseError):
    """Another running app (or command) has the database open."""


class _CannotLock(Exception):
    """The filesystem does not support OS locks here."""


@dataclass(eq=False)
class DatabaseLock:
    db_path: Path
    path: Path  # the lock file
    unclean: bool  # a lock file was left behind: the last session did not close cleanly
    _fd: int | None = None
    _count: int = 1

    def release(self) -> None:
        if self._fd is None:
            return
        self._count -= 1
        if self._count > 0:
            return
        _held.pop(self.db_path, None)
        fd, self._fd = self._fd, None
        if sys.platform == "win32":
            _os_unlock(fd)
            os.close(fd)
        try:
            self.path.unlink()  # POSIX: while still locked, so no one locks a file about to vanish
        except OSError:
            pass
        if sys.platform != "win32":
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


_held: dict[Path, DatabaseLock] = {}


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


def acquire_lock(db_path: str | Path) -> DatabaseLock:
    """Lock ``db_path`` for this process, or raise ``DatabaseInUseError``."""
    db_path = Path(db_path).absolute()
    if (held := _held.get(db_path)) is not None and held.held:
        held._count += 1
        return held
    for _attempt in range(5):
        lock = _try_acquire(db_path)
        if lock is not None:
            _held[db_path] = lock
            return lock
    raise DatabaseError(f"Không khóa được tệp «{lock_path(db_path)}»; hãy thử mở lại.")


def _try_acquire(db_path: Path) -> DatabaseLock | None:
    path = lock_path(db_path)
    existed = path.exists()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except OSError as exc:
        raise DatabaseError(f"Không tạo được tệp khóa «{path}»: {os_reason(exc)}.") from exc
    try:
        owner = read_owner(path)
        if not _lock_or_check_owner(fd, owner):
            raise DatabaseInUseError(in_use_message(db_path, owner))
        if not _same_file(fd, path):  # its owner removed it meanwhile: start again
            os.close(fd)
            return None
        _write_owner(fd)
    except BaseException:
        os.close(fd)
        raise
    return DatabaseLock(db_path, path, unclean=existed or owner is not None, _fd=fd)


def _lock_or_check_owner(fd: int, owner: dict | None) -> bool:
    try:
        return _os_lock(fd)
    except _CannotLock:
        return not (owner and _owner_alive(owner))


def _os_lock(fd: int) -> bool:
    """True when locked; False when another process holds the lock."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        raise _CannotLock() from exc
    return True


def _os_unlock(fd: int) -> None:
    import msvcrt

    os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except OSError:
        pass


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _write_owner(fd: int) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
             "since": datetime.now().isoformat(timespec="seconds")}
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(owner, ensure_ascii=False).encode("utf-8"))


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows set-ups
        return "?"


def read_owner(path: Path) -> dict | None:
    """Who wrote the lock file (pid, host, user, since), if it says."""
    try:
        owner = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def _owner_alive(owner: dict) -> bool:
    if owner.get("host") != socket.gethostname():
        return True  # another PC: its processes cannot be seen from here
    pid = owner.get("pid")
    return isinstance(pid, int) and pid != os.getpid() and pid_alive(pid)


def pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x00100000 | 0x1000, False, pid)  # SYNCHRONIZE | QUERY_LIMITED
        if not handle:
            return False
        try:
            return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: still running
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def in_use_message(db_path: Path, owner: dict | None) -> str:
    detail = ""
    if owner:
        since = owner.get("since", "")
        try:
            when = datetime.fromisoformat(since).strftime(" từ %H:%M ngày %d/%m/%Y")
        except (TypeError, ValueError):
            when = ""
        detail = f" (máy {owner.get('host', '?')}, người dùng {owner.get('user', '?')}{when})"
    return (f"Tệp dữ liệu «{db_path.name}» đang được mở ở một cửa sổ gocong_desktop khác{detail}. "
            "Mỗi tệp dữ liệu chỉ mở ở một nơi một lúc để không ghi đè lên nhau: hãy dùng cửa sổ "
            "đang mở, hoặc đóng cửa sổ đó rồi mở lại.")
