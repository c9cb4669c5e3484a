"""Opening the database for a CLI command, as a named user or as the system.

Every command that reads or writes an existing database takes ``--db`` and
``--user`` (``add_db_user_args``). With ``--user`` the password is asked with
``getpass`` — or read, one line, from stdin with ``--password-stdin`` (for
scripts) — and checked by ``accounts.sign_in`` before anything is done.
Without ``--user`` the command acts as the system: it may read; on a database
with accounts the core refuses its writes (``core.db.access``).

One writer at a time: a command that may write holds the office lock (the one
the open window holds, ``core.storage.lock``) from before it opens the database until
it closes it, waiting up to ``WRITER_WAIT_S`` for another writer; read-only
commands pass ``writes=False``. Everything goes through ``open_db`` (or
``writing`` for commands that work on the file itself: restore, init, demo).

An upper office's database on a PostgreSQL server (``--db postgresql://…`` or a
``.gcserver`` settings file) opens the same way, with no lock file (the server
serialises writers) and nothing to unlock; its PostgreSQL password, when nothing
supplied one, is asked first. Commands that work on the file itself refuse it,
saying why (``db_path(args, why)``).

Heavy imports (database, Argon2) happen only when a command runs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from gocong_desktop.core.db.engine import Database
    from gocong_desktop.core.db.location import ServerAddress
    from gocong_desktop.core.storage.lock import DatabaseLock

WRONG_PASSWORD_WAIT_S = 1.0
WRITER_WAIT_S = 3.0  # a command finishing elsewhere is waited for; the window is not (it stays open)
USER_HINT = "thêm «--user TÊN_ĐĂNG_NHẬP» của quản trị viên"


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    """``--db`` alone: commands that make a new file (init, demo) or open the window."""
    from gocong_desktop.core.paths import default_database_path

    parser.add_argument("--db", type=db_arg, default=None, metavar="PATH",
                        help=f"tệp cơ sở dữ liệu (mặc định: {default_database_path()}); cơ quan cấp trên: "
                             "hoặc tệp máy chủ «….gcserver», hoặc địa chỉ máy chủ "
                             "«postgresql://tên@máy-chủ/tên-cơ-sở-dữ-liệu»")


def db_arg(text: str) -> Path | str:
    """A URL stays text (read by ``db_location`` when the command runs, so that a bad
    one gets a one-line message): ``Path()`` would make "postgresql:/…" of it."""
    from gocong_desktop.core.db.location import is_url

    return text if is_url(text) else Path(text)


SERVER_FIRST = ("trên máy chủ: mật khẩu máy chủ PostgreSQL trước (khi địa chỉ, PGPASSWORD và ~/.pgpass không có), "
                "rồi mật khẩu của --user")


def add_password_stdin_arg(parser: argparse.ArgumentParser, order: str | None = None) -> None:
    """``order``: which secrets are read, in which order (said in ``--help``)."""
    asked = f"theo thứ tự chương trình hỏi ({order})" if order else "theo thứ tự chương trình hỏi"
    parser.add_argument("--password-stdin", action="store_true",
                        help="đọc mật khẩu (và mã khôi phục nếu cần) từ đầu vào chuẩn, mỗi dòng một mục, "
                             f"{asked}, không nhập lại lần hai (dùng cho tập lệnh)")


def add_db_user_args(parser: argparse.ArgumentParser) -> None:
    """``--db``, ``--user`` and ``--password-stdin`` for a command on an existing database."""
    add_db_arg(parser)
    parser.add_argument("--user", metavar="TÊN", default=None,
                        help="tên đăng nhập của người thực hiện (sẽ hỏi mật khẩu); bắt buộc với dữ liệu "
                             "đã mã hóa; không có: chạy như hệ thống, chỉ đọc tệp chưa mã hóa có tài khoản")
    add_password_stdin_arg(parser, SERVER_FIRST)


def db_location(args: argparse.Namespace) -> "Path | ServerAddress":
    """``--db``: a file (the default one when not given) or a server's database."""
    from gocong_desktop.core.db.location import parse_location
    from gocong_desktop.core.paths import default_database_path

    return parse_location(args.db) if args.db is not None else default_database_path()


