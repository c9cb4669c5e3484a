"""``gocong-desktop encrypt``: encrypt a plain database made by the previous version.

The same work as «Hệ thống › Mã hóa dữ liệu…» (``core.maintenance.encryption``):
an administrator's password (asked, or one line of stdin), the office lock held
throughout, the new recovery code printed once (and its sheet written on request).
"""

from __future__ import annotations

import argparse

from gocong_desktop.cli.access import add_db_user_args, ask_secret, db_path, slow_when_wrong, writing
from gocong_desktop.cli.recovery_codes import add_recovery_sheet_arg, print_new_code, refuse_data_file


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    encrypt = subparsers.add_parser(
        "encrypt", help="mã hóa tệp dữ liệu do phiên bản trước tạo (quản trị viên, --user; sẽ hỏi mật khẩu)")
    add_db_user_args(encrypt)
    add_recovery_sheet_arg(encrypt)


def run_encrypt(args: argparse.Namespace) -> int:
    from gocong_desktop.core.errors import PermissionDeniedError
    from gocong_desktop.core.maintenance.encryption import encrypt_office_file

    path = db_path(args, "mã hóa là việc của một tệp dữ liệu; dữ liệu trên máy chủ được bảo vệ bằng "
                         "tài khoản và quyền của máy chủ").expanduser().absolute()
    if not args.user:
        raise PermissionDeniedError("Chỉ quản trị viên mới được mã hóa dữ liệu: hãy thêm «--user TÊN_ĐĂNG_NHẬP».")
    refuse_data_file(args.recovery_sheet, path)
    password = ask_secret(args, f"Mật khẩu của {args.user}: ")
    with writing(args):
        with slow_when_wrong():
            result = encrypt_office_file(path, args.user, password)
        _tell(path, result)
        print_new_code(args, path, args.user, result.recovery_code)
    return 0


def _tell(path, result) -> None:
    print(f"Đã mã hóa «{path}». Bản sao lưu đã mã hóa: «{result.backup}».")
    print(f"Đã xóa {len(result.removed)} bản sao chưa mã hóa do chương trình tạo.")
    for item, why in result.not_removed:
        print(f"  Chưa xóa được «{item}»: {why}. Hãy tự xóa khi có thể.")
    if result.need_password:
        print("Quản trị viên cần đặt lại mật khẩu (Hệ thống › Tài khoản người dùng) cho: "
              + ", ".join(result.need_password) + ".")


COMMANDS = {"encrypt": run_encrypt}
