"""Reading an import file into a ``SourceTable``: the reader by its extension,
then the header row found among the top rows."""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.services.household_import.columns import find_header, header_texts
from gocong_desktop.core.services.household_import.csv_file import read_csv
from gocong_desktop.core.services.household_import.table import (MAX_ROWS, ImportFileError, SourceTable, empty_file,
                                                                 too_many_rows)
from gocong_desktop.core.services.household_import.xlsx_file import read_xlsx

SUFFIXES = (".xlsx", ".csv")


def read_table(path: Path, *, encoding: str | None = None) -> SourceTable:
    """The header and data rows of ``path`` (.xlsx, or .csv in ``encoding``, else
    UTF-8 or Windows-1258); ``ImportFileError`` when it cannot be a household list."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" or suffix == ".xlsm":
        rows, description = read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        rows, description = read_csv(path, encoding)
    else:
        raise ImportFileError(f"Tệp «{path.name}» không phải .xlsx hay .csv. Hãy chọn danh sách hộ lưu bằng Excel "
                              "dạng «Excel Workbook (.xlsx)» hoặc «CSV UTF-8».")
    if not rows:
        raise empty_file(path)
    header = find_header(rows)
    data = rows[header + 1:]
    if not data:
        raise ImportFileError(f"Tệp «{path.name}» chỉ có dòng tiêu đề, chưa có hộ nào bên dưới.")
    if len(data) > MAX_ROWS:
        raise too_many_rows(path)
    return SourceTable(path, header_texts(rows[header]), rows[header].line, data, description)
