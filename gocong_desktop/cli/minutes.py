"""``gocong-desktop minutes``: a meeting's minutes as PDF or Word (.docx), or a group's blank form as PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from gocong_desktop.cli.access import add_db_user_args, database


def add_parsers(sub: argparse._SubParsersAction) -> None:
    mn = sub.add_parser("minutes", help="in biên bản cuộc họp ra PDF hoặc Word, hoặc mẫu biên bản trống của một tổ")
    add_db_user_args(mn)
    which = mn.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", metavar="ID", help="mã cuộc họp cần in biên bản")
    which.add_argument("--group", metavar="ID", help="mã tổ, hoặc số tổ (ví dụ 5), cùng --blank")
    mn.add_argument("--blank", action="store_true",
                    help="mẫu biên bản trống để ghi tay, kèm danh sách các hộ của tổ")
    mn.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.docx",
                    help="tệp cần ghi: .pdf (bản in có mã kiểm tra) hoặc .docx (bản Word để chỉnh sửa)")
    mn.set_defaults(usage=mn)


def cmd_minutes(args: argparse.Namespace) -> int:
    if args.blank != bool(args.group):
        args.usage.error("--blank chỉ dùng với --group; --group cần --blank")  # exits 2
    from gocong_desktop.core.documents.minutes import blank_format, minutes_format, write_blank_minutes, write_minutes

    (blank_format if args.blank else minutes_format)(args.out)  # refused before the database is opened

    with database(args, writes=False) as db, db.session() as session:
        if args.blank:
            from gocong_desktop.core.services.groups import find_group  # with the field rules: the form only

            doc = write_blank_minutes(session, find_group(session, args.group), args.out)
            print(f"Đã ghi mẫu biên bản trống của {doc.issuer.issuing_body}: {args.out}")
        else:
            doc = write_minutes(session, args.meeting, args.out)
            word = " (bản Word để chỉnh sửa)" if args.out.suffix.lower() == ".docx" else ""
            print(f"Đã ghi biên bản{'' if doc.is_final else ' (bản nháp)'}{word}: {args.out}")
    return 0


COMMANDS = {"minutes": cmd_minutes}
