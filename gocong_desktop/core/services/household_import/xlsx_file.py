"""Reading the first sheet of an .xlsx, bounded before anything is inflated.

The zip's declared sizes are checked first (Python's ``zipfile`` never
inflates past a member's declared size, so their sum bounds the work: a zip
bomb is refused before openpyxl sees it). Cells are read as stored
(``data_only=False``) so a formula is seen as one, not as the value Excel last
computed. The sheet is read by openpyxl's own sheet parser (an XML parser, so
markup inside a comment is only text), which also gives the merged ranges its
streaming reader drops, and says which cell it could not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any, Iterator
from xml.etree.ElementTree import ParseError

from gocong_desktop.core.services.household_import.table import (HEADER_SEARCH_ROWS, MAX_COLUMNS, MAX_ROWS,
                                                                 ImportFileError, SourceRow, is_blank,
                                                                 long_cell_problem, read_bounded, too_many_columns,
                                                                 too_many_rows)
from gocong_desktop.core.text import format_int

# Every part of the workbook, inflated: a list of 20,000 households is about 10 MB
# of XML; the cap also bounds what openpyxl holds (every shared string at once).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_PARTS = 1_000
MAX_SCANNED_ROWS = 5 * MAX_ROWS  # blank rows included: a stray cell at row 1,048,576 is not a list
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
_CELL_REF = re.compile(r"[A-Z]{1,3}[0-9]{1,7}")
# What openpyxl and the XML parser raise on a damaged or crafted workbook.
_DAMAGE = (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, OSError, EOFError,
           ParseError, zipfile.LargeZipFile, OverflowError)
# Excel writes stored and deflated parts; any other method (or an encrypted part) is refused
# before openpyxl reads it, rather than failing inside the zip module.
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def read_xlsx(path: Path) -> tuple[list[SourceRow], str]:
    """Non-blank rows of the first sheet, and words naming the sheet."""
    raw = read_bounded(path)  # read once: what is checked is what openpyxl reads
    _check_zip(path, raw)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except _DAMAGE as exc:
        raise _not_xlsx(path) from exc
    try:
        if not workbook.worksheets:
            raise _not_xlsx(path)
        sheet = workbook.worksheets[0]
        rows = _read_sheet(path, workbook, sheet)
    except _DAMAGE as exc:
        raise _not_xlsx(path) from exc
    finally:
        workbook.close()
    if not rows and len(workbook.worksheets) > 1:  # read only the first sheet: say so
        raise ImportFileError(f"Trang đầu tiên «{sheet.title}» của tệp «{path.name}» không có dữ liệu. Chương "
                              "trình chỉ đọc trang đầu tiên: hãy chuyển danh sách hộ lên trang đầu rồi nhập lại.")
    return rows, f"trang «{sheet.title}»"


def _read_sheet(path: Path, workbook: Any, sheet: Any) -> list[SourceRow]:
    """The sheet's rows, each merged range marked on the rows it covers: both from one
    pass of openpyxl's sheet parser, bounded by the sizes checked."""
    # openpyxl has no public way to the sheet's part, its parser or the workbook's formats.
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = _parser(source, workbook, sheet)
        try:
            rows = list(_rows(path, parser))
        except _DAMAGE as exc:
            if parser.cell is None:
                raise
            raise ImportFileError(
                f"Ô {parser.cell} trên trang «{sheet.title}» của tệp «{path.name}» bị hỏng: giá trị ghi trong tệp "
                "không đọc được. Hãy mở tệp bằng Excel, gõ lại ô này rồi lưu lại dạng «Excel Workbook (.xlsx)» "
                "hoặc «CSV UTF-8». Chưa nhập gì.") from exc
    merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    _mark_merged(rows, [(m.min_row, m.max_row, m.min_col - 1, m.max_col - 1) for m in merged])
    return rows


def _parser(source: Any, workbook: Any, sheet: Any) -> Any:
    """openpyxl's sheet parser (as its streaming reader sets it up), noting the cell it reads
    until it has read it: what names the cell when a value cannot be read."""
    from openpyxl.worksheet._reader import WorkSheetParser

    class Parser(WorkSheetParser):
        cell: str | None = None

        def parse_cell(self, element: Any) -> dict:
            ref = element.get("r") or ""  # crafted text is not repeated in a message
            self.cell = ref if _CELL_REF.fullmatch(ref) else f"thứ {self.col_counter + 1} của dòng {self.row_counter}"
            value = super().parse_cell(element)
            self.cell = None
            return value

    return Parser(source, sheet._shared_strings, data_only=False, epoch=workbook.epoch,
                  date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)


