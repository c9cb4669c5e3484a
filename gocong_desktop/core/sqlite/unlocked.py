"""Data keys this process has unlocked, by key id (``SlotTable.key_id``).

Signing in unwraps a database's data key (``vault.unlock``); from then on the
plain connections made by path (checks, backups, restores) find the key here,
so code that works on files does not pass keys around. A backup's own key is
kept here too once opened (with the live file's key, or a password of its day).
Nothing is written anywhere: the keys live as long as the process.
"""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.sqlite.key_slots import KeySlotsError, read_table

_keys: dict[str, bytes] = {}
_by: dict[str, str] = {}  # key id -> the user name whose password (or code) unlocked it last


def remember(key_id: str, key: bytes, username: str | None = None) -> None:
    """Keep ``key``; a different key for an id already known is refused (a crafted backup
    claiming the open file's id must not replace its key)."""
    if _keys.get(key_id, key) != key:
        raise KeySlotsError("Tệp khóa mang mã nhận dạng của dữ liệu đang mở nhưng với một khóa khác: tệp đã bị "
                            "làm giả hoặc hỏng; không dùng được.")
    _keys[key_id] = key
    if username is not None:
        _by[key_id] = username


def unlocked_by(key_id: str) -> str | None:
    return _by.get(key_id)


def key_of(key_id: str) -> bytes | None:
    return _keys.get(key_id)


def key_for_path(db_path: str | Path) -> bytes | None:
    """The key of the encrypted file at ``db_path``; None for a plain file.
    Raises ``LockedError`` when it is encrypted and nobody has signed in to it."""
    if not is_encrypted(db_path):
        return None
    key = _keys.get(read_table(db_path).key_id)
    if key is None:
        raise LockedError(locked_message(Path(db_path)))
    return key


def locked_message(db_path: Path) -> str:
    return (f"Dữ liệu «{db_path}» đã được mã hóa: cần đăng nhập bằng tài khoản của đơn vị để mở "
            "(dòng lệnh: thêm «--user TÊN_ĐĂNG_NHẬP»).")


class LockedError(KeySlotsError):
    """An encrypted file nobody in this process has unlocked."""
