"""``gocong-desktop list``: households, groups, meetings… as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from gocong_desktop.cli.access import add_db_user_args, database
from gocong_desktop.core.services.list_kinds import KINDS


def add_parsers(sub: argparse._SubParsersAction) -> None:
    lst = sub.add_parser("list", help="liệt kê dữ liệu")
    lst.add_argument("kind", choices=KINDS, metavar="KIND", help=" | ".join(KINDS))
    add_db_user_args(lst)
    lst.add_argument("--search", help="tìm không phân biệt dấu, hoa thường (đ = d)")
    lst.add_argument("--year", type=int, help="năm (cho cam kết; mặc định năm nay)")
    lst.add_argument("--json", action="store_true", help="xuất JSON")


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


COMMANDS = {"list": cmd_list}
