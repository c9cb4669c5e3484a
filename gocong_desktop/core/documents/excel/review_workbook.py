"""The review report as an Excel workbook: the PDF's tables as numbers that offices
can rework. Drawn from the same ``ReviewFigures`` and ``summary_items`` as the PDF;
laid out and printed as every workbook (``layout``).

Each sheet: a title row, the period row, a blank row, then the header row
(``HEADER_ROW``) and the data; a totals row sums the rows above it with
formulas (rates as formulas of those sums), equal to the PDF's totals; under
the tables, the PDF's notes saying what the figures count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, Sequence

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from gocong_desktop.core.documents.excel.cached_values import save_with_values
from gocong_desktop.core.documents.excel.layout import (DATE, DECIMAL, PERCENT, add_note, append_row, finish_sheet,
                                                        new_workbook, ratio, start_sheet, sum_above)
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.counting_notes import counting_note, models_note
from gocong_desktop.core.services.review import ReviewFigures, summary_items

SHEET_SUMMARY, SHEET_HAMLETS, SHEET_MODELS, SHEET_PROPAGANDA = (
    "Tổng hợp", "Theo ấp", "Mô hình", "Tuyên truyền")
HEADER_ROW = 4
SUMMARY_HEADERS = ["TT", "Chỉ tiêu", "Số liệu"]
HAMLET_HEADERS = ["Ấp", "Số tổ", "Số hộ", "Buổi sinh hoạt", "Tổ có sinh hoạt", "Lượt hộ dự họp",
                  "Lượt hộ được mời", "Tỷ lệ dự họp", "Hộ đã ký cam kết", "Hộ phải ký cam kết",
                  "Tỷ lệ ký cam kết"]
MODEL_HEADERS = ["TT", "Mô hình", "Loại mô hình", "Đơn vị chủ trì", "Trạng thái", "Số điểm", "Số hộ",
                 "Điểm", "Xếp loại", "Kiến nghị", "Ngày đánh giá"]
PROPAGANDA_HEADERS = ["Hình thức", "Đơn vị tính", "Số lượng"]
TOTAL_LABEL = "Tổng cộng"
# Counts summed, and each rate as its two sums: (rate column, numerator, denominator); 1-based.
COUNT_COLUMNS = (2, 3, 4, 5, 6, 7, 9, 10)
RATE_COLUMNS = ((8, 6, 7), (11, 9, 10))


def write_review_workbook(figures: ReviewFigures, out: str | Path | BinaryIO) -> None:
    """Written atomically to a path (temporary file beside it, then replace)."""
    workbook = build_review_workbook(figures)
    write_to(out, lambda stream: save_with_values(workbook, stream))


def build_review_workbook(f: ReviewFigures) -> Workbook:
    workbook = new_workbook(f"Báo cáo {f.period.review_word} {f.period.label}")
    _summary(workbook.active, f)
    _hamlets(workbook.create_sheet(), f)
    _models(workbook.create_sheet(), f)
    _propaganda(workbook.create_sheet(), f)
    return workbook


def fraction(percent: float | None) -> float | None:
    """Rates are stored as fractions with a percent format, as Excel expects."""
    return None if percent is None else percent / 100


def _start(sheet: Worksheet, name: str, f: ReviewFigures, headers: Sequence[str], freeze_columns: int = 0) -> None:
    titles = (f"Báo cáo {f.period.review_word} {f.period.label} – Công an {f.office.display_name}",
              f"Kỳ báo cáo: {f.period.dates_text}")
    start_sheet(sheet, name, titles, headers, header_row=HEADER_ROW, freeze_columns=freeze_columns)


def total_row(sheet: Worksheet, label_column: int, counts: Sequence[int], rates: Sequence[tuple[int, int, int]],
              width: int, formats: dict[int, str]) -> None:
    """"Tổng cộng" under the rows so far: ``counts`` columns summed, each rate
    (column, numerator, denominator) the ratio of its two sums."""
    row, first = sheet.max_row + 1, HEADER_ROW + 1
    values: list[Any] = [None] * width
    values[label_column - 1] = TOTAL_LABEL
    for column in counts:
        values[column - 1] = sum_above(column, first, row - 1)
    for column, numerator, denominator in rates:
        values[column - 1] = ratio(row, numerator, denominator)
    append_row(sheet, values, formats, bold=True)


def _summary(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_SUMMARY, f, SUMMARY_HEADERS)
    for n, item in enumerate(summary_items(f), 1):
        value = fraction(item.value) if item.percent else item.value
        append_row(sheet, [n, item.label, value], {3: PERCENT if item.percent else DECIMAL}
                   if isinstance(value, float) else None)
    finish_sheet(sheet, HEADER_ROW)
    add_note(sheet, counting_note(f.total, f.period))


def _counts(c: AreaCounts) -> list[Any]:
    return [c.groups, c.households, c.meetings, c.groups_met, c.attendance_present, c.attendance_total,
            fraction(c.attendance_rate), c.pledges_signed, c.pledges_total, fraction(c.pledge_coverage)]


def _hamlets(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_HAMLETS, f, HAMLET_HEADERS, freeze_columns=1)
    formats = {rate: PERCENT for rate, _n, _d in RATE_COLUMNS}
    for h in f.hamlets:
        append_row(sheet, [h.name, *_counts(h.counts)], formats)
    total_row(sheet, 1, COUNT_COLUMNS, RATE_COLUMNS, len(HAMLET_HEADERS), formats)
    finish_sheet(sheet, HEADER_ROW)
    add_note(sheet, counting_note(f.total, f.period))


def _models(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_MODELS, f, MODEL_HEADERS, freeze_columns=2)
    formats = {8: DECIMAL, 11: DATE}
    for n, m in enumerate(f.models, 1):
        append_row(sheet, [n, m.name, m.type_name, m.lead_organisation, m.status_label, m.sites, m.households,
                           m.total_score, m.rating, m.recommendation_label or None, m.evaluated_on], formats)
    total_row(sheet, 2, (6, 7), (), len(MODEL_HEADERS), formats)
    finish_sheet(sheet, HEADER_ROW)
    add_note(sheet, models_note(f.period))


def _propaganda(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_PROPAGANDA, f, PROPAGANDA_HEADERS)
    for label, unit, n in f.propaganda:
        append_row(sheet, [label, unit, n])
    finish_sheet(sheet, HEADER_ROW)
