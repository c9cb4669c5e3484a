"""Writing a PDF so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from gocong_desktop.core.storage.backup_file import EXTENSION as BACKUP_EXTENSION
from gocong_desktop.core.sqlite.key_slots import SUFFIX as KEY_SLOTS_SUFFIX
from gocong_desktop.core.sqlite.key_slots import table_path
from gocong_desktop.core.errors import UserError, os_reason

Writer = Callable[[BinaryIO], None]


def _refused(path: Path, exc: OSError) -> UserError:
    if isinstance(exc, PermissionError):
        why = "không có quyền ghi, hoặc tệp đang mở trong chương trình khác"
    elif isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        why = "thư mục không tồn tại"
    elif isinstance(exc, IsADirectoryError):
        why = "đó là một thư mục"
    else:
        why = os_reason(exc)
    return UserError(f"Không ghi được tệp «{path}»: {why}.")


SQLITE_HEADER = b"SQLite format 3\x00"


def _is_database(path: Path) -> bool:
    """A report must never replace a database (say ``--out`` named the data file), an
    encrypted one (its key slot table beside it), a slot table or a backup file."""
    if table_path(path).exists() or path.name.endswith((KEY_SLOTS_SUFFIX, BACKUP_EXTENSION)):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def refuse_database(path: Path) -> None:
    """Said before anything else about a target (its suffix too): the user named the data file."""
    if _is_database(path):
        raise UserError(f"«{path}» là một tệp cơ sở dữ liệu: không ghi đè bằng báo cáo. "
                        "Hãy chọn tên tệp khác.")


def save_pdf_atomically(path: str | Path, writer: Writer) -> Path:
    """Run ``writer`` on a temporary file beside ``path``, then replace ``path``
    with it: readers see the old file or the whole new one, never a part.

    An OSError becomes a UserError with a Vietnamese message; anything else
    (a bug while laying out) propagates, and the temporary file is removed."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise _refused(target, IsADirectoryError(target))
    refuse_database(target)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _refused(target, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            writer(out)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); a PDF is meant to be shared.
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _refused(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_to(out: str | Path | BinaryIO, writer: Writer) -> None:
    """A path is written atomically; an open binary stream directly."""
    if isinstance(out, (str, os.PathLike)):
        save_pdf_atomically(Path(out), writer)
    else:
        writer(out)
