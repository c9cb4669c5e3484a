"""``gocong-desktop check | backup | restore``: the data-safety commands.

The same core functions as the GUI (``core.maintenance.check``, ``backup``, ``restore``);
heavy imports happen only when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from gocong_desktop.cli.access import add_db_user_args as _db_arg
from gocong_desktop.cli.access import (ask_secret, check_user, db_path, require_admin_user, server_with_password,
                                       sign_in, slow_when_wrong, writing)

if TYPE_CHECKING:
    from gocong_desktop.core.db.location import ServerAddress


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check", help="kiểm tra dữ liệu: toàn vẹn tệp, tham chiếu, các quy tắc của chương trình")
    _db_arg(check)
    check.add_argument("--full", action="store_true",
                       help="kiểm tra kỹ: cả từng chỉ mục so với bảng (integrity_check) và từng giá trị đã lưu theo "
                            "quy tắc của biểu mẫu (độ dài, khoảng số, lựa chọn, ngày, dạng NFC); chậm hơn nhiều "
                            "trên tệp lớn")
    backup = subparsers.add_parser("backup", help="sao lưu cơ sở dữ liệu ra một tệp (đã kiểm tra toàn vẹn)")
    _db_arg(backup)
    backup.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="tệp sao lưu cần ghi (hoặc một thư mục); cơ sở dữ liệu trên máy chủ PostgreSQL: "
                            "sao lưu bằng pg_dump")
    restore = subparsers.add_parser(
        "restore", help="khôi phục từ một bản sao lưu; tệp dữ liệu hiện tại được giữ lại, không xóa "
                   "(dữ liệu có tài khoản: cần --user của quản trị viên)")
    _db_arg(restore)
    restore.add_argument("backup_file", type=Path, metavar="FILE", help="bản sao lưu cần khôi phục")
    restore.add_argument("--confirm-office", metavar="TÊN_ĐƠN_VỊ",
                         help="khôi phục bản sao lưu của đơn vị khác (hoặc cấp khác): gõ đúng tên đơn vị của "
                              "bản sao lưu, ví dụ «xã Bình Nhì»")


def run_check(args: argparse.Namespace) -> int:
    from gocong_desktop.core.maintenance.check import check_database

    location = _location(args)
    if location is None:
        check_user(args)
        location = db_path(args)
        how = ("kiểm tra kỹ, cả chỉ mục và từng giá trị" if args.full
               else "kiểm tra nhanh; thêm --full để kiểm tra kỹ cả chỉ mục và từng giá trị")
    else:
        how = "các quy tắc của chương trình; tham chiếu giữa các bảng do máy chủ bảo đảm" + (
            "; cả từng giá trị" if args.full else "; thêm --full để kiểm tra cả từng giá trị")
    problems = check_database(location, full=args.full)
    if not problems:
        print(f"Không phát hiện vấn đề nào trong «{location}» ({how}).")
        return 0
    print(f"Phát hiện {len(problems)} vấn đề trong «{location}»:")
    for problem in problems:
        print(f"  - {problem.message}")
    return 1


def _location(args: argparse.Namespace) -> "ServerAddress | None":
    """``--db``'s server (a ``postgresql://`` URL or a ``.gcserver`` file), its password
    asked when nothing supplied one, its ``--user`` checked; None for a file."""
    from gocong_desktop.core.db.location import ServerAddress, parse_location

    if args.db is None:
        return None
    location = parse_location(args.db)
    if not isinstance(location, ServerAddress):
        return None
    location = server_with_password(args, location)
    if args.user:  # an officer's account on the server, as anywhere else
        from gocong_desktop.core.db.engine import open_database

        db = open_database(location)
        try:
            sign_in(db, args)
        finally:
            db.close()
    return location


def _backup_server(server: "ServerAddress", out: Path) -> int:
    from gocong_desktop.core.maintenance.server_backup import write_server_backup

    written = write_server_backup(server, out)
    size = f"{written.stat().st_size / 1_000_000:.1f}".replace(".", ",")
    print(f"Đã sao lưu «{server}» vào «{written}» ({size} MB, bằng pg_dump; đã đọc lại bằng pg_restore --list).")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from datetime import datetime

    from gocong_desktop.core.storage.backup import MANUAL, backup_extension, write_backup

    if (server := _location(args)) is not None:
        return _backup_server(server, args.out)
    check_user(args)
    path, out = db_path(args), args.out
    if out.is_dir():
        out = out / f"{path.stem}_{datetime.now():%Y%m%d-%H%M%S}_{MANUAL}{backup_extension(path)}"
    written = write_backup(path, out)
    size = f"{written.stat().st_size / 1_000_000:.1f}".replace(".", ",")  # Vietnamese decimal comma
    print(f"Đã sao lưu «{path}» vào «{written}» ({size} MB, đã kiểm tra toàn vẹn).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from gocong_desktop.core.maintenance.restore import restore_backup

    db_path(args, "khôi phục thay một tệp dữ liệu bằng bản sao lưu tệp; cơ sở dữ liệu trên máy chủ khôi phục "
                  "bằng công cụ của máy chủ (pg_restore)")
    require_admin_user(args, "khôi phục dữ liệu từ bản sao lưu")  # before anything is touched
    path = db_path(args)
    _unlock_backup(args)
    with writing(args):  # refused while the window or another command writes to the file
        aside = restore_backup(path, args.backup_file, confirm_office=args.confirm_office)
    print(f"Đã khôi phục «{path}» từ «{args.backup_file}».")
    if aside is not None:
        print(f"Tệp dữ liệu trước khi khôi phục được giữ tại «{aside}».")
    return 0


def _unlock_backup(args: argparse.Namespace) -> None:
    """An encrypted backup: a password valid in it (the one that will open the file
    after restoring; it may differ from today's) is asked and checked first."""
    from gocong_desktop.core.storage.backup_file import is_backup_file
    from gocong_desktop.core.errors import PermissionDeniedError
    from gocong_desktop.core.services.unlocking import unlock_backup_with_password

    if not is_backup_file(args.backup_file):
        return
    if not args.user:
        raise PermissionDeniedError("Bản sao lưu đã được mã hóa: hãy thêm «--user TÊN_ĐĂNG_NHẬP» của quản trị viên "
                                    "(sẽ hỏi mật khẩu lúc sao lưu).")
    secret = ask_secret(args, f"Mật khẩu của {args.user} trong bản sao lưu (mật khẩu lúc sao lưu): ")
    with slow_when_wrong():
        unlock_backup_with_password(args.backup_file, args.user, secret)


COMMANDS = {"check": run_check, "backup": run_backup, "restore": run_restore}
