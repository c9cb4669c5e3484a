"""Reading back the workbooks the app writes, as an office's spreadsheet would
show them: totals are formulas (openpyxl stores no computed value), worked out
here for the two kinds the app writes, and the print set-up every sheet must have."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

NUMBER_FORMATS = ("#,##0", "#,##0.0", "0.0%", "dd/mm/yyyy")
_SUM = re.compile(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")
_RATIO = re.compile(r'=IF\(([A-Z]+\d+)=0,"",([A-Z]+\d+)/([A-Z]+\d+)\)')


def computed(sheet: Worksheet, ref: str) -> Any:
    """A cell's value, its formula worked out (=SUM of a column range, =IF(d=0,"",n/d))."""
    value = sheet[ref].value
    if not (isinstance(value, str) and sheet[ref].data_type == "f"):
        return value
    if m := _SUM.fullmatch(value):
        column, first, _same, last = m.groups()
        return sum(computed(sheet, f"{column}{row}") or 0 for row in range(int(first), int(last) + 1))
    if m := _RATIO.fullmatch(value):
        bottom, top, _bottom = (computed(sheet, r) for r in m.groups())
        return "" if bottom == 0 else top / bottom
    raise AssertionError(f"unexpected formula {value}")


def computed_rows(sheet: Worksheet, first: int) -> list[tuple]:
    """The table's rows from ``first``, up to the blank row that ends it (a note may follow)."""
    rows = []
    for row in sheet.iter_rows(min_row=first):
        if all(c.value is None for c in row):
            break
        rows.append(tuple(computed(sheet, c.coordinate) for c in row))
    return rows


def note_under(sheet: Worksheet, first: int) -> tuple[int, str]:
    """(row, text) of the note under the table that starts at ``first``, after one blank row."""
    row = first + len(computed_rows(sheet, first)) + 1
    return row, sheet.cell(row, 1).value


def fonts_of(path: Path) -> set[str]:
    """Every font name the workbook's styles declare (the first is its default)."""
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml").decode()
    fonts = re.search(r"<fonts[^>]*>(.*?)</fonts>", styles, re.S).group(1)
    return set(re.findall(r'<name val="([^"]+)"', fonts))


def check_print_layout(path: Path, header_row: int) -> None:
    """Every sheet: A4 landscape one page wide, the header row repeated when
    printed and frozen on screen, Times New Roman only, counts grouped; each
    numeric formula's value stored beside it (what a viewer that does not
    calculate shows)."""
    assert fonts_of(path) == {"Times New Roman"}
    book, stored = load_workbook(path), load_workbook(path, data_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and (value := computed(sheet, cell.coordinate)) != "":
                    assert stored[sheet.title][cell.coordinate].value == pytest.approx(value), cell.coordinate
    assert book._fonts[0].name == "Times New Roman"  # the default font: what an office types later
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
        assert sheet.freeze_panes.endswith(str(header_row + 1))
        assert "&P" in sheet.oddFooter.center.text
        for row in sheet.iter_rows(min_row=header_row + 1):
            for cell in row:
                if cell.data_type == "f" and "SUM" in cell.value:
                    assert cell.number_format == "#,##0", (sheet.title, cell.coordinate)
                elif cell.data_type in ("n", "f", "d") and cell.value is not None:  # never "General"
                    assert cell.number_format in NUMBER_FORMATS, (sheet.title, cell.coordinate, cell.number_format)
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman"
        widths = [sheet.column_dimensions[c].width for c in "ABC"]
        assert all(8 <= w <= 40 for w in widths), (sheet.title, widths)
