"""The chart drawings (core/documents/pdf/charts.py), inspected as objects: bars, values,
labels; and their SVG as the window reads it (core/documents/screen_charts.py)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

import pytest
from PIL import Image
from reportlab.graphics.shapes import String, UserNode

from gocong_desktop.core.documents.docx.chart_png import drawing_png
from gocong_desktop.core.documents.pdf.charts import (BAR_COLOUR, NO_DATA, PRINT_SIZE, attendance_chart, meetings_chart,
                                                     pledge_chart, ratings_chart)
from gocong_desktop.core.documents.pdf.fonts import _FILES, SANS, SANS_BOLD, SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC
from gocong_desktop.core.documents.pdf.review_report import PRINTED
from gocong_desktop.core.documents.screen_charts import SCREEN_WIDTH, chart_svg


def test_rate_chart_has_a_bar_per_hamlet_top_down_with_its_percentage():
    d = pledge_chart(2026, [("Lợi An", 100.0), ("Đồng Sơn", 50.0), ("Ấp Mới", None)])
    assert d.title.text == "Tỷ lệ hộ ký cam kết năm 2026 theo ấp"
    # reportlab draws the first category at the bottom: the rows go in reversed.
    assert d.chart.categoryAxis.categoryNames == ["Ấp Mới", "Đồng Sơn", "Lợi An"]
    assert d.chart.data == [[0.0, 50.0, 100.0]]
    assert d.chart.barLabelArray == [["–", "50,0%", "100,0%"]]
    assert (d.chart.valueAxis.valueMin, d.chart.valueAxis.valueMax) == (0, 100)


def test_count_charts_label_each_bar():
    months = meetings_chart("12 tháng qua", [(date(2025, 12, 1), 3), (date(2026, 1, 1), 0), (date(2026, 2, 1), 12)])
    assert months.title.text == "Số buổi sinh hoạt tổ theo tháng (12 tháng qua)"
    assert months.chart.categoryAxis.categoryNames == ["T12\n2025", "T1\n2026", "T2"]  # the year when it starts
    assert months.chart.data == [[3, 0, 12]] and months.chart.barLabelArray == [["3", "0", "12"]]
    assert months.chart.valueAxis.valueMax > 12  # room above the highest bar for its label
    ratings = ratings_chart("mô hình đang hoạt động", [("Tốt", 3), ("Khá", 2)])
    assert ratings.chart.categoryAxis.categoryNames == ["Tốt", "Khá"] and ratings.chart.data == [[3, 2]]


def test_a_chart_without_figures_says_so():
    d = attendance_chart("12 tháng qua", [])
    assert d.no_data.text == NO_DATA and not hasattr(d, "chart")


def test_printed_size_is_never_under_12_pt():
    d = pledge_chart(2026, [("Lợi An", 90.0)], size=PRINT_SIZE)
    assert d.chart.categoryAxis.labels.fontSize == d.chart.barLabels.fontSize == PRINT_SIZE
    assert d.title.fontSize > PRINT_SIZE


def test_svg_names_fonts_as_qt_knows_them_and_has_no_clip_box():
    svg = chart_svg(pledge_chart(2026, [("Đồng Sơn", 50.0)])).decode("utf-8")
    assert "Tỷ lệ hộ ký cam kết năm 2026 theo ấp" in svg and "Đồng Sơn" in svg
    assert "font-family: Liberation Sans; font-weight: bold" in svg
    assert "font-family: Liberation Sans; font-weight: normal" in svg
    assert "LiberationSans" not in svg and "clipPath" not in svg and "clip-path" not in svg


def test_png_of_a_chart_for_the_word_copy():
    """Drawn by Pillow: the bars in the chart's colour where the drawing puts them, on white."""
    d = pledge_chart(2026, [("Lợi An", 100.0), ("Đồng Sơn", 50.0)], size=PRINT_SIZE)
    image = Image.open(io.BytesIO(drawing_png(d, dpi=72)))
    assert image.size == (round(d.width), round(d.height))
    chart = d.chart
    bar_y = d.height - (chart.y + chart.height * 3 / 4)  # the top bar (Lợi An), halfway up it, from the top
    full, half = chart.x + chart.width * 0.98, chart.x + chart.width * 0.75
    blue = tuple(round(255 * c) for c in BAR_COLOUR.rgb())
    near = lambda pixel: all(abs(a - b) < 40 for a, b in zip(pixel, blue))  # noqa: E731
    assert near(image.getpixel((round(full), round(bar_y))))  # 100 %: the bar reaches the end
    lower = d.height - (chart.y + chart.height / 4)
    assert near(image.getpixel((round(chart.x + chart.width * 0.25), round(lower))))
    assert image.getpixel((round(half), round(lower))) == (255, 255, 255)  # 50 %: white beyond the middle


