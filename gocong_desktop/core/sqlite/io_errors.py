"""Storage failures (disk full, I/O error, read-only folder) told in words people act on.

SQLite rolls the transaction back on such errors, so earlier data is intact;
the message says so, because "is my data gone?" is the first question asked.
"""

from __future__ import annotations

import errno
from pathlib import Path

from gocong_desktop.core.errors import DatabaseError

# Primary SQLite result codes (the low byte of an extended code).
SQLITE_ERROR, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = \
    1, 5, 6, 8, 10, 13, 14

_KEPT = " Dữ liệu đã lưu trước đó không bị ảnh hưởng; thay đổi vừa rồi chưa được lưu."
_MESSAGES = {
    SQLITE_FULL: "Ổ đĩa chứa «{path}» đã đầy, không ghi thêm được." + _KEPT
                 + " Hãy xóa bớt tệp không cần thiết trên ổ đĩa đó rồi thử lại.",
    SQLITE_IOERR: "Lỗi đọc/ghi ổ đĩa khi ghi «{path}» (ổ đĩa đầy, ổ đĩa rời bị rút ra, mất mạng hoặc ổ đĩa hỏng)."
                  + _KEPT + " Hãy kiểm tra ổ đĩa rồi thử lại.",
    SQLITE_READONLY: "Không có quyền ghi vào «{path}» (tệp hoặc thư mục chỉ đọc)." + _KEPT,
    # Another program holds a write on the file past the busy wait (a copy of the app on a
    # network share, a database browser, a backup tool): nothing of ours is wrong.
    SQLITE_BUSY: "Tệp dữ liệu «{path}» đang bận: một chương trình khác đang ghi vào tệp này (cửa sổ gocong_desktop "
                 "khác, công cụ xem cơ sở dữ liệu hoặc sao lưu)." + _KEPT
                 + " Hãy chờ ít giây rồi bấm lưu lại; nếu vẫn bận, đóng chương trình kia.",
    # WAL needs its -wal/-shm files beside the database: a read-only folder (a locked
    # USB stick, a CD) cannot even be read from.
    SQLITE_CANTOPEN: "Không mở được «{path}»: thư mục chứa tệp chỉ đọc, không có quyền ghi, hoặc ổ đĩa "
                     "không sẵn sàng. Hãy chép tệp vào một thư mục trên ổ đĩa của máy rồi mở bản chép.",
}


# SQLite's own message for each code: an error passed on inside SQL (SQLCipher's
# sqlcipher_export) carries only the generic code 1 (SQLITE_ERROR), and one from the
# backup API no code at all, only this text.
_CODE_OF_MESSAGE = {"database or disk is full": SQLITE_FULL, "disk i/o error": SQLITE_IOERR,
                    "database is locked": SQLITE_BUSY,
                    "attempt to write a readonly database": SQLITE_READONLY,
                    "unable to open database file": SQLITE_CANTOPEN}


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind ``exc`` (SQLAlchemy wraps it in ``.orig``)."""
    for candidate in (exc, getattr(exc, "orig", None), exc.__cause__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if code is not None and code & 0xFF != SQLITE_ERROR:
            return code & 0xFF
        if code is not None or type(candidate).__module__.startswith("sqlcipher3"):  # no code: the backup API
            text = str(candidate).lower()
            return next((known for message, known in _CODE_OF_MESSAGE.items() if text.startswith(message)), code)
    return None


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's "database or disk is full", or the OS's ENOSPC."""
    return sqlite_code(exc) == SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC


def storage_error(exc: BaseException, path: str | Path) -> DatabaseError | None:
    """A ``DatabaseError`` for a storage failure, or None for anything else."""
    code = sqlite_code(exc)
    message = _MESSAGES.get(SQLITE_BUSY if code == SQLITE_LOCKED else code)
    return DatabaseError(message.format(path=path)) if message else None
