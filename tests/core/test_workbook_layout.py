"""The one layout of every workbook (``documents/excel/layout.py``), read back:
text never becomes a formula, totals over no rows, the default font."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from gocong_desktop.core.documents.excel.cached_values import save_with_values
from gocong_desktop.core.documents.excel.layout import (Formula, append_row, finish_sheet, new_workbook, ratio,
                                                        start_sheet, sum_above)
from tests.xlsx_reading import check_print_layout, computed


def test_text_is_never_computed_and_totals_are(tmp_path: Path) -> None:
    book = new_workbook("Thử")
    sheet = book.active
    start_sheet(sheet, "Thử", ["Tiêu đề dài " * 12, "Kỳ báo cáo"], ["Tên", "Số hộ", "Có mặt", "Tỷ lệ"],
                header_row=4)
    append_row(sheet, ['=HYPERLINK("http://x.invalid","bấm")', 1200, 600, ratio(5, 3, 2)], {4: "0.0%"})
    append_row(sheet, ["=1+1", 0, 0, ratio(6, 3, 2)], {4: "0.0%"})
    append_row(sheet, ["Tổng cộng", sum_above(2, 5, 6), sum_above(3, 5, 6), ratio(7, 3, 2)], {4: "0.0%"}, bold=True)
    finish_sheet(sheet, 4)
    path = tmp_path / "thử.xlsx"
    with path.open("wb") as out:
        save_with_values(book, out)
    check_print_layout(path, 4)
    sheet = load_workbook(path).active
    assert [(sheet[c].data_type, sheet[c].value) for c in ("A5", "A6")] == [
        ("s", '=HYPERLINK("http://x.invalid","bấm")'), ("s", "=1+1")]
    assert sheet["B7"].value == "=SUM(B5:B6)" and isinstance(sum_above(2, 5, 6), Formula)
    assert [computed(sheet, c) for c in ("B7", "D5", "D6", "D7")] == [1200, 0.5, "", 0.5]
    assert sheet["B5"].number_format == "#,##0" and sheet["A1"].font.b and sheet.row_dimensions[1].height > 20
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    stored = load_workbook(path, data_only=True).active  # what a viewer that does not calculate shows
    assert [stored[c].value for c in ("B7", "C7", "D5", "D6", "D7")] == [1200, 600, 0.5, None, 0.5]


def test_a_total_over_no_rows_is_zero() -> None:
    assert sum_above(2, 5, 4) == 0
