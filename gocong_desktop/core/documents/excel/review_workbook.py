"""The review report as an Excel workbook: the PDF's tables as numbers that offices
can rework. Drawn from the same ``ReviewFigures`` and ``summary_items`` as the PDF.

Each sheet: a title row, the period row, a blank row, then the header row
(``HEADER_ROW``) and the data; totals are stored as values, equal to the PDF's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.review import ReviewFigures, summary_items
from gocong_desktop.core.text import nfc

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
PERCENT, DATE = "0.0%", "dd/mm/yyyy"
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
# What an .xlsx cannot hold (openpyxl refuses it: C0 controls but tab and line
# breaks), and bidi controls that would reorder what the cell shows.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def cell_text(value: str) -> str:
    """Text as a cell can hold it. Imports and forms keep such characters out of
    the database; this also covers what was stored before they did."""
    return _UNWRITABLE.sub("", nfc(value) or "")[:MAX_CELL_TEXT]


def write_review_workbook(figures: ReviewFigures, out: str | Path | BinaryIO) -> None:
    """Written atomically to a path (temporary file beside it, then replace)."""
    workbook = build_review_workbook(figures)
    write_to(out, workbook.save)


def build_review_workbook(f: ReviewFigures) -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = "gocong_desktop"
    workbook.properties.title = cell_text(f"Báo cáo {f.period.review_word} {f.period.label}")
    _summary(workbook.active, f)
    _hamlets(workbook.create_sheet(SHEET_HAMLETS), f)
    _models(workbook.create_sheet(SHEET_MODELS), f)
    _propaganda(workbook.create_sheet(SHEET_PROPAGANDA), f)
    return workbook


def _fraction(percent: float | None) -> float | None:
    """Rates are stored as fractions with a percent format, as Excel expects."""
    return None if percent is None else percent / 100


def _start(sheet: Worksheet, title: str, f: ReviewFigures, headers: Sequence[str],
           widths: Sequence[int]) -> None:
    sheet.title = title
    sheet["A1"] = cell_text(f"Báo cáo {f.period.review_word} {f.period.label} – Công an {f.office.display_name}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = cell_text(f"Kỳ báo cáo: {f.period.dates_text}")
    sheet["A2"].font = Font(italic=True)
    for column, (header, width) in enumerate(zip(headers, widths), 1):
        cell = sheet.cell(HEADER_ROW, column, cell_text(header))
        cell.font, cell.border = Font(bold=True), _GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"  # a string: touching the cell would make a row


def _row(sheet: Worksheet, values: Sequence[Any], formats: dict[int, str] | None = None, *,
         bold: bool = False) -> None:
    row = sheet.max_row + 1
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column, cell_text(value) if isinstance(value, str) else value)
        cell.border = _GRID
        if bold:
            cell.font = Font(bold=True)
        if formats and column in formats:
            cell.number_format = formats[column]


def _summary(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_SUMMARY, f, SUMMARY_HEADERS, (6, 60, 14))
    for n, item in enumerate(summary_items(f), 1):
        value = _fraction(item.value) if item.percent else item.value
        _row(sheet, [n, item.label, value], {3: PERCENT} if item.percent else None)


def _counts(c: AreaCounts) -> list[Any]:
    return [c.groups, c.households, c.meetings, c.groups_met, c.attendance_present, c.attendance_total,
            _fraction(c.attendance_rate), c.pledges_signed, c.pledges_total, _fraction(c.pledge_coverage)]


def _hamlets(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_HAMLETS, f, HAMLET_HEADERS, (22, 9, 9, 12, 12, 12, 12, 11, 12, 12, 11))
    formats = {8: PERCENT, 11: PERCENT}
    for h in f.hamlets:
        _row(sheet, [h.name, *_counts(h.counts)], formats)
    _row(sheet, [TOTAL_LABEL, *_counts(f.total)], formats, bold=True)


def _models(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_MODELS, f, MODEL_HEADERS, (6, 44, 30, 20, 15, 9, 9, 9, 12, 12, 14))
    for n, m in enumerate(f.models, 1):
        _row(sheet, [n, m.name, m.type_name, m.lead_organisation, m.status_label, m.sites, m.households,
                     m.total_score, m.rating, m.recommendation_label or None, m.evaluated_on], {11: DATE})
    _row(sheet, [None, TOTAL_LABEL, None, None, None, sum(m.sites for m in f.models),
                 sum(m.households for m in f.models), None, None, None, None], bold=True)


def _propaganda(sheet: Worksheet, f: ReviewFigures) -> None:
    _start(sheet, SHEET_PROPAGANDA, f, PROPAGANDA_HEADERS, (34, 12, 12))
    for label, unit, n in f.propaganda:
        _row(sheet, [label, unit, n])
