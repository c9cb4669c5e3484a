"""The start page's charts as SVG: the review report's drawings (``pdf/charts.py``),
rendered by reportlab's pure-Python SVG renderer, for Qt's SVG module to show.

Neither adds a byte to the installer: reportlab is already there for the PDFs,
QtSvg is part of PySide6-Essentials (README, "Biểu đồ").
"""

from __future__ import annotations

import re

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from gocong_desktop.core.documents.pdf.charts import (attendance_chart, meetings_chart, pledge_chart,
                                                     ratings_chart)
from gocong_desktop.core.documents.pdf.fonts import SANS, SANS_BOLD
from gocong_desktop.core.services.start_page import StartCharts

# reportlab font name -> (Qt family, weight): Qt finds the bundled fonts by family.
_QT_FONTS = {SANS: ("Liberation Sans", "normal"), SANS_BOLD: ("Liberation Sans", "bold")}

SCREEN_WIDTH = 380.0  # the start page shows two side by side on a 1366 px screen
LAST_12_MONTHS = "12 tháng qua"


def start_page_charts(f: StartCharts) -> list[Drawing]:
    """The start page's four charts, in its order."""
    return [pledge_chart(f.pledge_year, f.pledge_coverage, width=SCREEN_WIDTH),
            attendance_chart(LAST_12_MONTHS, f.attendance, width=SCREEN_WIDTH),
            meetings_chart(LAST_12_MONTHS, f.meetings_by_month, width=SCREEN_WIDTH),
            ratings_chart("mô hình đang hoạt động, lần đánh giá gần nhất", f.ratings, width=SCREEN_WIDTH)]


def start_page_svgs(f: StartCharts) -> list[tuple[bytes, float, float]]:
    """(SVG, width, height in points) of each of the start page's charts."""
    return [(chart_svg(d), d.width, d.height) for d in start_page_charts(f)]


def chart_svg(drawing: Drawing) -> bytes:
    """The drawing as SVG, its fonts named as Qt knows them ("Liberation Sans", bold),
    without the drawing's clip path: Qt's SVG Tiny renderer would paint it as a black box."""
    svg = re.sub(r"<clipPath.*?</clipPath>|style=\"clip-path: url\(#clip\)\"", "",
                 renderSVG.drawToString(drawing), flags=re.S)

    def qt_font(match: re.Match) -> str:
        family, weight = _QT_FONTS.get(match[1], (match[1], "normal"))
        return f"font-family: {family}; font-weight: {weight}"
    return re.sub(r"font-family: ([\w-]+)", qt_font, svg).encode("utf-8")
