"""The aggregate report across communes as an Excel workbook, from the same
``AggregateFigures`` as the PDF: one sheet, a row per commune and a totals row
(formulas over the communes' rows, equal to the PDF's totals) and the PDF's
note saying what is counted. Laid out as every workbook (``layout``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from gocong_desktop.core.documents.excel.cached_values import save_with_values
from gocong_desktop.core.documents.excel.layout import (DATE, DECIMAL, PERCENT, add_note, append_row, finish_sheet,
                                                        new_workbook, start_sheet)
from gocong_desktop.core.documents.excel.review_workbook import HEADER_ROW, fraction, total_row
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.counting_notes import counting_note
from gocong_desktop.core.upper.aggregate import AggregateFigures

SHEET_COMMUNES = "Theo xã"
COUNT_HEADERS = ["Xã", "Số tổ", "Số hộ", "Buổi sinh hoạt", "Buổi/tổ", "Lượt hộ dự họp", "Lượt hộ được mời",
                 "Tỷ lệ dự họp", "Hộ đã ký cam kết", "Hộ phải ký cam kết", "Tỷ lệ ký cam kết", "Số mô hình"]
PACKAGE_HEADERS = ["Gói mới nhất", "Ngày lập gói"]
# (column, numerator, denominator), 1-based: meetings per group, attendance, pledges.
RATE_COLUMNS = ((5, 4, 2), (8, 6, 7), (11, 9, 10))


def headers(f: AggregateFigures) -> list[str]:
    return [*COUNT_HEADERS, *(f"Mô hình xếp loại {r}" for r in f.ratings), *PACKAGE_HEADERS]


def write_aggregate_workbook(figures: AggregateFigures, out: str | Path | BinaryIO) -> None:
    """Written atomically to a path (temporary file beside it, then replace)."""
    workbook = build_aggregate_workbook(figures)
    write_to(out, lambda stream: save_with_values(workbook, stream))


def _counts(c: AreaCounts, per_group: float | None, models: int) -> list[Any]:
    return [c.groups, c.households, c.meetings, per_group, c.attendance_present, c.attendance_total,
            fraction(c.attendance_rate), c.pledges_signed, c.pledges_total, fraction(c.pledge_coverage), models]


def build_aggregate_workbook(f: AggregateFigures) -> Workbook:
    workbook = new_workbook(f"Báo cáo tổng hợp các xã {f.period.label}")
    sheet: Worksheet = workbook.active
    titles = (f"Báo cáo tổng hợp các xã {f.period.label} – {f.issuer}",
              f"Kỳ báo cáo: {f.period.dates_text}; cam kết đợt năm {f.pledge_year}")
    columns = headers(f)
    start_sheet(sheet, SHEET_COMMUNES, titles, columns, header_row=HEADER_ROW, freeze_columns=1)
    formats = {5: DECIMAL, 8: PERCENT, 11: PERCENT, len(columns): DATE}
    for c in f.communes:
        append_row(sheet, [c.name, *_counts(c.counts, c.meetings_per_group, c.models),
                           *(c.models_by_rating.get(r, 0) for r in f.ratings), c.last_sequence,
                           c.last_package_at.date() if c.last_package_at else None], formats)
    summed = (2, 3, 4, 6, 7, 9, 10, *range(12, len(COUNT_HEADERS) + len(f.ratings) + 1))
    total_row(sheet, 1, summed, RATE_COLUMNS, len(columns), formats)
    finish_sheet(sheet, HEADER_ROW)
    add_note(sheet, counting_note(f.total, f.period))  # what is counted, as under the PDF's table
    return workbook
