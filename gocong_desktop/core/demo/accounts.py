"""Demo accounts, one per role, with a password everyone may know (it is demo data)."""

from __future__ import annotations

from gocong_desktop.core.sqlite import cipher
from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.db.access import Role
from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.sqlite.key_slots import read_table
from gocong_desktop.core.db.vault import unlock
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.sqlite.raw import connect_readonly
from gocong_desktop.core.services.accounts import add_account, create_first_admin
from gocong_desktop.core.settings.keys import DEMO_SIGN_IN_HINT

PASSWORD = "demo1234"
ACCOUNTS = (("quantri", "Quản trị viên (mẫu)", Role.ADMIN), ("canbo", "Cán bộ nhập liệu (mẫu)", Role.CLERK),
            ("xem", "Người xem (mẫu)", Role.VIEWER))
HINT_KEY = DEMO_SIGN_IN_HINT.key
HINT = (f"Dữ liệu mẫu: đăng nhập «quantri» (quản trị), «canbo» (nhập liệu) hoặc «xem» (chỉ xem), "
        f"mật khẩu «{PASSWORD}».")


def add_demo_accounts(session: Session) -> None:
    (admin, admin_name, _), *others = ACCOUNTS
    create_first_admin(session, username=admin, display_name=admin_name, password=PASSWORD)
    for username, name, role in others:
        add_account(session, username=username, display_name=name, role=role, password=PASSWORD)
    write_setting(session, DEMO_SIGN_IN_HINT, HINT)
    if (vault := session.info.get("vault")) is not None:
        vault.set_hint(HINT)  # the sign-in box shows it before the file is unlocked


def is_demo_file(path: Path) -> bool:
    """True for a file this generator made (read without writing); a damaged or
    foreign file is not one."""
    if is_encrypted(path):  # the hint is not proof (anyone may write it): the demo's password must open it
        try:
            if read_table(path).hint != HINT:
                return False
            unlock(path, ACCOUNTS[0][0], PASSWORD)
            return True
        except UserError:
            return False
    try:
        con = connect_readonly(path)
        try:
            return con.execute("SELECT 1 FROM app_setting WHERE key = ?", (HINT_KEY,)).fetchone() is not None
        finally:
            con.close()
    except cipher.Error:
        return False


def sign_in_hint(session: Session) -> str | None:
    """The demo's accounts, for the sign-in box; None for real data."""
    return read_setting(session, DEMO_SIGN_IN_HINT)
