"""Is a folder a safe home for the live database? (A USB stick or a network share is not.)

Kept apart from ``office`` (set-up), which imports much: the app asks this at every start."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_REMOVABLE_ROOTS = ("/media/", "/mnt/", "/run/media/", "/Volumes/")
_USB = "ổ đĩa rời (USB)"
_NETWORK = "thư mục mạng dùng chung"
_WARNING = ("Nơi này có vẻ là {where}. Không nên để dữ liệu đang dùng ở đây: rút USB hay mất "
            "mạng lúc đang ghi có thể làm hỏng dữ liệu. Nên lưu trên ổ đĩa của máy, chỉ dùng "
            "USB để sao lưu hoặc chuyển tệp.")


def storage_warning(path: str | Path) -> str | None:
    """Why ``path`` is a risky home for the live database, or None."""
    text = str(path)
    if text.startswith(("\\\\", "//")):  # Windows UNC path: \\server\share
        return _WARNING.format(where=_NETWORK)
    if sys.platform == "win32":
        where = _windows_drive_kind(text)
        return _WARNING.format(where=where) if where else None
    full = os.path.abspath(os.path.expanduser(text)) + "/"
    if full.startswith(_REMOVABLE_ROOTS):
        return _WARNING.format(where=f"{_USB} hoặc {_NETWORK}")
    return None


def _windows_drive_kind(text: str) -> str | None:
    import ctypes  # Windows only

    drive = os.path.splitdrive(os.path.abspath(text))[0]
    if not drive:
        return None
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return {2: _USB, 4: _NETWORK}.get(kind)  # DRIVE_REMOVABLE, DRIVE_REMOTE
