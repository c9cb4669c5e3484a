"""The movement's charts as reportlab drawings: one chart code for the window and the report.

A ``Drawing`` is a flowable, so the review report's PDF prints it as vector graphics;
the start page shows the same drawing as SVG (``chart_svg``, reportlab's pure-Python
renderer) through Qt's SVG module. Neither adds a byte to the installer: reportlab
is already there for the PDFs, QtSvg is part of PySide6-Essentials. Text is the
bundled Liberation Sans, registered with reportlab for the metrics and loaded in Qt
under its family name, so labels with Vietnamese marks are measured and drawn alike.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from gocong_desktop.core.documents.pdf.fonts import SANS, SANS_BOLD, register_fonts
from gocong_desktop.core.text import format_int, format_percent

WIDTH = 440.0  # points: the report's text frame is ≈ 467 pt wide
BAR_COLOUR = colors.HexColor("#2f6fab")
GRID_COLOUR = colors.HexColor("#d0d7de")
FONT_SIZE = 8
TITLE_SIZE = 10
NO_DATA = "Chưa có số liệu"
# reportlab font name -> (Qt family, weight): Qt finds the bundled fonts by family.
_QT_FONTS = {SANS: ("Liberation Sans", "normal"), SANS_BOLD: ("Liberation Sans", "bold")}


def month_label(first_day: date) -> str:
    return f"T{first_day.month}/{first_day.year % 100:02d}"


def _drawing(title: str, height: float, width: float) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - TITLE_SIZE, title, fontName=SANS_BOLD, fontSize=TITLE_SIZE), name="title")
    return drawing


def _style(chart: BarChart) -> None:
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = SANS, FONT_SIZE
        axis.strokeColor = colors.grey
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID_COLOUR
    chart.barLabelFormat = "values"  # the texts of ``barLabelArray``
    chart.barLabels.fontName, chart.barLabels.fontSize = SANS, FONT_SIZE


def _no_data(drawing: Drawing, width: float, height: float) -> Drawing:
    drawing.add(String(width / 2, height / 2 - FONT_SIZE, NO_DATA, fontName=SANS, fontSize=FONT_SIZE + 1,
                       textAnchor="middle", fillColor=colors.grey), name="no_data")
    return drawing


def rate_chart(title: str, rows: Sequence[tuple[str, float | None]], *, width: float = WIDTH) -> Drawing:
    """Horizontal bars of percentages (0–100 %), one per named row (a hamlet); a row
    without figures (None) gets no bar and the label "–"."""
    height = TITLE_SIZE + 34 + 18 * max(len(rows), 2)
    drawing = _drawing(title, height, width)
    if not rows:
        return _no_data(drawing, width, height)
    chart = HorizontalBarChart()
    label_width = min(width * 0.35, 6 + max(_text_width(name) for name, _v in rows))
    chart.x, chart.y = label_width + 6, 18
    chart.width, chart.height = width - chart.x - 40, height - TITLE_SIZE - 30
    chart.data = [[value or 0.0 for _name, value in reversed(rows)]]  # the first row at the top
    chart.categoryAxis.categoryNames = [name for name, _v in reversed(rows)]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = lambda v: f"{v:.0f}%"
    chart.barLabelArray = [["–" if value is None else format_percent(value) for _name, value in reversed(rows)]]
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    _style(chart)
    drawing.add(chart, name="chart")
    return drawing


def count_chart(title: str, rows: Sequence[tuple[str, int]], *, width: float = WIDTH,
                height: float = 170) -> Drawing:
    """Vertical bars of counts (meetings per month, models per rating), each labelled."""
    drawing = _drawing(title, height, width)
    if not rows:
        return _no_data(drawing, width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 20
    chart.width, chart.height = width - 40, height - TITLE_SIZE - 40
    chart.data = [[n for _name, n in rows]]
    chart.categoryAxis.categoryNames = [name for name, _n in rows]
    top = max(n for _name, n in rows)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(top + max(top // 8, 1), 4)  # room for the labels above the bars
    chart.valueAxis.valueStep = max(1, -(-chart.valueAxis.valueMax // 4))
    chart.valueAxis.labelTextFormat = lambda v: format_int(int(v))
    chart.barLabelArray = [[format_int(n) for _name, n in rows]]
    chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
    _style(chart)
    drawing.add(chart, name="chart")
    return drawing


def monthly_chart(title: str, rows: Sequence[tuple[date, int]], *, width: float = WIDTH) -> Drawing:
    return count_chart(title, [(month_label(day), n) for day, n in rows], width=width)


def _text_width(text: str) -> float:
    return stringWidth(text, SANS, FONT_SIZE)


def chart_svg(drawing: Drawing) -> bytes:
    """The drawing as SVG, its fonts named as Qt knows them ("Liberation Sans", bold),
    without the drawing's clip path: Qt's SVG Tiny renderer would paint it as a black box."""
    svg = re.sub(r"<clipPath.*?</clipPath>|style=\"clip-path: url\(#clip\)\"", "",
                 renderSVG.drawToString(drawing), flags=re.S)

    def qt_font(match: re.Match) -> str:
        family, weight = _QT_FONTS.get(match[1], (match[1], "normal"))
        return f"font-family: {family}; font-weight: {weight}"
    return re.sub(r"font-family: ([\w-]+)", qt_font, svg).encode("utf-8")
