"""``gocong-desktop households import FILE``: a commune's existing household list
(.xlsx or .csv) into the register, through the same service as the window —
columns guessed (or ``--map``), every row checked, then all or nothing.

Exit status: 0 imported (or, ``--dry-run``, would import); 1 the file or a row
refused (nothing written), with one Vietnamese line on stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gocong_desktop.cli.access import add_db_user_args, database

MAP_HELP = ("chọn cột cho từng thông tin, ví dụ «Họ tên=chủ hộ,Thôn=ấp,STT=bỏ qua» (thông tin: chủ hộ, năm sinh, "
            "giới tính, ấp, tổ, địa chỉ, điện thoại, CCCD, nhân khẩu, ghi chú); mặc định: đoán theo tên cột, "
            "hoặc theo lần nhập trước trên máy này")


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("households", help="nhập danh sách hộ gia đình có sẵn (Excel, CSV)")
    actions = group.add_subparsers(dest="households_action", metavar="VIỆC", required=True)
    p = actions.add_parser("import", help="nhập hộ gia đình từ tệp .xlsx hoặc .csv")
    p.add_argument("file", type=Path, metavar="TỆP", help="tệp .xlsx hoặc .csv, dòng tiêu đề ở trên")
    add_db_user_args(p)
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước từng dòng, không ghi gì")
    p.add_argument("--map", metavar="CỘT=THÔNG_TIN,…", default=None, help=MAP_HELP)
    p.add_argument("--skip-errors", action="store_true",
                   help="nhập các dòng đúng, bỏ qua các dòng lỗi (mặc định: có dòng lỗi thì không nhập gì)")
    p.add_argument("--encoding", choices=("utf-8", "cp1258"), default=None,
                   help="bảng mã của tệp .csv (mặc định: tự nhận UTF-8, nếu không được thì Windows-1258)")


def run(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services import household_import as hi

    table = hi.read_table(args.file, encoding=args.encoding)
    mapping = hi.mapping_for(table, hi.parse_mapping_text(args.map) if args.map else None)
    try:
        with database(args, writes=not args.dry_run) as db, db.session() as session:
            if args.dry_run:
                plan = hi.plan_import(session, table, mapping)
            else:
                plan = hi.import_households(session, table, mapping, skip_refused=args.skip_errors).plan
    except hi.RowsRefused as refused:
        _print_plan(table, refused.plan)  # every refused row, before the one-line error
        raise
    _print_plan(table, plan)
    if args.dry_run:
        if plan.refused and not args.skip_errors:
            raise hi.RowsRefused(hi.refusal(plan), plan)
        print(f"Xem thử, chưa ghi gì: sẽ {plan.summary()}.")
        return 0
    hi.remember_mapping(table.headers, mapping)
    print(f"Đã nhập từ «{table.path.name}»: {plan.summary()}.")
    return 0


def _print_plan(table, plan) -> None:
    from gocong_desktop.core.services import household_import as hi

    print(f"Tệp «{table.path.name}» ({table.description}), dòng tiêu đề {table.header_line}, "
          f"{len(table.rows)} dòng dữ liệu.")
    used = [f"«{h}» → {hi.LABELS[k]}" for h, k in zip(plan.headers, plan.mapping) if k != hi.IGNORED]
    print("Cột: " + "; ".join(used) + ".")
    for row in plan.rows:
        if row.action in (hi.UPDATE, hi.REFUSED):
            print(f"Dòng {row.line} ({row.head_name or 'không tên'}): {row.action_label.lower()} — {row.message}")


COMMANDS = {"households": run}
