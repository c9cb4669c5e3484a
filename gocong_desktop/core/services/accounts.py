"""Local accounts: create, sign in, change passwords, recover with the one-time code.

In an encrypted database (``session.info["vault"]``) a password or recovery
code is a key slot: it wraps the file's data key (``core.db.vault``), and
signing in is unwrapping it. Every change to an account's secrets re-wraps its
slot before the change is committed; disabling an account removes its slots. In
a plain file (from before encryption) they are Argon2id hashes in ``account``.
Managing accounts is for administrators (``access.require_admin``); the first
administrator is made while the database has no account, which is also the
only time no one needs to be signed in to make one.
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.access import (ACCOUNT_ROLES, ROLE_LABELS, Principal, Role, allow_self_service, has_accounts,
                         require_admin)
from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.models import Account, AuditEntry, utcnow
from gocong_desktop.core.sqlite.unlocked import unlocked_by
from gocong_desktop.core.db.vault import PASSWORD, RECOVERY, WRONG_CODE, WRONG_PASSWORD, Vault, defer, unlock
from gocong_desktop.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from gocong_desktop.core.text import fold, nfc, sort_key
from gocong_desktop.core.services.account_names import normal_code, normal_username
from gocong_desktop.core.services.sign_in_throttle import SignInThrottle

MIN_PASSWORD = 8
MAX_PASSWORD = 200
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and copied by hand
RECOVERY_GROUPS, RECOVERY_GROUP_LEN = 5, 4

_hasher = PasswordHasher()  # Argon2id with the library's recommended costs
ENCRYPT_ACTION = "encrypt"  # the audit entry of a file encrypted
IN_KEY_SLOT = "!khoa"  # password_hash/recovery_hash of an encrypted file: the secret is its key slot


@dataclass(frozen=True)
class AccountRow:
    id: str
    username: str
    display_name: str
    role: Role
    role_label: str
    active: bool
    has_recovery_code: bool
    # Encrypted file: active, but no key slot (encrypted from an older file, or
    # enabled again): an administrator must set a new password before it signs in.
    needs_password: bool = False


# ---- checks ---------------------------------------------------------------

def _valid_username(username: str | None) -> str:
    name = normal_username(username)
    if not name:
        raise ValidationError("Chưa nhập tên đăng nhập.", field="username")
    if not USERNAME_RE.fullmatch(name):
        raise ValidationError("Tên đăng nhập dài 3–32 ký tự, chỉ gồm chữ không dấu, chữ số và «. _ -», "
                              "ví dụ «quantri» hoặc «nguyen.van.a».", field="username")
    return name


def _valid_display_name(display_name: str | None) -> str:
    name = " ".join((nfc(display_name) or "").split())
    if not name:
        raise ValidationError("Chưa nhập họ và tên người dùng.", field="display_name")
    if len(name) > 100:
        raise ValidationError("Họ và tên dài quá 100 ký tự.", field="display_name")
    return name


def check_password(password: str | None, confirm: str | None = None, *, field: str = "password") -> str:
    """A new password: long enough, typed the same twice (when ``confirm`` is given)."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.", field=field)
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"Mật khẩu dài quá {MAX_PASSWORD} ký tự.", field=field)
    if not password.strip():
        raise ValidationError("Mật khẩu không được chỉ gồm dấu cách.", field=field)
    if confirm is not None and confirm != password:
        raise ValidationError("Hai lần nhập mật khẩu không giống nhau.", field="confirm")
    return password


def check_new_account(username: str, display_name: str, password: str, confirm: str | None) -> None:
    """The checks of a new account that need no database (a form checks before going on)."""
    _valid_display_name(display_name)
    _valid_username(username)
    check_password(password, confirm)


def suggest_username(display_name: str) -> str:
    """"Nguyễn Văn An" → "nguyenvanan": a start the person may change."""
    return re.sub(r"[^a-z0-9]", "", fold(nfc(display_name or "")))[:32]


def _role(role: str) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen not in ACCOUNT_ROLES:
        raise ValidationError("Vai trò không hợp lệ.", field="role")
    return chosen


# ---- recovery codes -------------------------------------------------------

def new_recovery_code() -> str:
    """"ABCD-EFGH-..." : 100 random bits, grouped for copying by hand."""
    chars = [secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN)]
    groups = ["".join(chars[i:i + RECOVERY_GROUP_LEN]) for i in range(0, len(chars), RECOVERY_GROUP_LEN)]
    return "-".join(groups)


