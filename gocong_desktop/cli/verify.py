"""``gocong-desktop verify``: is a paper copy of final minutes genuine and current?

Exit status: 0 when every code checked is of the current version of final minutes;
1 otherwise — an earlier version (superseded by an amendment, or being amended),
a code not in the data, a QR whose content matches no version of its meeting, a
short code shared by several minutes — and, as for every command, a refused input
or file (one line "Lỗi: …" on stderr).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gocong_desktop.cli.access import add_db_user_args, database

EXIT_NOTE = ("Mã thoát: 0 khi mã là của bản hiện hành của biên bản đã hoàn tất; 1 khi là bản cũ đã được "
             "đính chính, không tìm thấy, không khớp, trùng nhiều biên bản, hoặc tệp/mã không đọc được.")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    vf = sub.add_parser("verify", help="kiểm tra mã đối chiếu (hoặc mã QR trên bản quét) của biên bản",
                        description="Kiểm tra một bản giấy của biên bản đã hoàn tất: nhập mã đối chiếu in ở "
                                    "chân trang, hoặc đưa bản quét (PDF, PNG, JPG) để đọc mã QR.",
                        epilog=EXIT_NOTE)
    add_db_user_args(vf)
    which = vf.add_mutually_exclusive_group(required=True)
    which.add_argument("code", nargs="?", metavar="MÃ",
                       help="mã đối chiếu, ví dụ 3F2A-91C0-7B (không phân biệt hoa thường, dấu cách, dấu "
                            "gạch), hoặc nội dung mã QR")
    which.add_argument("--file", type=Path, metavar="BẢN_QUÉT", help="bản quét trang biên bản: .pdf, .png, .jpg")


def cmd_verify(args: argparse.Namespace) -> int:
    from gocong_desktop.core.documents.scanned_minutes import verify_scan
    from gocong_desktop.core.services.minutes_codes import verify_code

    with database(args, writes=False) as db, db.session() as session:
        verdicts = verify_scan(session, args.file) if args.file else [verify_code(session, args.code)]
    for number, verdict in enumerate(verdicts, start=1):
        if len(verdicts) > 1:
            print(f"Mã QR thứ {number}:")
        print("\n".join(verdict.lines()))
    return 0 if all(v.genuine_current for v in verdicts) else 1


COMMANDS = {"verify": cmd_verify}
