"""Any list a page shows — households, groups, meetings, pledges, models, the
upper office's communes — as an Excel workbook or a printed PDF: the rows and
columns the list shows, its filters said in words under the title. The entry
used by the GUI (the Excel and PDF writers stay behind it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from gocong_desktop.core.documents.list_data import ListSheet

__all__ = ["ListSheet", "write_list_pdf", "write_list_workbook"]
Out = str | Path | BinaryIO


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
