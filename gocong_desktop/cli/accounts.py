"""``gocong-desktop account list | add | create-admin | passwd | recover | recovery-code``:
local accounts, through the same services as the GUI (``core.services.accounts``).
A new recovery code can be written to a one-page recovery sheet (PDF) as well.

Passwords are asked without echo (twice for a new one), or read from stdin
with ``--password-stdin``, one line per secret in the order they are asked.
Heavy imports (database, Argon2) happen only when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gocong_desktop.cli.recovery_codes import (add_recovery_sheet_arg, print_code, print_new_code, refuse_data_file,
                                               write_recovery_sheet)
from gocong_desktop.cli.access import (USER_HINT, add_db_arg, add_db_user_args, add_password_stdin_arg, ask_new_password,
                                       ask_secret, database, db_path, on_server, unlock_file, writing)

ROLES = {"administrator": "quản trị viên", "clerk": "cán bộ nhập liệu", "viewer": "người xem (chỉ xem và in)"}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    acc = sub.add_parser("account", help="tài khoản người dùng: xem, thêm, đổi mật khẩu, khôi phục")
    acts = acc.add_subparsers(dest="account_action", metavar="VIỆC", required=True)
    add_db_user_args(acts.add_parser("list", help="danh sách tài khoản (quản trị viên)"))
    add = acts.add_parser("add", help="thêm tài khoản (quản trị viên; hỏi mật khẩu của tài khoản mới hai lần)")
    add_db_user_args(add)
    add.add_argument("--username", required=True, metavar="TÊN",
                     help="tên đăng nhập: chữ không dấu, chữ số, «. _ -», ví dụ nguyen.van.a")
    add.add_argument("--name", required=True, metavar="HỌ_TÊN", help="họ và tên, ví dụ «Nguyễn Văn An»")
    add.add_argument("--role", required=True, choices=list(ROLES),
                     help="; ".join(f"{k}: {v}" for k, v in ROLES.items()))
    first = acts.add_parser("create-admin",
                            help="tạo quản trị viên đầu tiên (chỉ khi dữ liệu chưa có tài khoản); in mã khôi phục")
    add_db_arg(first)
    add_password_stdin_arg(first)
    first.add_argument("--username", required=True, metavar="TÊN", help="tên đăng nhập, ví dụ quantri")
    first.add_argument("--name", required=True, metavar="HỌ_TÊN", help="họ và tên")
    add_recovery_sheet_arg(first)
    pw = acts.add_parser("passwd", help="đổi mật khẩu của chính mình (tài khoản --user): "
                                        "mật khẩu cũ một lần, mật khẩu mới hai lần")
    add_db_user_args(pw)
    rec = acts.add_parser("recover", help="quên mật khẩu quản trị: đặt mật khẩu mới bằng mã khôi phục "
                                          "(in mã khôi phục mới)")
    add_db_arg(rec)
    add_password_stdin_arg(rec)
    rec.add_argument("--username", required=True, metavar="TÊN", help="tên đăng nhập của quản trị viên")
    add_recovery_sheet_arg(rec)
    reset = acts.add_parser("reset-password", help="quản trị viên đặt mật khẩu mới cho một tài khoản (người "
                                                   "quên mật khẩu, hoặc tài khoản cần mật khẩu sau khi mã hóa)")
    add_db_user_args(reset)
    reset.add_argument("--username", required=True, metavar="TÊN", help="tài khoản cần mật khẩu mới")
    new = acts.add_parser("recovery-code", help="tạo mã khôi phục mới cho một quản trị viên (mã cũ hết hiệu "
                                                "lực), in mã ra màn hình và ghi phiếu khôi phục (PDF)")
    add_db_user_args(new)
    new.add_argument("--account", metavar="TÊN", help="tài khoản quản trị cần mã mới (mặc định: chính --user)")
    new.add_argument("--out", type=Path, required=True, metavar="FILE.pdf",
                     help="tệp PDF của phiếu khôi phục (một trang A4, để in rồi xóa tệp)")


def run(args: argparse.Namespace) -> int:
    return {"list": _list, "add": _add, "create-admin": _create_admin, "passwd": _passwd,
            "recover": _recover, "recovery-code": _recovery_code, "reset-password": _reset_password}[args.account_action](args)


def _list(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services import accounts

    with database(args, writes=False) as db:
        _admin_needed(db, "xem danh sách tài khoản")
        with db.session() as session:
            rows = accounts.list_accounts(session)
    table = [["Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái"]]
    table += [[r.username, r.display_name, r.role_label, _state(r)] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print(f"({len(rows)} tài khoản)")
    return 0


def _state(row) -> str:
    if not row.active:
        return "đã khóa"
    return "cần đặt lại mật khẩu" if row.needs_password else "đang dùng"


def _reset_password(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services import accounts

    with database(args) as db:
        _admin_needed(db, "đặt lại mật khẩu")
        name = accounts.normal_username(args.username)
        with db.session() as session:
            target = accounts.find_account(session, name)
        password, confirm = ask_new_password(args, f"Mật khẩu mới cho «{name}»: ")
        with db.session() as session:
            accounts.reset_password(session, target.id, password, confirm)
    print(f"Đã đặt mật khẩu mới cho «{name}».")
    return 0


def _add(args: argparse.Namespace) -> int:
    from gocong_desktop.core.errors import ConflictError
    from gocong_desktop.core.services import accounts

    with database(args) as db:
        with db.session() as session:
            if not accounts.accounts_exist(session):
                raise ConflictError("Dữ liệu này chưa có tài khoản nào: hãy tạo quản trị viên đầu tiên bằng "
                                    "«gocong-desktop account create-admin».")
        _admin_needed(db, "thêm tài khoản")
        password, confirm = ask_new_password(args, f"Mật khẩu cho tài khoản mới «{args.username}»: ")
        with db.session() as session:
            accounts.add_account(session, username=args.username, display_name=args.name, role=args.role,
                                 password=password, confirm=confirm)
    print(f"Đã thêm tài khoản «{accounts.normal_username(args.username)}» ({ROLES[args.role]}).")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    """The first administrator of a plain file without accounts; the file is then
    encrypted with their password (their recovery code comes from that step)."""
    from gocong_desktop.core.errors import ConflictError
    from gocong_desktop.core.services import accounts
    from gocong_desktop.core.maintenance.encryption import encrypt_office_file

    db_path(args, "trên máy chủ, quản trị viên đầu tiên được tạo lúc thiết lập («init --role upper --admin TÊN»); "
                  "các tài khoản khác: «account add»")
    with writing(args):  # held from the first question to the encrypted file
        with database(args, signed_in=False) as db:
            refuse_data_file(args.recovery_sheet, db.path)
            with db.session() as session:
                if accounts.accounts_exist(session):  # before asking for a password
                    raise ConflictError("Dữ liệu này đã có tài khoản quản trị; hãy đăng nhập bằng tài khoản đó "
                                        "(«--user TÊN_ĐĂNG_NHẬP»).")
            password, confirm = ask_new_password(args, "Mật khẩu cho quản trị viên: ")
            with db.session() as session:
                accounts.create_first_admin(session, username=args.username, display_name=args.name,
                                            password=password, confirm=confirm)
        name = accounts.normal_username(args.username)
        result = encrypt_office_file(db.path, name, password)
        print(f"Đã tạo quản trị viên «{name}» và mã hóa dữ liệu bằng mật khẩu đó. "
              f"Bản sao lưu đã mã hóa: «{result.backup}».")
        print_new_code(args, db.path, name, result.recovery_code, new=False)
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from gocong_desktop.core.errors import UserError
    from gocong_desktop.core.services import accounts

    if not args.user:
        raise UserError("Hãy cho biết tài khoản cần đổi mật khẩu: thêm «--user TÊN_ĐĂNG_NHẬP».")
    old = ask_secret(args, f"Mật khẩu hiện tại của {args.user}: ")
    unlocked = unlock_file(args, old)  # an encrypted file: the current password opens it
    with database(args, signed_in=False) as db:
        if unlocked:
            accounts.sign_in_unlocked(db, args.user)
        else:
            accounts.sign_in(db, args.user, old)  # a wrong one: refused before the new one is asked
        password, confirm = ask_new_password(args)
        with db.session() as session:
            accounts.change_own_password(session, args.user, old, password, confirm)
    print(f"Đã đổi mật khẩu của «{accounts.normal_username(args.user)}».")
    return 0


def _recover(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services import accounts

    if not on_server(args):
        refuse_data_file(args.recovery_sheet, db_path(args).expanduser().absolute())
    code = ask_secret(args, "Mã khôi phục (ví dụ ABCD-EFGH-JKLM-NPQR-STUV): ")
    unlock_file(args, code, code=True, username=args.username)  # an encrypted file: the code opens it
    with database(args, signed_in=False) as db:
        password, confirm = ask_new_password(args)
        with db.session() as session:
            fresh = accounts.recover_with_code(session, args.username, code, password, confirm)
            sheet = write_recovery_sheet(session, args.recovery_sheet, args.username, fresh, db.path or db.where)
    print(f"Đã đặt mật khẩu mới cho «{accounts.normal_username(args.username)}». "
          "Mã khôi phục cũ không dùng được nữa.")
    print_code(fresh, new=True, sheet=sheet)
    return 0


def _recovery_code(args: argparse.Namespace) -> int:
    from gocong_desktop.core.errors import NotFoundError
    from gocong_desktop.core.services import accounts

    with database(args) as db:
        _admin_needed(db, "tạo mã khôi phục")
        if db.path is not None:
            refuse_data_file(args.out, db.path)
        name = accounts.normal_username(args.account or args.user)
        with db.session() as session:
            try:
                row = accounts.find_account(session, name)
            except NotFoundError as exc:
                raise NotFoundError(f"{exc.message} Xem danh sách bằng «gocong-desktop account list».") from None
            code = accounts.regenerate_recovery_code(session, row.id)
            sheet = write_recovery_sheet(session, args.out, name, code, db.path or db.where)  # before the change is kept
    print(f"Đã tạo mã khôi phục mới cho «{name}». Mã khôi phục cũ không dùng được nữa.")
    print_code(code, new=True, sheet=sheet)
    return 0


def _admin_needed(db, what: str) -> None:
    """An administrator's action: without ``--user``, say how to give one."""
    from gocong_desktop.core.db.access import Role, ensure_admin
    from gocong_desktop.core.errors import PermissionDeniedError

    role = db.role()
    if role == Role.SYSTEM:
        raise PermissionDeniedError(f"Chỉ quản trị viên mới được {what}: hãy {USER_HINT}.")
    ensure_admin(role, what)


COMMANDS = {"account": run}