FILE_ONLY = "lệnh này chưa dùng được với cơ sở dữ liệu trên máy chủ"


def db_path(args: argparse.Namespace, why: str = FILE_ONLY) -> Path:
    """``--db`` for a command that works on a file: a server's database is refused, saying ``why``."""
    from gocong_desktop.core.errors import UserError

    location = db_location(args)
    if not isinstance(location, Path):
        raise UserError(f"Không dùng được với cơ sở dữ liệu trên máy chủ PostgreSQL «{location}»: {why}.")
    return location


def on_server(args: argparse.Namespace) -> bool:
    """``--db`` names a server's database (a URL or a ``.gcserver`` file), not a data file."""
    return not isinstance(db_location(args), Path)


# ---- secrets ----------------------------------------------------------------

def ask_secret(args: argparse.Namespace, prompt: str) -> str:
    """One secret: a line of stdin with ``--password-stdin``, else typed without echo."""
    from gocong_desktop.core.errors import ValidationError

    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise ValidationError("Thiếu mật khẩu ở đầu vào chuẩn (--password-stdin): "
                                  "mỗi mục một dòng, theo thứ tự được hỏi.")
        return line.rstrip("\r\n")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise ValidationError("Chưa nhập mật khẩu: đã dừng.") from None


def ask_new_password(args: argparse.Namespace, prompt: str = "Mật khẩu mới: ") -> tuple[str, str]:
    """(password, confirm): typed twice, or one line of stdin with ``--password-stdin``."""
    password = ask_secret(args, prompt)
    if getattr(args, "password_stdin", False):
        return password, password
    return password, ask_secret(args, "Nhập lại mật khẩu mới: ")


# ---- opening ----------------------------------------------------------------

def sign_in(db: "Database", args: argparse.Namespace, prompt: str | None = None) -> None:
    """With ``--user``: ask the password and sign in (wrong: PermissionDeniedError)."""
    from gocong_desktop.core.services import accounts

    if not getattr(args, "user", None):
        return
    password = ask_secret(args, prompt or f"Mật khẩu của {args.user}: ")
    with slow_when_wrong():
        accounts.sign_in(db, args.user, password)


@contextmanager
def slow_when_wrong() -> Iterator[None]:
    """A wait per wrong password or code keeps a guessing script slow (the pause
    after five failures is counted too, but a wait costs a script more)."""
    from gocong_desktop.core.errors import UserError

    try:
        yield
    except UserError:
        time.sleep(WRONG_PASSWORD_WAIT_S)
        raise


def unlock_file(args: argparse.Namespace, secret: str | None = None, *, code: bool = False,
                username: str | None = None) -> bool:
    """Before opening an encrypted ``--db``: unwrap its key with ``--user``'s password
    (asked unless given) or, ``code``, an administrator's recovery code. False for a
    plain file or one already unlocked (nothing asked)."""
    from gocong_desktop.core.errors import PermissionDeniedError
    from gocong_desktop.core.services import unlocking

    if on_server(args):
        return False  # the server's own accounts guard the data: nothing is encrypted
    path = db_path(args).expanduser()
    if not unlocking.needs_unlock(path):
        return False
    username = username or getattr(args, "user", None)
    if not username:
        raise PermissionDeniedError(f"Dữ liệu «{path}» đã được mã hóa: chỉ người có tài khoản mới mở được; "
                                    "hãy thêm «--user TÊN_ĐĂNG_NHẬP» (sẽ hỏi mật khẩu).")
    if secret is None:
        secret = ask_secret(args, f"Mật khẩu của {username}: ")
    with slow_when_wrong():
        if code:
            unlocking.unlock_with_code(path, username, secret)
        else:
            unlocking.unlock_with_password(path, username, secret)
    return True


def command_name(args: argparse.Namespace) -> str:
    """"import", "account add": what the lock file says is writing."""
    actions = [v for k, v in vars(args).items() if k.endswith("_action") and isinstance(v, str)]
    return " ".join([getattr(args, "command", None) or "?", *actions])


