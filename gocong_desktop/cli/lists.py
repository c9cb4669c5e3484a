"""``gocong-desktop list``: households, groups, meetings… as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from gocong_desktop.cli.access import add_db_user_args, database
from gocong_desktop.core.services.list_kinds import KINDS


def add_parsers(sub: argparse._SubParsersAction) -> None:
    lst = sub.add_parser("list", help="liệt kê dữ liệu")
    lst.add_argument("kind", choices=KINDS, metavar="KIND", help=" | ".join(KINDS))
    add_db_user_args(lst)
    lst.add_argument("--search", help="tìm không phân biệt dấu, hoa thường (đ = d)")
    lst.add_argument("--year", type=int, help="năm (cho cam kết; mặc định năm nay)")
    output = lst.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="xuất JSON")
    output.add_argument("--out", type=Path, metavar="FILE.xlsx|FILE.pdf",
                        help="ghi danh sách ra tệp Excel, hoặc PDF để in")


def cmd_list(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services.listing import TABLE_COLUMNS, display_value, list_records

    if args.out is not None:
        from gocong_desktop.core.documents.lists import check_list_path

        check_list_path(args.out)  # before the database is opened
    with database(args, writes=False) as db, db.session() as session:
        records = list_records(session, args.kind, search=args.search, year=args.year)
        if args.out is not None:
            return _write(session, args, records)
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


def _write(session, args: argparse.Namespace, records: list[dict]) -> int:
    from gocong_desktop.core.documents.lists import records_sheet, write_list

    year = args.year or (date.today().year if args.kind == "pledges" else None)
    count = write_list(session, records_sheet(args.kind, records, search=args.search, year=year), args.out)
    print(f"Đã ghi danh sách {count} dòng: {args.out}")
    return 0


COMMANDS = {"list": cmd_list}
