"""Who is acting, and what their role allows — enforced below the services.

Every session made by ``Database.session()`` carries the acting role in
``session.info["role"]``; ``install_role_guard`` checks it at every ORM flush,
so a viewer's write is refused whichever service attempts it. Writes through
Core (sync import and export) call ``ensure_can_write`` themselves.

A database with no active account yet (made before accounts existed, or a
test's scratch file) is open to whoever opens it, as an administrator. Once an
account exists, someone not signed in (the CLI without ``--user``) acts as
``SYSTEM``: reads only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.db.models import Account, AppSetting
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.sqlite.raw import connect_readonly


class Role(StrEnum):
    ADMIN = "administrator"  # manages accounts and settings, sees violations
    CLERK = "clerk"  # enters data
    VIEWER = "viewer"  # reads and prints
    SYSTEM = "system"  # not signed in on a database that has accounts: reads only


ROLE_LABELS = {Role.ADMIN: "Quản trị viên", Role.CLERK: "Cán bộ nhập liệu", Role.VIEWER: "Người xem",
               Role.SYSTEM: "Hệ thống (chỉ đọc)"}
ACCOUNT_ROLES = (Role.ADMIN, Role.CLERK, Role.VIEWER)  # the roles an account can have
_WRITERS = {Role.ADMIN, Role.CLERK}
_ADMIN_ONLY = (Account, AppSetting)  # accounts and settings


@dataclass(frozen=True)
class Principal:
    """The signed-in person."""

    username: str
    display_name: str
    role: Role

    @property
    def label(self) -> str:
        return f"{self.display_name} ({ROLE_LABELS[self.role]})"


_ANY_ACCOUNT = "SELECT 1 FROM account LIMIT 1"


def has_accounts(connection: Any) -> bool:
    """True once any account exists, even a disabled one: a file whose accounts
    are all disabled is not open to everyone (``connection``: Session or Connection)."""
    return connection.execute(text(_ANY_ACCOUNT)).first() is not None


def file_has_accounts(path: Path) -> bool:
    """``has_accounts`` of the file at ``path``, read without writing, for checks
    made before it is opened (a restore over it). An encrypted file has them (only
    an account's password or recovery code opens it), unlocked or not; a file that
    cannot be read (missing, damaged, made before accounts) has none to protect."""
    if not path.is_file():
        return False
    if cipher.is_encrypted(path):
        return True
    try:
        con = connect_readonly(path)
        try:
            return con.execute(_ANY_ACCOUNT).fetchone() is not None
        finally:
            con.close()
    except cipher.Error:
        return False


def effective_role(connection: Any, principal: Principal | None) -> Role:
    if principal is not None:
        return principal.role
    return Role.SYSTEM if has_accounts(connection) else Role.ADMIN


def role_of(session: Session) -> Role:
    return session.info.get("role", Role.ADMIN)


def _write_refusal(role: Role) -> str:
    if role == Role.SYSTEM:
        return ("Dữ liệu này có tài khoản bảo vệ: hãy đăng nhập để thay đổi dữ liệu "
                "(dòng lệnh: thêm «--user TÊN_ĐĂNG_NHẬP»).")
    return "Tài khoản của bạn chỉ được xem và in, không được thay đổi dữ liệu."


def can_write(role: Role) -> bool:
    return role in _WRITERS


def ensure_can_write(role: Role) -> None:
    if not can_write(role):
        raise PermissionDeniedError(_write_refusal(role))


def ensure_admin(role: Role, what: str) -> None:
    """``what``: the action, e.g. "quản lý tài khoản"."""
    if role != Role.ADMIN:
        raise PermissionDeniedError(f"Chỉ quản trị viên mới được {what}.")


def is_admin(session: Session) -> bool:
    """Administrators alone see notes about people and pledge violations."""
    return role_of(session) == Role.ADMIN


def require_writer(session: Session) -> None:
    ensure_can_write(role_of(session))


def require_admin(session: Session, what: str) -> None:
    ensure_admin(role_of(session), what)


SELF_SERVICE = "self_service_account"  # session.info: the one account a person may change as themself


def allow_self_service(session: Session, account: Account) -> None:
    """Let this session change ``account`` whatever the role: a person changing
    their own password, or recovering it with the recovery code before signing in
    (the service checked the old password or the code first)."""
    session.info[SELF_SERVICE] = account.id
    session.info["actor"] = account.username


def _changed(session: Session) -> list[object]:
    dirty = [obj for obj in session.dirty if session.is_modified(obj)]
    own = session.info.get(SELF_SERVICE)
    return [obj for obj in (*session.new, *dirty, *session.deleted)
            if not (own is not None and isinstance(obj, Account) and obj.id == own)]


def _guard(session: Session, _context: Any, _instances: Any) -> None:
    role = role_of(session)
    if role == Role.ADMIN:
        return
    changed = _changed(session)
    if not changed:
        return
    ensure_can_write(role)
    if any(isinstance(obj, _ADMIN_ONLY) for obj in changed):
        ensure_admin(role, "thay đổi tài khoản và cài đặt")


def _guard_statement(state: Any) -> None:
    """An INSERT/UPDATE/DELETE statement run through the session (a bulk delete,
    say) never reaches the flush: the same rule, checked here."""
    if state.is_insert or state.is_update or state.is_delete:
        ensure_can_write(role_of(state.session))


def install_role_guard(session_factory: Any) -> None:
    """Refuse any ORM change or DML statement the session's role does not allow."""
    event.listen(session_factory, "before_flush", _guard)
    event.listen(session_factory, "do_orm_execute", _guard_statement)
