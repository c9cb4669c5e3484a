"""Reading a .csv: UTF-8 (with or without Excel's byte order mark) or, failing
that, Windows-1258 (older Vietnamese Excel); ";" or "," between cells, as
Excel writes them under Vietnamese or English regional settings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from gocong_desktop.core.services.household_import.table import (HEADER_SEARCH_ROWS, MAX_CELL_CHARS, MAX_COLUMNS,
                                                                 MAX_ROWS,
                                                                 ImportFileError, SourceRow, empty_file, is_blank,
                                                                 long_cell_problem, read_bounded, too_many_columns,
                                                                 too_many_rows)

ENCODINGS = {"utf-8-sig": "UTF-8", "cp1258": "Windows-1258"}
SNIFF_CHARS = 8_192
MAX_SCANNED_LINES = 5 * MAX_ROWS  # blank lines included, as for a workbook


def decode(path: Path, raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: the one asked for, else UTF-8, else Windows-1258."""
    asked = "utf-8-sig" if encoding in ("utf-8", "utf8") else encoding  # Excel's «CSV UTF-8» starts with a BOM
    for name in [asked] if asked else list(ENCODINGS):
        try:
            return raw.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportFileError(f"Tệp «{path.name}» không đọc được bằng bảng mã {encoding}. Hãy lưu lại tệp "
                          "dạng «CSV UTF-8» trong Excel.")


def delimiter(text: str) -> str:
    sample = text[:SNIFF_CHARS]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return ";" if first.count(";") > first.count(",") else ","


def read_csv(path: Path, encoding: str | None = None) -> tuple[list[SourceRow], str]:
    """Non-blank rows, and words naming the encoding and delimiter found."""
    text, used = decode(path, read_bounded(path), encoding)
    if "\x00" in text:
        raise ImportFileError(f"Tệp «{path.name}» không phải tệp CSV (có ký tự nhị phân). Hãy chọn tệp "
                              ".xlsx hoặc .csv của danh sách hộ.")
    if not text.strip():
        raise empty_file(path)
    sep = delimiter(text)
    rows = _rows(path, csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    shown = "Tab" if sep == "\t" else sep
    return rows, f"bảng mã {ENCODINGS.get(used, used)}, phân cách «{shown}»"


def _rows(path: Path, reader) -> list[SourceRow]:
    rows: list[SourceRow] = []
    try:
        for values in reader:
            if reader.line_num > MAX_SCANNED_LINES:
                raise too_many_rows(path)
            if all(is_blank(v) for v in values):
                continue
            if len(values) > MAX_COLUMNS and any(not is_blank(v) for v in values[MAX_COLUMNS:]):
                raise too_many_columns(path)
            if len(rows) >= MAX_ROWS + HEADER_SEARCH_ROWS:  # titles, the header, MAX_ROWS households
                raise too_many_rows(path)
            rows.append(_source_row(reader.line_num, values[:MAX_COLUMNS]))
    except csv.Error as exc:  # a cell over the csv module's own limit (128 KB), a stray quote
        raise ImportFileError(f"Tệp «{path.name}» sai định dạng CSV ở dòng {reader.line_num} (ô dài quá "
                              f"{MAX_CELL_CHARS} ký tự hoặc dấu ngoặc kép không đóng). Chưa nhập gì.") from exc
    return rows


def _source_row(line: int, values: list[str]) -> SourceRow:
    problems, kept = {}, []
    for index, value in enumerate(values):
        if (why := long_cell_problem(value)) is not None:
            problems[index], value = f"{why} ở cột {index + 1}", None
        kept.append(value)
    return SourceRow(line, kept, problems)