def _hash(secret: str) -> str:
    """Argon2id of the NFC form: a Vietnamese password typed through another input
    method (composed or decomposed marks) is still the same password."""
    return _hasher.hash(unicodedata.normalize("NFC", secret))


def hashed_secrets(password: str, recovery_code: str) -> tuple[str, str]:
    """(password_hash, recovery_hash) as stored where no key slot holds them (a plain
    file, a server): for an encrypted file's administrator moved to a server."""
    return _hash(password), _hash(normal_code(recovery_code))


def _verify(stored: str | None, secret: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher.verify(stored, unicodedata.normalize("NFC", secret))
    except (VerificationError, InvalidHashError):
        return False


# ---- reading --------------------------------------------------------------

def _find(session: Session, username: str) -> Account | None:
    return session.exec(select(Account).where(Account.username == normal_username(username))).first()


def _get(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError("Không tìm thấy tài khoản (có thể đã bị xóa).")
    return account


def _row(a: Account, vault: Vault | None) -> AccountRow:
    role = Role(a.role)
    return AccountRow(id=a.id, username=a.username, display_name=a.display_name, role=role,
                      role_label=ROLE_LABELS[role], active=a.active, has_recovery_code=bool(a.recovery_hash),
                      needs_password=bool(vault and a.active and not vault.has_slot(a.username)))


def list_accounts(session: Session) -> list[AccountRow]:
    """Every account, active ones first, by display name (Vietnamese order)."""
    require_admin(session, "xem danh sách tài khoản")
    rows = [_row(a, _vault(session)) for a in session.exec(select(Account)).all()]
    return sorted(rows, key=lambda r: (not r.active, sort_key(r.display_name), r.username))


def find_account(session: Session, username: str) -> AccountRow:
    """An account by its user name, as typed (normalised first)."""
    require_admin(session, "xem danh sách tài khoản")
    name = normal_username(username)
    account = _find(session, name)
    if account is None:
        raise NotFoundError(f"Không có tài khoản «{name}».")
    return _row(account, _vault(session))


def usernames(session: Session) -> list[str]:
    """Active usernames, for the sign-in box (no secrets in it)."""
    return sorted(session.exec(select(Account.username).where(Account.active.is_(True))).all())


def accounts_exist(session: Session) -> bool:
    return has_accounts(session)


# ---- signing in -----------------------------------------------------------

throttle = SignInThrottle()  # plain files; an encrypted file counts failures in its slot table


def _vault(session: Session) -> Vault | None:
    return session.info.get("vault")


def _throttle_key(session: Session, username: str) -> str:
    """Failures count per database (a file as the system resolves its path; a server's
    database by its URL, password masked) and user name."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite":  # the name of a database on a server is not a path
        return f"{url.render_as_string(hide_password=True)}|{username}"
    return f"{Path(url.database).resolve()}|{username}"


def _principal(account: Account | None) -> Principal:
    if account is None or not account.active:
        raise PermissionDeniedError(WRONG_PASSWORD)
    return Principal(username=account.username, display_name=account.display_name, role=Role(account.role))


def authenticate(session: Session, username: str, password: str) -> Principal:
    """The principal for a right username and password; one message for any
    wrong pair (it does not tell which of the two was wrong)."""
    name = normal_username(username)
    if (vault := _vault(session)) is not None:
        unlock(vault.db_path, name, password or "")
        return _principal(_find(session, name))
    key = _throttle_key(session, name)
    throttle.check(key)
    account = _find(session, name)
    if account is None or not account.active or not _verify(account.password_hash, password or ""):
        if account is None:
            _hash("timing")  # as slow as a wrong password: existing names do not show
        throttle.failed(key)
        raise PermissionDeniedError(WRONG_PASSWORD)
    throttle.succeeded(key)
    return Principal(username=account.username, display_name=account.display_name, role=Role(account.role))


def refreshed(session: Session, principal: Principal) -> Principal | None:
    """The principal as the database says now (role changed, account disabled: None)."""
    account = _find(session, principal.username)
    if account is None or not account.active:
        return None
    return Principal(username=account.username, display_name=account.display_name, role=Role(account.role))


# ---- changing -------------------------------------------------------------

def create_first_admin(session: Session, *, username: str, display_name: str, password: str,
                       confirm: str | None = None) -> str:
    """The first administrator, on a database without accounts. Returns the
    recovery code, to be shown once and written down."""
    if has_accounts(session):
        raise ConflictError("Dữ liệu này đã có tài khoản quản trị; hãy đăng nhập bằng tài khoản đó.")
    account = _new(session, username, display_name, Role.ADMIN, password, confirm)
    code = _store_new_recovery_code(session, account)
    session.flush()
    return code


# ---- secrets: key slots in an encrypted file, hashes in a plain one ----------

def _store_password(session: Session, account: Account, password: str) -> None:
    if (vault := _vault(session)) is None:
        account.password_hash = _hash(password)
        return
    account.password_hash = IN_KEY_SLOT
    defer(session, vault.replacing(vault.wrap(account.username, password, PASSWORD)))


def _store_new_recovery_code(session: Session, account: Account) -> str:
    code = new_recovery_code()
    if (vault := _vault(session)) is None:
        account.recovery_hash = _hash(normal_code(code))
    else:
        account.recovery_hash = IN_KEY_SLOT
        defer(session, vault.replacing(vault.wrap(account.username, normal_code(code), RECOVERY)))
    return code


def _drop_secrets(session: Session, account: Account, kind: str | None = None) -> None:
    """``kind`` None: every slot (the account was disabled); RECOVERY: its recovery code."""
    if (vault := _vault(session)) is not None:
        defer(session, vault.removing(account.username, kind))


def _password_ok(session: Session, account: Account, password: str) -> bool:
    if (vault := _vault(session)) is None:
        return _verify(account.password_hash, password)
    return vault.opens(account.username, password)


def needs_new_password(session: Session, username: str) -> bool:
    """True for an active account of an encrypted file that has no key slot yet."""
    vault, account = _vault(session), _find(session, username)
    return bool(vault and account and account.active and not vault.has_slot(account.username))


def add_account(session: Session, *, username: str, display_name: str, role: str, password: str,
                confirm: str | None = None) -> str:
    """A new account (administrators only). An administrator made here gets
    a recovery code later, from «Tạo mã khôi phục mới»."""
    require_admin(session, "thêm tài khoản")
    account = _new(session, username, display_name, _role(role), password, confirm)
    session.flush()
    return account.id


def _new(session: Session, username: str, display_name: str, role: Role, password: str,
         confirm: str | None) -> Account:
    name = _valid_username(username)
    display = _valid_display_name(display_name)
    check_password(password, confirm)
    if _find(session, name) is not None:
        raise ConflictError(f"Tên đăng nhập «{name}» đã có. Hãy chọn tên khác.", field="username")
    account = Account(username=name, display_name=display, role=role, password_hash="")
    _store_password(session, account, password)
    session.add(account)
    return account


def update_account(session: Session, account_id: str, *, display_name: str, role: str, active: bool) -> None:
    """Name, role and whether the account may sign in (administrators only).
    The last active administrator always stays an active administrator."""
    require_admin(session, "sửa tài khoản")
    account = _get(session, account_id)
    new_role = _role(role)
    if account.role == Role.ADMIN and account.active and (new_role != Role.ADMIN or not active):
        if _active_admins(session) <= 1:
            raise ConflictError("Đây là quản trị viên duy nhất còn hoạt động: phải có ít nhất một. "
                                "Hãy cấp quyền quản trị cho người khác trước.", field="role")
    if account.username == session.info.get("actor") and not active:
        raise ConflictError("Không thể tự khóa tài khoản đang đăng nhập.", field="active")
    if account.username == session.info.get("actor") and new_role != account.role:
        raise ConflictError("Không thể tự đổi vai trò của mình: hãy nhờ một quản trị viên khác.", field="role")
    account.display_name, account.role, account.active = _valid_display_name(display_name), new_role, bool(active)
    if not account.active:
        _drop_secrets(session, account)  # its password no longer opens the file
    if new_role != Role.ADMIN:
        account.recovery_hash = None  # recovery codes are for administrators
        _drop_secrets(session, account, RECOVERY)
    _touch(session, account)


def _active_admins(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Account).where(
        Account.role == Role.ADMIN, Account.active.is_(True))).one()


def reset_password(session: Session, account_id: str, new_password: str, confirm: str | None = None) -> None:
    """An administrator sets a new password for someone who forgot theirs."""
    require_admin(session, "đặt lại mật khẩu")
    account = _get(session, account_id)
    check_password(new_password, confirm)
    if account.active or _vault(session) is None:  # a disabled account keeps no key slot
        _store_password(session, account, new_password)
    _touch(session, account)


def change_own_password(session: Session, username: str, old_password: str, new_password: str,
                        confirm: str | None = None) -> None:
    """Anyone signed in may change their own password, knowing the old one."""
    account = _find(session, username)
    if account is None or not account.active or not _password_ok(session, account, old_password or ""):
        raise PermissionDeniedError("Mật khẩu hiện tại không đúng.")
    if new_password == old_password:
        raise ValidationError("Mật khẩu mới phải khác mật khẩu cũ.", field="password")
    check_password(new_password, confirm)
    allow_self_service(session, account)
    _store_password(session, account, new_password)
    _touch(session, account)


def regenerate_recovery_code(session: Session, account_id: str) -> str:
    """A new code for an administrator (the old one stops working); shown once."""
    require_admin(session, "tạo mã khôi phục")
    account = _get(session, account_id)
    if account.role != Role.ADMIN or not account.active:
        raise ValidationError("Chỉ tài khoản quản trị đang dùng mới có mã khôi phục.")
    code = _store_new_recovery_code(session, account)
    _touch(session, account)
    return code


def recover_with_code(session: Session, username: str, code: str, new_password: str,
                      confirm: str | None = None) -> str:
    """A forgotten administrator password: the recovery code sets a new one.
    The code is used up; the new code returned replaces it (show it once)."""
    name = normal_username(username)
    check_password(new_password, confirm)
    account = _find(session, name)
    if (vault := _vault(session)) is not None:
        unlock(vault.db_path, name, normal_code(code), kind=RECOVERY)  # counted like a password
        if account is None or not account.active:
            raise PermissionDeniedError(WRONG_CODE)
    else:
        key = _throttle_key(session, name)
        throttle.check(key)
        if account is None or not account.active or not _verify(account.recovery_hash, normal_code(code)):
            throttle.failed(key)
            raise PermissionDeniedError(WRONG_CODE)
        throttle.succeeded(key)
    allow_self_service(session, account)
    _store_password(session, account, new_password)
    fresh = _store_new_recovery_code(session, account)
    _touch(session, account)
    return fresh


def _touch(session: Session, account: Account) -> None:
    account.updated_at = utcnow()
    session.add(account)
    session.flush()


def adopt_key_slots(session: Session, username: str, password: str) -> tuple[str, list[str]]:
    """In a copy of a plain file just encrypted: the administrator's password and a new
    recovery code become key slots; other active accounts keep no secret that opens
    the file (only their hashes were stored) and are returned: an administrator sets
    them a new password. Returns (the new recovery code, those user names)."""
    admin = _find(session, username)
    if admin is None or admin.role != Role.ADMIN or not admin.active:
        raise PermissionDeniedError("Chỉ quản trị viên mới được mã hóa dữ liệu.")
    _store_password(session, admin, password)
    code = _store_new_recovery_code(session, admin)
    _touch(session, admin)
    others = [a for a in session.exec(select(Account)).all() if a.id != admin.id]
    for account in others:  # their secrets were hashes, which cannot open the key: none is kept
        account.password_hash, account.recovery_hash = IN_KEY_SLOT, None
        _touch(session, account)
    session.add(AuditEntry(actor=admin.username, action=ENCRYPT_ACTION, table_name="account", record_id=admin.id,
                           changes_json=json.dumps({"encrypted": [False, True]})))
    return code, sorted(a.username for a in others if a.active)


def sign_in(db: Database, username: str, password: str) -> Principal:
    """Check the password and make ``db``'s sessions act as this person."""
    with db.session() as session:
        principal = authenticate(session, username, password)
    db.user = principal
    return principal


def sign_in_unlocked(db: Database, username: str) -> Principal:
    """Sign in the person who has just unlocked ``db``'s file with their password
    (``vault.unlock`` before opening it): the password is not asked twice."""
    name = normal_username(username)
    if db.vault is None or unlocked_by(db.vault.key_id) != name:
        raise PermissionDeniedError(WRONG_PASSWORD)
    with db.session() as session:
        principal = _principal(_find(session, name))
    db.user = principal
    return principal
