"""``gocong-desktop report``: the review report of a period as PDF, Word or Excel, or the
evaluation record of one model evaluation as PDF — the same services as the GUI.

Heavy imports (database, reportlab, openpyxl) happen only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gocong_desktop.cli.access import add_db_user_args, database
from gocong_desktop.cli.signer_args import add_signer_args, given, signer_choice

PERIOD_HELP = ("kỳ báo cáo: 2024-H1 (6 tháng đầu năm), 2024-H2, 2024-9T (9 tháng), 2024-Q3 (quý), "
               "2024 (cả năm) hoặc 2024-01-01..2024-06-30")


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report", help="báo cáo sơ kết/tổng kết theo kỳ (PDF, Word hoặc Excel), hoặc biên bản đánh giá mô hình")
    add_db_user_args(report)
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", metavar="KỲ", help=PERIOD_HELP)
    which.add_argument("--evaluation", metavar="ID",
                       help="mã lần đánh giá: in biên bản đánh giá mô hình (PDF)")
    report.add_argument("--communes", action="store_true",
                        help="cơ quan cấp trên: báo cáo tổng hợp các xã trong kỳ (cùng --period)")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.docx|FILE.xlsx",
                        help="tệp cần ghi; đuôi .pdf, .docx (Word, để chỉnh sửa) hoặc .xlsx chọn định dạng")
    add_signer_args(report)
    report.set_defaults(usage=report)


def run(args: argparse.Namespace) -> int:
    from gocong_desktop.core.documents.reports import FORMATS, REVIEW_FORMATS, check_suffix

    suffix = args.out.suffix.lower()
    if args.evaluation and suffix != ".pdf":
        args.usage.error("biên bản đánh giá chỉ xuất ra PDF (.pdf)")
    if args.communes and not args.period:
        args.usage.error("--communes cần --period")
    if args.evaluation and given(args):
        args.usage.error("biên bản đánh giá do những người tham gia đánh giá ký: không dùng --signer-form, "
                         "--signer-name")
    check_suffix(args.out, FORMATS if args.communes else REVIEW_FORMATS)  # exits 1, nothing opened or written
    if args.evaluation:
        return _evaluation_record(args)
    choice = signer_choice(args)  # refused before the database is opened
    if args.communes:
        return _communes_report(args, choice)
    return _review_report(args, choice)


def _review_report(args: argparse.Namespace, choice) -> int:
    from gocong_desktop.core.documents.reports import write_review_report
    from gocong_desktop.core.services.review_period import parse_period

    period = parse_period(args.period)  # refused before the database is opened
    with database(args, writes=False) as db, db.session() as session:
        figures = write_review_report(session, period, args.out, signer=choice)
    print(f"Đã ghi báo cáo {period.review_word} {period.label} "
          f"({len(figures.models)} mô hình): {args.out}")
    return 0


def _communes_report(args: argparse.Namespace, choice) -> int:
    from gocong_desktop.core.documents.reports import write_aggregate_report
    from gocong_desktop.core.services.review_period import parse_period

    period = parse_period(args.period)
    with database(args, writes=False) as db, db.session() as session:
        figures = write_aggregate_report(session, period, args.out, signer=choice)  # refused at a commune office
    print(f"Đã ghi báo cáo tổng hợp các xã {period.label} ({len(figures.communes)} xã): {args.out}")
    return 0


def _evaluation_record(args: argparse.Namespace) -> int:
    from gocong_desktop.core.documents.reports import write_evaluation_record

    with database(args, writes=False) as db, db.session() as session:
        record = write_evaluation_record(session, args.evaluation, args.out)
    print(f"Đã ghi biên bản đánh giá mô hình «{record.model_name}», {record.period.label}: {args.out}")
    return 0


COMMANDS = {"report": run}