def writer_lock(args: argparse.Namespace) -> "DatabaseLock | None":
    """The office lock for a command about to write to ``--db`` (None where there
    is no folder: nothing can be open there, and opening says what is wrong)."""
    from gocong_desktop.core.storage.lock import acquire_lock

    if on_server(args):
        return None  # the server serialises writers: no lock file
    path = db_path(args)
    if not path.expanduser().absolute().parent.is_dir():
        return None
    return acquire_lock(path.expanduser(), holder=command_name(args), wait=WRITER_WAIT_S, on_wait=_say_waiting)


def _say_waiting(message: str) -> None:
    print(f"Đang chờ tối đa {WRITER_WAIT_S:g} giây: {message}", file=sys.stderr, flush=True)


@contextmanager
def writing(args: argparse.Namespace) -> Iterator[None]:
    """The office lock held around a command that works on the file itself."""
    lock = writer_lock(args)
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


def open_db(args: argparse.Namespace, *, signed_in: bool = True, writes: bool = True) -> "Database":
    """The database of ``--db``, signed in as ``--user`` when given (the caller
    closes it). ``writes``: the command may change it, so it holds the office
    lock until closed; read-only commands pass False."""
    from gocong_desktop.core.db.engine import open_database

    from gocong_desktop.core.services.accounts import sign_in_unlocked

    if on_server(args):
        return _open_server_db(args, signed_in=signed_in)
    lock = writer_lock(args) if writes else None
    try:
        unlocked = signed_in and unlock_file(args)  # an encrypted file: its password opens it
        db = open_database(db_path(args))
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if lock is not None:
        db.call_on_close(lock.release)
    try:
        if unlocked:
            sign_in_unlocked(db, args.user)
        elif signed_in:
            sign_in(db, args)
    except BaseException:
        db.close()
        raise
    return db


def _open_server_db(args: argparse.Namespace, *, signed_in: bool) -> "Database":
    """The server's database (its PostgreSQL password asked when nothing gave one),
    signed in as ``--user``."""
    from gocong_desktop.core.db.server_login import open_location

    db = open_location(db_location(args), ask=lambda address: ask_server_password(args, address))
    try:
        if signed_in:
            sign_in(db, args)
    except BaseException:
        db.close()
        raise
    return db


def ask_server_password(args: argparse.Namespace, address: "ServerAddress") -> str:
    user = address.url.username or "người dùng của hệ điều hành"
    return ask_secret(args, f"Mật khẩu máy chủ PostgreSQL của «{user}» ({address}): ")


def server_with_password(args: argparse.Namespace, address: "ServerAddress") -> "ServerAddress":
    """For commands whose tools connect on their own (check, backup, upper migrate):
    the server's password asked, as ``open_db`` asks it, when nothing supplied one."""
    from gocong_desktop.core.db.server_login import password_for

    return password_for(address, lambda asked: ask_server_password(args, asked))


@contextmanager
def database(args: argparse.Namespace, *, signed_in: bool = True, writes: bool = True) -> Iterator["Database"]:
    db = open_db(args, signed_in=signed_in, writes=writes)
    try:
        yield db
    finally:
        db.close()


def check_user(args: argparse.Namespace) -> None:
    """For commands that work on the file itself (check, backup): a ``--user``
    given is checked like anywhere else, then the database is closed again."""
    if getattr(args, "user", None):
        open_db(args, writes=False).close()


# ---- administrators -----------------------------------------------------------

def require_admin_user(args: argparse.Namespace, what: str) -> None:
    """Before touching the file at ``--db``: when it has accounts, ``--user``
    must be an administrator (their password checked). ``what``: the action."""
    from gocong_desktop.core.db.access import ensure_admin, file_has_accounts
    from gocong_desktop.core.errors import PermissionDeniedError

    path = db_path(args)
    if getattr(args, "user", None) and path.exists():
        db = open_db(args, writes=False)
        role = db.role()
        db.close()
        ensure_admin(role, what)
    elif file_has_accounts(path):
        raise PermissionDeniedError(f"Dữ liệu này có tài khoản bảo vệ: chỉ quản trị viên mới được {what}; "
                                    f"hãy {USER_HINT}.")
