"""Any list a page shows — households, groups, meetings, pledges, models, the
upper office's communes — as an Excel workbook or a printed PDF: the rows and
columns the list shows, its filters said in words under the title. The entry
used by the GUI (the Excel and PDF writers stay behind it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from sqlmodel import Session

from gocong_desktop.core.documents.list_data import ListSheet
from gocong_desktop.core.documents.output import refuse_database
from gocong_desktop.core.errors import ValidationError

__all__ = ["LIST_TITLES", "ListSheet", "check_list_path", "records_sheet", "write_list", "write_list_pdf", "write_list_workbook"]
Out = str | Path | BinaryIO
SUFFIXES = (".xlsx", ".pdf")
# The title of each kind ``gocong-desktop list`` gives (core/services/listing.py).
LIST_TITLES = {"hamlets": "Danh sách ấp", "groups": "Danh sách tổ nhân dân tự quản",
               "households": "Danh sách hộ gia đình", "meetings": "Danh sách buổi sinh hoạt",
               "pledges": "Danh sách ký cam kết", "models": "Danh sách mô hình phòng, chống tội phạm",
               "evaluations": "Danh sách đánh giá mô hình"}


def records_sheet(kind: str, records: list[dict], *, search: str | None = None, year: int | None = None) -> ListSheet:
    """``list_records(kind)`` as a list document: the columns of the command's table,
    whole numbers kept as numbers, dates as dd/mm/yyyy."""
    from gocong_desktop.core.services.listing import TABLE_COLUMNS

    columns = TABLE_COLUMNS[kind]
    scope = "; ".join(p for p in (f"Năm {year}" if year else "", f"tìm «{search.strip()}»" if search else "") if p)
    rows = tuple(tuple(_cell(record.get(key)) for key, _header in columns) for record in records)
    return ListSheet(LIST_TITLES[kind], scope, tuple(header for _key, header in columns), rows)


def _cell(value: Any) -> Any:
    from gocong_desktop.core.services.listing import display_value

    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return display_value(value) or None


def check_list_path(path: Path) -> str:
    """The suffix of a list's file (.xlsx or .pdf), refused before anything is read."""
    refuse_database(path.expanduser())
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(f"Tệp «{path.name}» phải có đuôi .xlsx (Excel) hoặc .pdf (để in).")
    return suffix


def write_list(session: Session, sheet: ListSheet, path: Path) -> int:
    """``path``'s suffix chooses: .xlsx a workbook, .pdf a printed list; how many rows."""
    if check_list_path(path) == ".xlsx":
        return write_list_workbook(sheet, path)
    return write_list_pdf(session, sheet, path)


def write_list_workbook(sheet: ListSheet, out: Out, *, today: date | None = None) -> int:
    """The list as a workbook (Times New Roman, header frozen, A4 set-up); how many rows."""
    from gocong_desktop.core.documents.excel.list_workbook import write_list_workbook as write

    write(sheet, out, today or date.today())
    return len(sheet.rows)


def write_list_pdf(session: Session, sheet: ListSheet, out: Out, *, today: date | None = None) -> int:
    """The list on the Decree-30 layout under the office police's header; how many rows."""
    from gocong_desktop.core.documents.pdf.list_sheet import write_list_pdf as write
    from gocong_desktop.core.services.document_header import police_header
    from gocong_desktop.core.services.office import get_office

    on = today or date.today()
    write(sheet, police_header(get_office(session), on), out, on)
    return len(sheet.rows)
