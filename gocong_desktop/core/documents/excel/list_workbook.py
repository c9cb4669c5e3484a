"""A list as shown on screen, in one sheet laid out as every workbook
(``layout``): the title and the filters above, a numbered row per record."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from gocong_desktop.core.documents.excel.cached_values import save_with_values
from gocong_desktop.core.documents.excel.layout import append_row, finish_sheet, new_workbook, start_sheet
from gocong_desktop.core.documents.list_data import ListSheet
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.text import format_date

SHEET_NAME = "Danh sách"


def write_list_workbook(sheet: ListSheet, out: str | Path | BinaryIO, today: date) -> None:
    """Written atomically to a path (temporary file beside it, then replace)."""
    workbook = new_workbook(sheet.title)
    page = workbook.active
    titles = [sheet.title.upper(), *([sheet.scope] if sheet.scope else []),
              f"Lập ngày {format_date(today)}; {len(sheet.rows)} dòng"]
    header_row = len(titles) + 2  # a blank line between the titles and the table
    start_sheet(page, SHEET_NAME, titles, ["STT", *sheet.headers], header_row=header_row, freeze_columns=2)
    for number, row in enumerate(sheet.rows, 1):
        append_row(page, [number, *row])
    finish_sheet(page, header_row)
    write_to(out, lambda stream: save_with_values(workbook, stream))
