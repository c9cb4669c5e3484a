"""``gocong-desktop init`` and ``demo``: a new office's data file, set up from the
answers (or from a key backup on a new PC), or a demo commune to try the app on."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from gocong_desktop.cli import key_backup as cli_key_backup
from gocong_desktop.cli.access import add_db_arg, db_location, db_path, writing
from gocong_desktop.core.errors import UserError

if TYPE_CHECKING:
    from gocong_desktop.core.setup.office import FirstAdmin


def add_parsers(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="tạo và thiết lập cơ sở dữ liệu mới")
    add_db_arg(init)
    init.add_argument("--unit-name", help="tên đơn vị, ví dụ «Bình Tân» (bắt buộc, trừ khi có --key-backup)")
    init.add_argument("--unit-code", help="mã đơn vị hành chính")
    init.add_argument("--unit-type", help="loại đơn vị: xã, phường, thị trấn... (mặc định: xã)")
    init.add_argument("--role", choices=["commune", "upper"], default="commune",
                      help="commune: cấp xã; upper: cơ quan cấp trên")
    init.add_argument("--upper-name", help="tên cơ quan cấp trên nhận tệp đồng bộ")
    init.add_argument("--province", help="tên tỉnh")
    init.add_argument("--district", help="tên huyện (nếu còn)")
    init.add_argument("--hamlet", action="append", metavar="NAME",
                      help="thêm một ấp/khu phố (lặp lại cho nhiều ấp)")
    init.add_argument("--admin", metavar="TÊN_ĐĂNG_NHẬP",
                      help="tạo luôn tài khoản quản trị viên đầu tiên (sẽ hỏi mật khẩu); bắt buộc với "
                           "cơ sở dữ liệu trên máy chủ PostgreSQL")
    init.add_argument("--admin-name", metavar="HỌ_TÊN", help="họ tên của quản trị viên đó (mặc định: tên đăng nhập)")
    cli_key_backup.add_init_args(init)
    init.set_defaults(usage=init)
    demo = sub.add_parser("demo", help="tạo cơ sở dữ liệu mẫu của một xã")
    add_db_arg(demo)
    demo.add_argument("--households", type=int, default=1500, metavar="N", help="số hộ (mặc định 1500)")
    demo.add_argument("--seed", type=int, default=0, metavar="S", help="hạt giống ngẫu nhiên")
    demo.add_argument("--name", metavar="TÊN", help="tên xã (mặc định: Bình Tân); cho nhiều xã mẫu khác nhau")
    demo.add_argument("--code", metavar="MÃ", help="mã đơn vị hành chính của xã (mặc định: 28318 cho Bình Tân)")
    demo.add_argument("--force", action="store_true", help="ghi đè tệp đã có")


def cmd_init(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from gocong_desktop.cli.recovery_codes import print_code
    from gocong_desktop.core.db.location import ServerAddress
    from gocong_desktop.core.setup.office import OfficeSetup, create_office_database, parse_hamlets

    hamlets = parse_hamlets("\n".join(args.hamlet or []))
    if args.key_backup:  # the same unit set up again on a new PC
        setup = cli_key_backup.init_setup(args, tuple(hamlets.names))
    elif not args.unit_name:
        args.usage.error("cần --unit-name (hoặc --key-backup để thiết lập lại đơn vị từ tệp khóa dự phòng)")
    else:
        setup = OfficeSetup(role=args.role, unit_type=args.unit_type or "", unit_name=args.unit_name,
                            province=args.province or "", unit_code=args.unit_code,
                            district=args.district, upper_office=args.upper_name,
                            hamlets=tuple(hamlets.names))
    location = db_location(args)  # a bad URL: refused before any question
    if args.admin:
        setup = replace(setup, admin=_first_admin(args))
    if isinstance(location, ServerAddress):  # the server serialises writers; there is no lock file
        created = create_office_database(location, setup)
    else:
        with writing(args):  # an empty file the window is setting up is not filled twice
            created = create_office_database(location, setup)  # all or nothing
    unit = f"{setup.unit_type or ('xã' if setup.role == 'commune' else 'cơ quan')} {setup.unit_name}"
    print(f"Đã tạo cơ sở dữ liệu cho {unit}: {created.path}")
    if hamlets.names:
        print(f"  {len(hamlets.names)} ấp: {', '.join(hamlets.names)}")
    for dropped, kept in hamlets.duplicates:
        print(f"  Bỏ qua «{dropped}»: trùng với «{kept}».")
    if created.recovery_code is not None:
        print(f"  Quản trị viên: «{setup.admin.username}».")
        print_code(created.recovery_code, new=True)
    return 0


def _first_admin(args: argparse.Namespace) -> "FirstAdmin":
    """``--admin``'s password, asked twice (or one line of stdin with ``--password-stdin``)."""
    from gocong_desktop.cli.access import ask_new_password
    from gocong_desktop.core.setup.office import FirstAdmin

    password, confirm = ask_new_password(args, f"Mật khẩu cho quản trị viên «{args.admin}»: ")
    return FirstAdmin(username=args.admin, display_name=args.admin_name or args.admin, password=password,
                      confirm=confirm)


def cmd_demo(args: argparse.Namespace) -> int:
    from gocong_desktop.core.demo import MAX_HOUSEHOLDS, MIN_HOUSEHOLDS, generate_demo
    from gocong_desktop.core.demo.accounts import is_demo_file

    path = db_path(args, "dữ liệu mẫu là một xã, luôn nằm trong một tệp trên máy này")
    if not MIN_HOUSEHOLDS <= args.households <= MAX_HOUSEHOLDS:  # before anything is touched
        raise UserError(f"Số hộ mẫu phải từ {MIN_HOUSEHOLDS} đến {MAX_HOUSEHOLDS:,}.".replace(",", "."))
    if args.force and path.exists() and not is_demo_file(path):  # real data is never overwritten
        raise UserError(f"«{path}» không phải dữ liệu mẫu: --force chỉ ghi đè tệp dữ liệu mẫu. "
                        "Hãy chọn tên tệp khác.")
    with writing(args):  # refused while the app (or another command) has it open
        if args.force:
            from gocong_desktop.core.sqlite.raw import side_files

            for old in (path, *side_files(path)):  # with its key slot table
                old.unlink(missing_ok=True)
        summary = generate_demo(path, households=args.households, seed=args.seed, unit_name=args.name,
                                unit_code=args.code)
    print(f"Đã tạo dữ liệu mẫu tại {path}")
    for line in summary.lines():
        print(f"  {line}")
    return 0


COMMANDS = {"init": cmd_init, "demo": cmd_demo}
