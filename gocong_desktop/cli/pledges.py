"""``gocong-desktop pledges``: the year's pledge PDFs — pre-filled forms (one form
per household), a group's register sheet, or the households not yet signed —
through the same services as the GUI, the file written atomically.

Heavy imports (database, reportlab) happen only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gocong_desktop.cli.access import add_db_user_args, database
from gocong_desktop.cli.signer_args import add_signer_args, given, signer_choice

SHEETS = {"forms": "bản cam kết in sẵn, mỗi hộ một bản, in được hai mặt (mặc định)",
          "register": "sổ theo dõi ký cam kết của một tổ (cần --group)",
          "not-signed": "danh sách hộ chưa ký"}


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("pledges", help="in bản cam kết của hộ gia đình, sổ theo dõi, danh sách hộ chưa ký")
    add_db_user_args(p)
    p.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm của đợt cam kết")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--group", metavar="ID", help="mã tổ, hoặc số tổ (ví dụ 5)")
    which.add_argument("--hamlet", metavar="ID", help="mã ấp, hoặc tên ấp (ví dụ «Lợi An»)")
    which.add_argument("--household", metavar="ID", help="mã hộ: in bản cam kết của một hộ")
    p.add_argument("--sheet", choices=list(SHEETS), default="forms",
                   help="; ".join(f"{k}: {v}" for k, v in SHEETS.items()))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="tệp PDF cần ghi")
    add_signer_args(p)
    p.set_defaults(usage=p)


def run(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".pdf":
        args.usage.error("--out phải là tệp .pdf")  # exits 2
    if args.sheet == "register" and not args.group:
        args.usage.error("sổ theo dõi in theo từng tổ: hãy cho --group")
    if args.household and args.sheet != "forms":
        args.usage.error("--household chỉ dùng để in bản cam kết (--sheet forms)")
    if given(args) and (args.sheet != "not-signed" or args.group or args.hamlet):
        args.usage.error("--signer-form, --signer-name chỉ dùng cho danh sách hộ chưa ký của cả xã "
                         "(--sheet not-signed, không có --group, --hamlet)")
    choice = signer_choice(args)
    with database(args, writes=False) as db, db.session() as session:
        count = _write(session, args, choice)
    print(f"Đã ghi {_what(args.sheet, count)} năm {args.year}: {args.out}")
    return 0


def _write(session, args: argparse.Namespace, choice=None) -> int:
    """The chosen sheet for the chosen scope; how many households it lists."""
    from gocong_desktop.core.documents import pledges
    from gocong_desktop.core.services.groups import find_group
    from gocong_desktop.core.services.hamlets import find_hamlet

    group_id = find_group(session, args.group) if args.group else None
    hamlet_id = find_hamlet(session, args.hamlet) if args.hamlet else None
    if args.sheet == "forms":
        return pledges.write_pledge_forms(session, args.year, args.out, household_id=args.household,
                                          group_id=group_id, hamlet_id=hamlet_id)
    if args.sheet == "register":
        return pledges.write_register(session, args.year, group_id, args.out)
    return pledges.write_not_signed(session, args.year, args.out, group_id=group_id, hamlet_id=hamlet_id,
                                    signer=choice)


def _what(sheet: str, count: int) -> str:
    return {"forms": f"{count} bản cam kết", "register": f"sổ theo dõi ({count} hộ)",
            "not-signed": f"danh sách {count} hộ chưa ký"}[sheet]


COMMANDS = {"pledges": run}
