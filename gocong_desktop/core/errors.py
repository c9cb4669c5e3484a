"""Expected errors, each carrying a message for people (in Vietnamese).

The GUI shows ``str(error)`` in one dialog; the CLI prints it on one line and
exits with status 1. Anything that is not a ``UserError`` is a bug.
"""

from __future__ import annotations


class UserError(Exception):
    """An error the user can understand and act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ValidationError(UserError):
    """Input that breaks a rule; ``field`` names the offending field when known."""


class NotFoundError(UserError):
    """A record the user asked for does not exist (or was deleted)."""


class ConflictError(UserError):
    """The action clashes with existing data (duplicate, locked record, ...)."""


class DatabaseError(UserError):
    """The database file cannot be used (newer version, not ours, damaged...)."""


class PermissionDeniedError(UserError):
    """The signed-in account's role does not allow the action."""


_OS_REASONS = {  # errno names -> what people read (OSError.strerror is English)
    "ENOENT": "không tồn tại", "EISDIR": "đó là một thư mục", "ENOTDIR": "đường dẫn có phần không phải thư mục",
    "EACCES": "không có quyền", "EPERM": "không được phép (tệp hoặc thư mục bị khóa)",
    "EROFS": "ổ đĩa chỉ đọc", "ENOSPC": "ổ đĩa đã đầy", "EEXIST": "đã có tệp cùng tên",
    "EBUSY": "đang được chương trình khác dùng", "ENAMETOOLONG": "tên tệp quá dài",
    "EIO": "lỗi đọc/ghi ổ đĩa", "ENODEV": "ổ đĩa không sẵn sàng", "EXDEV": "khác ổ đĩa",
}


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in Vietnamese when the reason is a common one."""
    import errno

    name = errno.errorcode.get(exc.errno or -1)
    return _OS_REASONS.get(name, exc.strerror or str(exc))
