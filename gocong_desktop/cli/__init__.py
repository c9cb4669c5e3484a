"""Command line: the same services the GUI uses.

Exit status: 0 success, 2 wrong usage (argparse), 1 refused input or file.
An expected error prints one Vietnamese line to stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import unicodedata
from pathlib import Path
from typing import Sequence

from gocong_desktop import __version__
from gocong_desktop.cli import accounts as cli_accounts, argparse_vi as cli_argparse_vi, encrypt as cli_encrypt, key_backup as cli_key_backup, pledges as cli_pledges, reports as cli_reports, safety as cli_safety, settings as cli_settings, sync as cli_sync
from gocong_desktop.cli.access import add_db_arg, add_db_user_args, database, db_path, writing
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.logs import setup_logging, unexpected_error_message

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    from gocong_desktop.core.services.listing import KINDS

    cli_argparse_vi.install()
    parser = argparse.ArgumentParser(
        prog="gocong-desktop",
        description="Sổ theo dõi phong trào Toàn dân bảo vệ an ninh Tổ quốc cấp xã.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="in số phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    gui = sub.add_parser("gui", help="mở cửa sổ chương trình (mặc định)")
    add_db_arg(gui)
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
    cli_key_backup.add_init_args(init)
    init.set_defaults(usage=init)
    demo = sub.add_parser("demo", help="tạo cơ sở dữ liệu mẫu của một xã")
    add_db_arg(demo)
    demo.add_argument("--households", type=int, default=1500, metavar="N", help="số hộ (mặc định 1500)")
    demo.add_argument("--seed", type=int, default=0, metavar="S", help="hạt giống ngẫu nhiên")
    demo.add_argument("--name", metavar="TÊN", help="tên xã (mặc định: Bình Tân); cho nhiều xã mẫu khác nhau")
    demo.add_argument("--code", metavar="MÃ", help="mã đơn vị hành chính của xã (mặc định: 28318 cho Bình Tân)")
    demo.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    lst = sub.add_parser("list", help="liệt kê dữ liệu")
    lst.add_argument("kind", choices=KINDS, metavar="KIND", help=" | ".join(KINDS))
    add_db_user_args(lst)
    lst.add_argument("--search", help="tìm không phân biệt dấu, hoa thường (đ = d)")
    lst.add_argument("--year", type=int, help="năm (cho cam kết; mặc định năm nay)")
    lst.add_argument("--json", action="store_true", help="xuất JSON")
    _minutes_parser(sub)
    cli_reports.add_parser(sub)
    cli_pledges.add_parser(sub)
    cli_safety.add_parsers(sub)
    cli_encrypt.add_parsers(sub)
    cli_sync.add_parsers(sub)
    cli_accounts.add_parsers(sub)
    cli_settings.add_parsers(sub)
    return parser


def _minutes_parser(sub: argparse._SubParsersAction) -> None:
    mn = sub.add_parser("minutes", help="in biên bản cuộc họp ra PDF, hoặc mẫu biên bản trống của một tổ")
    add_db_user_args(mn)
    which = mn.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", metavar="ID", help="mã cuộc họp cần in biên bản")
    which.add_argument("--group", metavar="ID", help="mã tổ, hoặc số tổ (ví dụ 5), cùng --blank")
    mn.add_argument("--blank", action="store_true",
                    help="mẫu biên bản trống để ghi tay, kèm danh sách các hộ của tổ")
    mn.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="tệp PDF cần ghi")
    mn.set_defaults(usage=mn)


def cmd_init(args: argparse.Namespace) -> int:
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
    with writing(args):  # an empty file the window is setting up is not filled twice
        path = create_office_database(db_path(args), setup).path  # all or nothing
    unit = f"{setup.unit_type or ('xã' if setup.role == 'commune' else 'cơ quan')} {setup.unit_name}"
    print(f"Đã tạo cơ sở dữ liệu cho {unit}: {path}")
    if hamlets.names:
        print(f"  {len(hamlets.names)} ấp: {', '.join(hamlets.names)}")
    for dropped, kept in hamlets.duplicates:
        print(f"  Bỏ qua «{dropped}»: trùng với «{kept}».")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from gocong_desktop.core.demo import MAX_HOUSEHOLDS, MIN_HOUSEHOLDS, generate_demo
    from gocong_desktop.core.demo.accounts import is_demo_file

    path = db_path(args)
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


def cmd_list(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services.listing import TABLE_COLUMNS, display_value, list_records

    with database(args, writes=False) as db, db.session() as session:
        records = list_records(session, args.kind, search=args.search, year=args.year)
    if args.json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    columns = TABLE_COLUMNS[args.kind]
    table = [[h for _, h in columns]] + [[display_value(r.get(k)) for k, _ in columns] for r in records]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print(f"({len(records)} dòng)")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    if args.blank != bool(args.group):
        args.usage.error("--blank chỉ dùng với --group; --group cần --blank")  # exits 2
    from gocong_desktop.core.documents.pdf.blank import write_blank_minutes_pdf
    from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf
    from gocong_desktop.core.services.minutes_data import blank_minutes_document, minutes_document
    from gocong_desktop.core.services.groups import find_group

    with database(args, writes=False) as db, db.session() as session:
        doc = (blank_minutes_document(session, find_group(session, args.group)) if args.blank
               else minutes_document(session, args.meeting))
    if args.blank:
        write_blank_minutes_pdf(doc, args.out)
        print(f"Đã ghi mẫu biên bản trống của {doc.issuer.issuing_body}: {args.out}")
    else:
        write_minutes_pdf(doc, args.out)
        print(f"Đã ghi biên bản{'' if doc.is_final else ' (bản nháp)'}: {args.out}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from gocong_desktop.gui.app import run_gui

    return run_gui(db_path=args.db)


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "list": cmd_list, "minutes": cmd_minutes, "gui": cmd_gui,
            "report": cli_reports.run, "pledges": cli_pledges.run, **cli_safety.COMMANDS, **cli_encrypt.COMMANDS,
            **cli_sync.COMMANDS, "account": cli_accounts.run, "settings": cli_settings.run}


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):  # Windows consoles default to a code page
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    argv = [unicodedata.normalize("NFC", a) for a in (sys.argv[1:] if argv is None else argv)]
    if len(argv) == 1 and argv[0].lower().endswith(".gcsync"):  # a package double-clicked in Explorer
        argv = []  # opens the app (importing it there comes with the Sync page)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]  # the GUI is the default command
    args = build_parser().parse_args(argv)
    log_file = setup_logging()
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(unexpected_error_message(log_file), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
