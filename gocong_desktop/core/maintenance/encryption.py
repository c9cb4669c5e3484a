"""Encrypting an office's plain database (made by an earlier version): who may, and how.

An administrator's password, checked against the plain file, becomes the first
key slot (``accounts.adopt_key_slots``); the file work itself, safe against a
power cut at any step, is ``core.maintenance.encrypt_file``.
"""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.db.access import ensure_admin
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.maintenance.encrypt_file import EncryptResult, encrypt_database
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.services import accounts


def encrypt_office_file(path: str | Path, username: str, password: str) -> EncryptResult:
    """Encrypt ``path`` (nobody else has it open; the caller holds its lock)."""
    path = Path(path).expanduser().absolute()
    if is_encrypted(path):
        raise ConflictError(f"Dữ liệu «{path}» đã được mã hóa.")
    db = open_database(path)  # brought up to this version first, as any open does
    try:
        with db.session() as session:
            if not accounts.accounts_exist(session):
                raise ConflictError("Dữ liệu này chưa có tài khoản quản trị: hãy tạo tài khoản quản trị trước "
                                    "(mật khẩu của tài khoản đó sẽ mở dữ liệu đã mã hóa).")
        principal = accounts.sign_in(db, username, password)
        ensure_admin(principal.role, "mã hóa dữ liệu")
    finally:
        db.close()
    return encrypt_database(path, principal,
                            lambda session: accounts.adopt_key_slots(session, principal.username, password))
