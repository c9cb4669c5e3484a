"""Before an encrypted database opens: whose password (or recovery code) unlocks it.

The window and the command line call these before ``open_database``; the key
unwrapped is kept in this process (``core.sqlite.unlocked``), and the person then
signs in without typing the password again (``accounts.sign_in_unlocked``).
"""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.storage.interrupted import finish_restore
from gocong_desktop.core.sqlite.key_slots import read_table
from gocong_desktop.core.sqlite.unlocked import key_of
from gocong_desktop.core.db.vault import RECOVERY, unlock, unlock_backup
from gocong_desktop.core.services.account_names import normal_code, normal_username


def needs_unlock(path: str | Path) -> bool:
    """True for an encrypted file this process has no key for yet."""
    path = Path(path).expanduser().absolute()
    finish_restore(path)  # a restore a power cut stopped before the file was in place
    return path.is_file() and is_encrypted(path) and key_of(read_table(path).key_id) is None


def unlock_with_password(path: str | Path, username: str, password: str) -> str:
    """Unlock ``path``; returns the user name as stored (wrong pair: PermissionDeniedError)."""
    name = normal_username(username)
    unlock(Path(path).expanduser(), name, password or "")
    return name


def unlock_with_code(path: str | Path, username: str, code: str) -> str:
    """Unlock ``path`` with an administrator's recovery code (to set a new password)."""
    name = normal_username(username)
    unlock(Path(path).expanduser(), name, normal_code(code), kind=RECOVERY)
    return name


def unlock_backup_with_password(path: str | Path, username: str, password: str) -> str:
    """Check a password against a backup file's own slots (as it will be after restoring)."""
    name = normal_username(username)
    unlock_backup(Path(path).expanduser(), name, password or "")
    return name


def public_hint(path: str | Path) -> str | None:
    """The text a demo file shows in its sign-in box (kept outside the encrypted data)."""
    return read_table(Path(path).expanduser()).hint
