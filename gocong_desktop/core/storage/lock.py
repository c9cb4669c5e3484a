"""One writer per database: a lock file beside it, held with an OS lock by the
open window for as long as it is open, and by each CLI command that writes
(import, restore, account changes...) for as long as it runs. Read-only
commands do not take it. The file says who holds it, so whoever finds it taken
is told: the window, or which command.

The OS lets go of the lock when its process dies (a crash, a power cut, kill -9),
so a lock file left behind is recognised as stale and taken over. Because a
clean close removes the file, finding one also says that the last session did
not close cleanly: the window's start-up check then runs a full
``integrity_check`` (a command that finds one leaves it for the window).
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
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from gocong_desktop.core.errors import DatabaseError, os_reason

_WIN_LOCK_OFFSET = 1 << 30  # lock a byte far past the text, so others can still read who holds it
APP = "app"  # the holder when the window has the file open; otherwise a command's name, e.g. "import"
CLOSING = "app-closing"  # the window closed; its process finishes the backup on close, then lets go
POLL_S = 0.2  # how often a waiting writer asks again


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
    keep_file: bool = False  # unclean, and not checked here: the window's start-up check must still see it

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
            if not self.keep_file:
                self.path.unlink()  # POSIX: while still locked, so no one locks a file about to vanish
        except OSError:
            pass
        if sys.platform != "win32":
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def mark(self, holder: str) -> None:
        """Say who holds the lock now (e.g. ``CLOSING``): what a refused opener is told."""
        if self._fd is not None:
            _write_owner(self._fd, holder)


_held: dict[Path, DatabaseLock] = {}


def held_lock(db_path: str | Path) -> DatabaseLock | None:
    """This process's lock on ``db_path``, if it holds one."""
    lock = _held.get(Path(db_path).absolute())
    return lock if lock is not None and lock.held else None


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


def acquire_lock(db_path: str | Path, *, holder: str = APP, wait: float = 0.0,
                 on_wait: Callable[[str], None] | None = None) -> DatabaseLock:
    """Lock ``db_path`` for this process, or raise ``DatabaseInUseError`` naming who
    holds it. ``holder``: ``APP`` (the window) or the command taking it. With
    ``wait`` (seconds), a lock held elsewhere is asked for again until then;
    ``on_wait`` is told once, with the message, when waiting starts."""
    db_path = Path(db_path).absolute()
    if (held := _held.get(db_path)) is not None and held.held:
        held._count += 1
        return held
    deadline = time.monotonic() + wait
    while True:
        try:
            lock = _acquire_once(db_path, holder)
        except DatabaseInUseError as exc:
            if time.monotonic() >= deadline:
                raise DatabaseInUseError(exc.message + (f" Đã chờ {wait:g} giây." if wait else "")) from None
            if on_wait is not None:
                on_wait(exc.message)
                on_wait = None
            time.sleep(POLL_S)
            continue
        _held[db_path] = lock
        return lock


def _acquire_once(db_path: Path, holder: str) -> DatabaseLock:
    for _attempt in range(5):
        lock = _try_acquire(db_path, holder)
        if lock is not None:
            return lock
    raise DatabaseError(f"Không khóa được tệp «{lock_path(db_path)}»; hãy thử mở lại.")


def _try_acquire(db_path: Path, holder: str) -> DatabaseLock | None:
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
        _write_owner(fd, holder)
    except BaseException:
        os.close(fd)
        raise
    unclean = existed or owner is not None
    return DatabaseLock(db_path, path, unclean=unclean, _fd=fd, keep_file=unclean and holder != APP)


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


def _write_owner(fd: int, holder: str) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(), "holder": holder,
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
        detail = f" (máy {_shown(owner.get('host'))}, người dùng {_shown(owner.get('user'))}{when})"
    holder = (owner or {}).get("holder", APP)
    if holder == CLOSING:
        return (f"Tệp dữ liệu «{db_path.name}» vừa được đóng; chương trình đang hoàn tất việc sao lưu và "
                f"kiểm tra dữ liệu{detail}. Hãy chờ vài giây cho xong rồi mở lại.")
    if holder == APP:  # also a lock file written before holders were recorded
        return (f"Tệp dữ liệu «{db_path.name}» đang được mở ở một cửa sổ gocong_desktop khác{detail}. "
                "Mỗi tệp dữ liệu chỉ một nơi ghi một lúc để không ghi đè lên nhau: hãy dùng cửa sổ "
                "đang mở, hoặc đóng cửa sổ đó rồi thử lại.")
    return (f"Tệp dữ liệu «{db_path.name}» đang được lệnh «gocong-desktop {_shown(holder)}» ghi{detail}. "
            "Mỗi tệp dữ liệu chỉ một nơi ghi một lúc để không ghi đè lên nhau: hãy chờ lệnh đó xong "
            "rồi thử lại.")


def _shown(value: object) -> str:
    """A field of the lock file, as safe to print (any process may have written it)."""
    text = "".join(ch for ch in str(value if value is not None else "?") if ch.isprintable())
    return text[:60] or "?"
