"""How every workbook the app writes looks on screen and on paper: Times New
Roman throughout (the workbook's default font too, so what an office types
later matches), A4 landscape fitted to the page width, the header row
repeated on every printed page and frozen on screen, counts as ``#,##0``,
totals as formulas (``=SUM(...)``) that stay right when an office edits a row.

Workbooks are marked for a full calculation on opening (Excel and LibreOffice
both honour it) and saved with each formula's value beside it
(``cached_values.save_with_values``: openpyxl itself cannot store them). A
sheet is ``start_sheet``, then ``append_row`` per row, then ``finish_sheet``, then
``add_note`` where the figures need saying what they count.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from gocong_desktop.core.text import nfc

FONT_NAME = "Times New Roman"
BODY_SIZE, TITLE_SIZE, FOOTER_SIZE = 12, 14, 11
COUNT, DECIMAL, PERCENT, DATE = "#,##0", "#,##0.0", "0.0%", "dd/mm/yyyy"
MIN_WIDTH, MAX_WIDTH = 8, 40  # column widths in characters; longer text wraps
HEADER_LINES = 2  # a header wraps onto at most this many lines (at most its longest word per line)
PAGE_FOOTER = "Trang &P/&N"
# Inches, as openpyxl takes them: 20 mm left (binding), 15 mm elsewhere.
MARGINS = PageMargins(left=0.79, right=0.59, top=0.59, bottom=0.59, header=0.3, footer=0.3)
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
# What an .xlsx cannot hold (openpyxl refuses it: C0 controls but tab and line
# breaks), and bidi controls that would reorder what the cell shows.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_THIN = Side(style="thin")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT = Alignment(vertical="top", wrap_text=True)


class Formula(str):
    """A cell formula ("=SUM(B5:B9)"). Any other text is written as text and never
    computed, even when it starts with "=" (a name from an import could)."""


def cell_text(value: str) -> str:
    """Text as a cell can hold it. Imports and forms keep such characters out of
    the database; this also covers what was stored before they did."""
    return _UNWRITABLE.sub("", nfc(value) or "")[:MAX_CELL_TEXT]


def font(*, bold: bool = False, italic: bool = False, size: float = BODY_SIZE) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def new_workbook(title: str) -> Workbook:
    """An empty workbook whose default font is Times New Roman."""
    workbook = Workbook()
    workbook.properties.creator = "gocong_desktop"
    workbook.properties.title = cell_text(title)
    # The default font is the workbook's first font (style 0 and the "Normal" style use it);
    # openpyxl has no public setting for it. Replaced before any cell is styled.
    workbook._fonts = IndexedList([font()])
    workbook._named_styles["Normal"].font = font()
    workbook.calculation.fullCalcOnLoad = True
    return workbook


def start_sheet(sheet: Worksheet, name: str, titles: Sequence[str], headers: Sequence[str], *,
                header_row: int, freeze_columns: int = 0) -> None:
    """Title lines (the first bold) centred across the table, the header row,
    frozen panes under it (and right of ``freeze_columns``), the print set-up."""
    sheet.title = name
    last = get_column_letter(len(headers))
    for row, text in enumerate(titles, 1):
        cell = sheet.cell(row, 1, cell_text(text))
        first = row == 1
        cell.font = font(bold=first, italic=not first, size=TITLE_SIZE if first else BODY_SIZE)
        cell.alignment = _CENTRED
        sheet.merge_cells(f"A{row}:{last}{row}")
    for column, header in enumerate(headers, 1):
        cell = sheet.cell(header_row, column, cell_text(header))
        cell.font, cell.border, cell.alignment = font(bold=True), GRID, _CENTRED
    sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{header_row + 1}"  # a string: no cell made
    _print_setup(sheet, header_row)


def _print_setup(sheet: Worksheet, header_row: int) -> None:
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = sheet.ORIENTATION_LANDSCAPE, sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = MARGINS
    footer = sheet.oddFooter.center
    footer.text, footer.font, footer.size = PAGE_FOOTER, f"{FONT_NAME},Regular", FOOTER_SIZE


def append_row(sheet: Worksheet, values: Sequence[Any], formats: dict[int, str] | None = None, *,
               bold: bool = False) -> int:
    """One bordered row under the others; whole numbers and formulas get ``COUNT``
    unless ``formats`` (column → number format) says otherwise. Returns its number."""
    row = sheet.max_row + 1
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column)
        if isinstance(value, Formula):
            cell.value = str(value)
        elif isinstance(value, str):
            cell.value, cell.data_type = cell_text(value), "s"  # never a formula
            cell.alignment = _TEXT
        else:
            cell.value = value
        cell.border, cell.font = GRID, font(bold=bold)
        number_format = (formats or {}).get(column)
        if number_format is None and (isinstance(value, Formula) or type(value) is int):
            number_format = COUNT
        if number_format is not None:
            cell.number_format = number_format
    return row


def sum_above(column: int, first: int, last: int) -> Formula | int:
    """The total of rows ``first``..``last`` of ``column`` (0 when there are none)."""
    if last < first:
        return 0
    letter = get_column_letter(column)
    return Formula(f"=SUM({letter}{first}:{letter}{last})")


def ratio(row: int, numerator: int, denominator: int) -> Formula:
    """numerator / denominator of one row; blank when the denominator is 0 (as the PDF)."""
    top, bottom = (f"{get_column_letter(c)}{row}" for c in (numerator, denominator))
    return Formula(f'=IF({bottom}=0,"",{top}/{bottom})')


def finish_sheet(sheet: Worksheet, header_row: int) -> None:
    """Column widths from what the columns hold, then title rows tall enough for their text."""
    for header, *cells in sheet.iter_cols(min_row=header_row):
        text = str(header.value or "")
        words = max((len(w) for w in text.split()), default=0)
        longest = max(words, math.ceil(len(text) / HEADER_LINES), *map(_shown_length, cells))
        width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
        sheet.column_dimensions[header.column_letter].width = width
    for row in range(1, header_row):
        _fit_height(sheet, row)


def add_note(sheet: Worksheet, text: str) -> int:
    """A note under the table, after a blank row (what its figures count): italic,
    across the table's columns, as tall as its text. After ``finish_sheet``, so
    that its length does not widen the first column. Returns its row."""
    row = sheet.max_row + 2
    cell = sheet.cell(row, 1, cell_text(text))
    cell.font, cell.alignment = font(italic=True), Alignment(vertical="top", wrap_text=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=sheet.max_column)
    _fit_height(sheet, row)
    return row


def _fit_height(sheet: Worksheet, row: int) -> None:
    """A row whose first cell spans the table: tall enough for its text to wrap in."""
    text, size = sheet.cell(row, 1).value, sheet.cell(row, 1).font.size or BODY_SIZE
    if not text:
        return
    table_width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1))
    # A character of a larger font is wider than a column-width unit.
    lines = math.ceil(len(text) * size / BODY_SIZE * 1.1 / table_width)
    sheet.row_dimensions[row].height = lines * size * 1.5


def _shown_length(cell: Cell) -> int:
    """About how many characters a cell's value takes once formatted."""
    value = cell.value
    if value is None or cell.data_type == "f":
        return 0  # a total is about as wide as the widest number above it
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, date):
        return len("dd/mm/yyyy")
    if isinstance(value, float):
        return len(f"{value * 100 if cell.number_format == PERCENT else value:,.1f}") + 1
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))
