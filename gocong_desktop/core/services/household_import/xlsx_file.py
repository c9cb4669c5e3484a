"""Reading the first sheet of an .xlsx, bounded before anything is inflated.

The zip's declared sizes are checked first (Python's ``zipfile`` never
inflates past a member's declared size, so their sum bounds the work: a zip
bomb is refused before openpyxl sees it). Cells are read as stored
(``data_only=False``) so a formula is seen as one, not as the value Excel last
computed; merged ranges are read from the sheet's XML, which openpyxl's
streaming reader skips.
"""

from __future__ import annotations

import io
import re
import zipfile
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
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
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
        rows = list(_rows(path, sheet))
        _mark_merged(rows, _merged_ranges(workbook, sheet))
    except _DAMAGE as exc:
        raise _not_xlsx(path) from exc
    finally:
        workbook.close()
    if not rows and len(workbook.worksheets) > 1:  # read only the first sheet: say so
        raise ImportFileError(f"Trang đầu tiên «{sheet.title}» của tệp «{path.name}» không có dữ liệu. Chương "
                              "trình chỉ đọc trang đầu tiên: hãy chuyển danh sách hộ lên trang đầu rồi nhập lại.")
    return rows, f"trang «{sheet.title}»"


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


def _rows(path: Path, sheet: Any) -> Iterator[SourceRow]:
    kept = 0
    # One column more than allowed, to see a list too wide (and never the 16,384 columns
    # a crafted cell far right would make the reader fill in).
    for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), 1):
        if line > MAX_SCANNED_ROWS:
            raise too_many_rows(path)
        row = _source_row(line, cells)
        if row is None:
            continue
        if len(row.values) > MAX_COLUMNS and not is_blank(row.values[MAX_COLUMNS]):
            raise too_many_columns(path)
        kept += 1
        if kept > MAX_ROWS + HEADER_SEARCH_ROWS:  # titles, the header, MAX_ROWS households (checked once found)
            raise too_many_rows(path)
        yield row


def _source_row(line: int, cells: tuple) -> SourceRow | None:
    from openpyxl.cell.read_only import EMPTY_CELL

    end = len(cells)
    while end and cells[end - 1] is EMPTY_CELL:  # the reader pads each row to the width asked
        end -= 1
    values, problems = [], {}
    for index, cell in enumerate(cells[:end]):
        value, kind = cell.value, cell.data_type
        if kind == "f":
            problems[index] = f"ô {_name(index, line)} chứa công thức «{str(value)[:40]}»"
            value = None
        elif kind == "e":
            problems[index] = f"ô {_name(index, line)} có lỗi «{str(value)[:20]}»"
            value = None
        elif (why := long_cell_problem(value)) is not None:
            problems[index], value = f"{why} ở ô {_name(index, line)}", None
        values.append(value)
    while values and is_blank(values[-1]) and len(values) - 1 not in problems:
        values.pop()  # the streaming reader pads every row to the widest
    if not values:
        return None
    return SourceRow(line, values, problems)


def _name(index: int, line: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{line}"


def _merged_ranges(workbook: Any, sheet: Any) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column, last column) of each merged range, columns 0-based.
    The streaming sheet does not keep them; its XML is within the sizes checked."""
    from openpyxl.utils import column_index_from_string

    xml = workbook._archive.read(sheet._worksheet_path)  # openpyxl has no public way to these two
    return [(int(r1), int(r2), column_index_from_string(c1.decode()) - 1, column_index_from_string(c2.decode()) - 1)
            for c1, r1, c2, r2 in _MERGE.findall(xml)]


def _mark_merged(rows: list[SourceRow], ranges: list[tuple[int, int, int, int]]) -> None:
    if not ranges:
        return
    by_line = {row.line: row for row in rows}
    for first, last, left, right in ranges:
        if last - first > MAX_ROWS:
            continue  # no household row spans that many lines: a title block, not data
        label = f"{_name(left, first)}:{_name(right, last)}"
        for line in range(first, last + 1):
            if (row := by_line.get(line)) is not None:
                row.problems.setdefault(left, f"ô gộp {label}: hãy bỏ gộp ô (Merge & Center) và ghi đủ "
                                              "giá trị vào từng dòng")
