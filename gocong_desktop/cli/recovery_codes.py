"""Recovery codes on the command line: printed once, and their sheet (PDF) on request.
Shared by ``account`` and ``encrypt``."""

from __future__ import annotations

import argparse
from pathlib import Path

KEEP_CODE = ("Hãy chép mã khôi phục này ra giấy và cất giữ cẩn thận: mã chỉ hiện một lần này; "
             "khi quên mật khẩu quản trị, chỉ mã này lấy lại được tài khoản.")


def add_recovery_sheet_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--recovery-sheet", type=Path, metavar="FILE.pdf",
                        help="ghi cả phiếu khôi phục (PDF một trang có mã khôi phục) vào tệp này, để in")


def print_code(code: str, *, new: bool = False, sheet: Path | None = None) -> None:
    print(f"Mã khôi phục{' mới' if new else ''}: {code}")
    print(KEEP_CODE)
    if sheet is not None:
        print_sheet_written(sheet)


def print_sheet_written(sheet: Path) -> None:
    print(f"Đã ghi phiếu khôi phục: {sheet}. In phiếu ra giấy rồi xóa tệp này: ai có tệp là có mã.")


def refuse_data_file(out: Path | None, db_path: Path) -> None:
    """A sheet never replaces the data file or a file beside it (gocong.db-wal, …),
    checked before anything is asked or changed."""
    from gocong_desktop.core.errors import UserError

    if out is None:
        return
    target = out.expanduser().resolve()
    data = db_path.resolve()
    if target.parent == data.parent and target.name.startswith(data.name):
        raise UserError(f"«{out}» là tệp dữ liệu (hoặc tệp đi kèm): không ghi phiếu khôi phục đè lên. "
                        "Hãy chọn tên tệp khác, ví dụ phieu-khoi-phuc.pdf.")


def write_recovery_sheet(session, out: Path | None, username: str, code: str, db_path: Path | str) -> Path | None:
    """The sheet for ``code``, written while the session that made the code is
    still open: a sheet that cannot be written undoes the new code."""
    from datetime import datetime

    from gocong_desktop.core.documents.recovery_sheet import office_label
    from gocong_desktop.core.documents.recovery_sheet import write_recovery_sheet as write_sheet
    from gocong_desktop.core.services.account_names import normal_username
    from gocong_desktop.core.services.office import get_office

    if out is None:
        return None
    office = get_office(session)
    return write_sheet(out, office_name=office_label(office.unit_type, office.unit_name), code=code,
                       username=normal_username(username), made_at=datetime.now(), data_file=db_path)


def print_new_code(args: argparse.Namespace, path, username: str, code: str, *, new: bool = True) -> None:
    """The new recovery code, printed first (a sheet that cannot be written never loses it),
    then its sheet with ``--recovery-sheet``."""
    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.services.accounts import sign_in_unlocked

    print_code(code, new=new)
    if args.recovery_sheet is None:
        return
    db = open_database(path)
    try:
        sign_in_unlocked(db, username)
        with db.session() as session:
            print_sheet_written(write_recovery_sheet(session, args.recovery_sheet, username, code, path))
    finally:
        db.close()