def test_the_screen_charts_parse_only_the_sans_fonts_and_documents_still_get_all():
    """The start page's charts are drawn as the window starts: each font file parsed costs
    some 10 ms of a reader thread (issue 16). A fresh process: fonts register once per process."""
    code = """
import json
from reportlab.lib.fonts import tt2ps
from reportlab.pdfbase import pdfmetrics
from gocong_desktop.core.documents.pdf import fonts
from gocong_desktop.core.documents.screen_charts import chart_svg
from gocong_desktop.core.documents.pdf.charts import pledge_chart
chart_svg(pledge_chart(2026, [("Bình Đông", 0.9)]))
charts = sorted(set(pdfmetrics.getRegisteredFontNames()) & set(fonts._FILES))
fonts.register_fonts()
print(json.dumps([charts, sorted(set(pdfmetrics.getRegisteredFontNames()) & set(fonts._FILES)),
                  tt2ps(fonts.SERIF, 1, 1)]))  # the <b>/<i> mapping in place
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    charts, later, bold_italic = json.loads(done.stdout)
    assert charts == sorted([SANS, SANS_BOLD])
    assert later == sorted(_FILES) and bold_italic == SERIF_BOLD_ITALIC


LONG_NAME = "Ấp Bình Đông Thượng Nghĩa Hòa Tân Lập Bình Đông Thượng Nghĩa Hòa Tân Lập"  # 72 characters
SPECIAL_NAME = "Kiểm Thử Ký Tự Đặc Biệt & Dài"  # 29 characters


def _strings(drawing) -> list[String]:
    """Every text the drawing draws, its charts expanded into plain shapes."""
    found, todo = [], [drawing]
    while todo:
        node = todo.pop()
        if isinstance(node, UserNode):  # a chart, an axis label: what it draws
            node = node.provideNode()
        if isinstance(node, String):
            found.append(node)
        todo += getattr(node, "contents", [])
    return found


@pytest.mark.parametrize("layout", [{"width": SCREEN_WIDTH}, PRINTED], ids=["screen", "print"])
@pytest.mark.parametrize("name", [LONG_NAME, SPECIAL_NAME])
def test_long_hamlet_names_stay_inside_the_chart(layout, name):
    """The audit: a long name ran off the drawing's left edge (8 mm from the paper's in the PDF,
    «iểm Thử…» in the Word picture). A name too long for its column is shortened with «…»:
    the full names are in the table above the chart."""
    d = attendance_chart("6 tháng đầu năm 2024", [(name, 80.0), ("Lợi An", 50.0)], **layout)
    x0, _y0, x1, _y1 = d.getBounds()  # of every shape and text, as placed
    assert 0 <= x0 and x1 <= d.width
    texts = {s.text for s in _strings(d)}
    assert "Lợi An" in texts  # a name that fits is printed whole
    label = next(t for t in texts if t.startswith(name[:8]))
    assert label == name or (label.endswith("…") and name.startswith(label[:-1].rstrip()))


def test_the_word_picture_of_a_long_name_starts_inside_it():
    """Rendered by Pillow as the Word copy has it: the leftmost columns are white."""
    d = attendance_chart("6 tháng đầu năm 2024", [(LONG_NAME, 80.0), (SPECIAL_NAME, 50.0)], **PRINTED)
    image = Image.open(io.BytesIO(drawing_png(d, dpi=72))).convert("RGB")
    title_bottom = round(PRINT_SIZE * 2)  # the title starts at x = 0: look below it
    strip = image.crop((0, title_bottom, 2, image.height))
    assert [colour for _n, colour in strip.getcolors()] == [(255, 255, 255)]


def _four_charts(**layout) -> list:
    return [pledge_chart(2024, [("Lợi An", 50.0)], **layout), attendance_chart("quý I", [("Lợi An", 80.0)], **layout),
            meetings_chart("quý I", [(date(2024, 1, 1), 2)], **layout), ratings_chart("quý I", [("Tốt", 1)], **layout)]


def test_printed_charts_use_the_documents_serif_and_the_window_keeps_sans():
    """Nghị định 30: the report is in a Times-like serif, its charts too; the start page
    keeps the sans it is drawn in."""
    assert {s.fontName for d in _four_charts(**PRINTED) for s in _strings(d)} == {SERIF, SERIF_BOLD}
    assert {s.fontName for d in _four_charts(width=SCREEN_WIDTH) for s in _strings(d)} == {SANS, SANS_BOLD}
    printed = _four_charts(**PRINTED)[0]
    png = Image.open(io.BytesIO(drawing_png(printed, dpi=72)))  # the Word copy finds the serif files
    assert png.size == (round(printed.width), round(printed.height))
