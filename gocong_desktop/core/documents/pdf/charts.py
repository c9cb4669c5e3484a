"""The movement's charts as reportlab drawings: one chart code for the window and the report.

A ``Drawing`` is a flowable, so the review report's PDF prints it as vector graphics;
the start page shows the same drawing as SVG (``core/documents/screen_charts.py``).
Text is a bundled Liberation font registered with reportlab for the metrics, so labels
with Vietnamese marks are measured and drawn alike: Sans on the screen (Qt loads it under
its family name), Serif in the printed report (``serif=True``), like the rest of a
Nghị định 30 document.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Sequence

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from gocong_desktop.core.documents.pdf.fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts
from gocong_desktop.core.text import format_int, format_percent

WIDTH = 440.0  # points: the report's text frame is ≈ 467 pt wide
BAR_COLOUR = colors.HexColor("#2f6fab")
GRID_COLOUR = colors.HexColor("#d0d7de")
SCREEN_SIZE = 8  # points; the window scales the drawing to its width
PRINT_SIZE = 12  # Nghị định 30: nothing in a report under 12 pt
NO_DATA = "Chưa có số liệu"
LABEL_SHARE = 0.35  # of a rate chart's width, at most, for the names left of the bars
LABEL_GAP = 10  # points from the names' column to the bars: the axis draws a name 5 pt left of itself


def has_figures(rows: Sequence[tuple[object, float | int | None]]) -> bool:
    """Whether a chart of ``rows`` shows anything: a row with a value (a count of 0 is one;
    a rate of None, "–", is not)."""
    return any(value is not None for _label, value in rows)


def month_labels(months: Sequence[date]) -> list[str]:
    """"T12", "T1"…, the year under the first month and under each January."""
    return [f"T{m.month}\n{m.year}" if n == 0 or m.month == 1 else f"T{m.month}" for n, m in enumerate(months)]


def _fonts(serif: bool) -> tuple[str, str]:
    """(regular, bold), registered: the screen's sans, or the printed documents' serif."""
    fonts = (SERIF, SERIF_BOLD) if serif else (SANS, SANS_BOLD)
    register_fonts(*fonts)  # only these: the window draws its charts as it starts
    return fonts


def _drawing(title: str, height: float, width: float, size: float, bold: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - size - 1, title, fontName=bold, fontSize=size + 1), name="title")
    return drawing


def _style(chart: BarChart, size: float, font: str) -> None:
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, size
        axis.strokeColor = colors.grey
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID_COLOUR
    chart.barLabelFormat = "values"  # the texts of ``barLabelArray``
    chart.barLabels.fontName, chart.barLabels.fontSize = font, size


def _no_data(drawing: Drawing, width: float, height: float, size: float, font: str) -> Drawing:
    drawing.add(String(width / 2, height / 2 - size, NO_DATA, fontName=font, fontSize=size,
                       textAnchor="middle", fillColor=colors.grey), name="no_data")
    return drawing


def fitted(name: str, font: str, size: float, room: float) -> str:
    """``name`` as wide as ``room`` at most, else shortened with «…», after a whole
    syllable when one ends in the second half of what fits. A right-aligned name wider
    than its column ran off the drawing's left edge; the report's table above the chart
    prints the names in full."""
    name = unicodedata.normalize("NFC", name)  # cut between letters, never a letter from its marks
    if stringWidth(name, font, size) <= room:
        return name
    short = name
    while short and stringWidth(short + "…", font, size) > room:
        short = short[:-1]
    space = short.rfind(" ")
    if name[len(short)] != " " and space > len(short) // 2:
        short = short[:space]
    return re.sub(r"\W+$", "", short) + "…"  # "Đặc Biệt…", not "Đặc Biệt &…"


def rate_chart(title: str, rows: Sequence[tuple[str, float | None]], *, width: float = WIDTH,
               size: float = SCREEN_SIZE, serif: bool = False) -> Drawing:
    """Horizontal bars of percentages (0–100 %), one per named row (a hamlet); a row
    without figures (None) gets no bar and the label "–"."""
    font, bold = _fonts(serif)
    height = 4.5 * size + 2.2 * size * max(len(rows), 2)
    drawing = _drawing(title, height, width, size, bold)
    if not rows:
        return _no_data(drawing, width, height, size, font)
    chart = HorizontalBarChart()
    names = [fitted(name, font, size, width * LABEL_SHARE) for name, _v in rows]
    chart.x, chart.y = max(stringWidth(name, font, size) for name in names) + LABEL_GAP, 2 * size
    chart.width, chart.height = width - chart.x - 4.5 * size, height - 4 * size
    chart.data = [[value or 0.0 for _name, value in reversed(rows)]]  # the first row at the top
    chart.categoryAxis.categoryNames = names[::-1]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = lambda v: f"{v:.0f}%"
    chart.barLabelArray = [["–" if value is None else format_percent(value) for _name, value in reversed(rows)]]
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    _style(chart, size, font)
    drawing.add(chart, name="chart")
    return drawing


def count_chart(title: str, rows: Sequence[tuple[str, int]], *, width: float = WIDTH,
                size: float = SCREEN_SIZE, serif: bool = False) -> Drawing:
    """Vertical bars of counts (meetings per month, models per rating), each labelled."""
    font, bold = _fonts(serif)
    height = 20 * size
    drawing = _drawing(title, height, width, size, bold)
    if not rows:
        return _no_data(drawing, width, height, size, font)
    chart = VerticalBarChart()
    chart.x, chart.y = 4 * size, 3.5 * size  # room for two lines of labels (a month, its year)
    chart.width, chart.height = width - chart.x - size, height - 7 * size
    chart.data = [[n for _name, n in rows]]
    chart.categoryAxis.categoryNames = [name for name, _n in rows]
    top = max(n for _name, n in rows)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(top + max(top // 8, 1), 4)  # room for the labels above the bars
    chart.valueAxis.valueStep = max(1, -(-chart.valueAxis.valueMax // 4))
    chart.valueAxis.labelTextFormat = lambda v: format_int(int(v))
    chart.barLabelArray = [[format_int(n) for _name, n in rows]]
    chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
    chart.categoryAxis.labels.textAnchor = "middle"  # a year centred under its month
    _style(chart, size, font)
    drawing.add(chart, name="chart")
    return drawing


def monthly_chart(title: str, rows: Sequence[tuple[date, int]], *, width: float = WIDTH,
                  size: float = SCREEN_SIZE, serif: bool = False) -> Drawing:
    labels = month_labels([day for day, _n in rows])
    return count_chart(title, [(label, n) for label, (_day, n) in zip(labels, rows)], width=width, size=size,
                       serif=serif)


# The four charts of the start page and the review report (``size``: SCREEN_SIZE or PRINT_SIZE;
# ``serif``: True in the printed report).
def pledge_chart(year: int, rows: Sequence[tuple[str, float | None]], **kw) -> Drawing:
    return rate_chart(f"Tỷ lệ hộ ký cam kết năm {year} theo ấp", rows, **kw)


def attendance_chart(span: str, rows: Sequence[tuple[str, float | None]], **kw) -> Drawing:
    return rate_chart(f"Tỷ lệ hộ dự họp theo ấp ({span})", rows, **kw)


def meetings_chart(span: str, rows: Sequence[tuple[date, int]], **kw) -> Drawing:
    return monthly_chart(f"Số buổi sinh hoạt tổ theo tháng ({span})", rows, **kw)


def ratings_chart(span: str, rows: Sequence[tuple[str, int]], **kw) -> Drawing:
    return count_chart(f"Số mô hình theo xếp loại ({span})", rows, **kw)
