"""The aggregate report across communes as an Excel workbook, from the same
``AggregateFigures`` as the PDF: one sheet, a row per commune and a totals row
(stored as values, equal to the PDF's). Layout as in ``review_workbook``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.upper.aggregate import AggregateFigures
from gocong_desktop.core.documents.excel.review_workbook import _GRID, DATE, HEADER_ROW, PERCENT, TOTAL_LABEL, _fraction, _row, cell_text

SHEET_COMMUNES = "Theo xã"
COUNT_HEADERS = ["Xã", "Số tổ", "Số hộ", "Buổi sinh hoạt", "Buổi/tổ", "Lượt hộ dự họp", "Lượt hộ được mời",
                 "Tỷ lệ dự họp", "Hộ đã ký cam kết", "Hộ phải ký cam kết", "Tỷ lệ ký cam kết", "Số mô hình"]
PACKAGE_HEADERS = ["Gói mới nhất", "Ngày lập gói"]


def headers(f: AggregateFigures) -> list[str]:
    return [*COUNT_HEADERS, *(f"Mô hình xếp loại {r}" for r in f.ratings), *PACKAGE_HEADERS]


def write_aggregate_workbook(figures: AggregateFigures, out: str | Path | BinaryIO) -> None:
    """Written atomically to a path (temporary file beside it, then replace)."""
    write_to(out, build_aggregate_workbook(figures).save)


def _counts(c: AreaCounts, per_group: float | None, models: int) -> list[Any]:
    return [c.groups, c.households, c.meetings, per_group, c.attendance_present, c.attendance_total,
            _fraction(c.attendance_rate), c.pledges_signed, c.pledges_total, _fraction(c.pledge_coverage), models]


def build_aggregate_workbook(f: AggregateFigures) -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = "gocong_desktop"
    workbook.properties.title = cell_text(f"Báo cáo tổng hợp các xã {f.period.label}")
    sheet: Worksheet = workbook.active
    sheet.title = SHEET_COMMUNES
    sheet["A1"] = cell_text(f"Báo cáo tổng hợp các xã {f.period.label} – {f.issuer}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = cell_text(f"Kỳ báo cáo: {f.period.dates_text}; cam kết đợt năm {f.pledge_year}")
    sheet["A2"].font = Font(italic=True)
    for column, header in enumerate(headers(f), 1):
        cell = sheet.cell(HEADER_ROW, column, cell_text(header))
        cell.font, cell.border = Font(bold=True), _GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = 24 if column == 1 else 12
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    n = len(COUNT_HEADERS)
    formats = {5: "0.0", 8: PERCENT, 11: PERCENT, n + len(f.ratings) + 2: DATE}
    for c in f.communes:
        _row(sheet, [c.name, *_counts(c.counts, c.meetings_per_group, c.models),
                     *(c.models_by_rating.get(r, 0) for r in f.ratings), c.last_sequence,
                     c.last_package_at.date() if c.last_package_at else None], formats)
    _row(sheet, [TOTAL_LABEL, *_counts(f.total, f.meetings_per_group, f.models),
                 *(f.models_by_rating[r] for r in f.ratings), None, None], formats, bold=True)
    return workbook