def _not_xlsx(path: Path) -> ImportFileError:
    return ImportFileError(f"Tệp «{path.name}» không phải tệp Excel (.xlsx) đọc được, hoặc đã bị hỏng. Hãy mở "
                           "tệp bằng Excel rồi lưu lại dạng «Excel Workbook (.xlsx)» hoặc «CSV UTF-8».")


def _check_zip(path: Path, raw: bytes) -> None:
    head = raw[:4]
    if head == _OLE:
        raise ImportFileError(f"Tệp «{path.name}» là Excel 97-2003 (.xls), chương trình chưa đọc được dạng này. "
                              "Hãy mở bằng Excel, chọn Lưu thành «Excel Workbook (.xlsx)» rồi nhập lại.")
    if head != _ZIP:
        raise _not_xlsx(path)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx(path) from exc
    if any(part.compress_type not in _METHODS or part.flag_bits & 0x1 for part in parts):
        raise _not_xlsx(path)
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(f"Tệp «{path.name}» bị từ chối vì không an toàn: khi giải nén lên tới "
                              f"{format_int(unpacked // 1024 // 1024)} MB (tối đa "
                              f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB) — có thể là bom nén. Chưa nhập gì.")


def _rows(path: Path, parser: Any) -> Iterator[SourceRow]:
    kept = last = 0
    for line, cells in parser.parse():
        if line > MAX_SCANNED_ROWS:  # a stray cell at row 1,048,576 is not a list
            raise too_many_rows(path)
        if line <= last:  # Excel writes each row once, in order: two rows "3" would be one household twice
            raise _not_xlsx(path)
        last = line
        row = _source_row(line, cells)
        if row is None:
            continue
        if len(row.values) > MAX_COLUMNS and not is_blank(row.values[MAX_COLUMNS]):
            raise too_many_columns(path)
        kept += 1
        if kept > MAX_ROWS + HEADER_SEARCH_ROWS:  # titles, the header, MAX_ROWS households (checked once found)
            raise too_many_rows(path)
        yield row


def _source_row(line: int, cells: list[dict]) -> SourceRow | None:
    # One column more than allowed is kept, to see a list too wide (and never the 16,384
    # columns a crafted cell far right would make).
    width = max((c["column"] for c in cells if c["column"] <= MAX_COLUMNS + 1), default=0)
    values: list[Any] = [None] * width
    problems = {}
    for cell in cells:
        index, value, kind = cell["column"] - 1, cell["value"], cell["data_type"]
        if not 0 <= index < width:
            continue
        if kind == "f":
            problems[index] = f"ô {_name(index, line)} chứa công thức «{str(value)[:40]}»"
            value = None
        elif kind == "e":
            problems[index] = f"ô {_name(index, line)} có lỗi «{str(value)[:20]}»"
            value = None
        elif (why := long_cell_problem(value)) is not None:
            problems[index], value = f"{why} ở ô {_name(index, line)}", None
        values[index] = value
    while values and is_blank(values[-1]) and len(values) - 1 not in problems:
        values.pop()
    if not values:
        return None
    return SourceRow(line, values, problems)


def _name(index: int, line: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{line}"


def _mark_merged(rows: list[SourceRow], ranges: list[tuple[int, int, int, int]]) -> None:
    """Refuse the cells of each merged range (first row, last row, first and last column,
    0-based). Ranges are swept by column and start, so a row is visited once per column
    however many ranges overlap it."""
    rows = sorted(rows, key=lambda row: row.line)
    lines = [row.line for row in rows]
    by_column: dict[int, list[tuple[int, int, int]]] = {}
    for first, last, left, right in ranges:
        if last - first <= MAX_ROWS and left <= MAX_COLUMNS:  # taller: a title block, not data
            by_column.setdefault(left, []).append((first, last, right))
    for left, spans in by_column.items():
        done = 0  # the rows up to this line are marked for this column
        for first, last, right in sorted(spans):
            label = f"{_name(left, first)}:{_name(right, last)}"
            for row in rows[bisect_left(lines, max(first, done + 1)):bisect_right(lines, last)]:
                row.problems.setdefault(left, f"ô gộp {label}: hãy bỏ gộp ô (Merge & Center) và ghi đủ "
                                              "giá trị vào từng dòng")
            done = max(done, last)
