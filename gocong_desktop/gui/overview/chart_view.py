"""The start page's charts: the review report's reportlab drawings, rendered to SVG
off the UI thread, drawn at the widget's size by Qt's SVG image plugin (QImageReader).

The plugin (imageformats/qsvg) ships with QtGui in every bundle; the QtSvg and
QtSvgWidgets bindings stay out of the installer (installer/gocong_desktop.spec).
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from gocong_desktop.core.services.overview import AreaFigures
from gocong_desktop.core.services.start_page import chart_figures

TWO_COLUMNS_PX = 860  # side by side from this width, one under the other below it
MIN_CHART_PX = 260
MAX_CHART_PX = 640  # wider, one chart a row would print its labels twice the size of the window's text

Rendered = tuple[bytes, float, float]  # (SVG, width, height in points)


def read_charts(session, hamlets: Sequence[AreaFigures]) -> list[Rendered]:
    """On a reader thread: the charts' figures (``hamlets``: the table's rows), drawn as SVG."""
    # reportlab: not part of the start (imported while a person signs in: page_imports.py)
    from gocong_desktop.core.documents.screen_charts import start_page_svgs

    return start_page_svgs(chart_figures(session, date.today(), hamlets))


def svg_image(svg: bytes, size: QSize, pixel_ratio: float) -> QImage:
    """The SVG drawn at ``size`` (device pixels for a sharp picture); a null image if
    Qt's SVG plugin is missing."""
    buffer = QBuffer()
    buffer.setData(QByteArray(svg))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(b"svg"))
    reader.setScaledSize(size * pixel_ratio)
    image = reader.read()
    image.setDevicePixelRatio(pixel_ratio)
    return image


class ChartView(QWidget):
    """One chart, as wide as its column, as high as its proportions make it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ratio = 0.5  # height / width of the drawing
        self.svg = b""
        self.image = QImage()
        self.setMinimumWidth(MIN_CHART_PX)
        self.setMaximumWidth(MAX_CHART_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_svg(self, svg: bytes, width: float, height: float) -> None:
        self.svg, self.ratio = svg, height / width
        self._fit()
        self._draw()

    def _fit(self) -> None:
        self.setFixedHeight(max(1, round(self.width() * self.ratio)))  # the width is the layout's

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()
        self._draw()

    def _draw(self) -> None:
        if self.svg and not self.size().isEmpty():
            self.image = svg_image(self.svg, self.size(), self.devicePixelRatioF())
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if not self.image.isNull():
            painter = QPainter(self)
            painter.drawImage(0, 0, self.image)
            painter.end()


class ChartsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views = [ChartView() for _ in range(4)]
        for view in self.views:  # no empty frames to scroll past until drawn
            view.hide()
        self.drawn = False  # the first drawings arrived
        self.drawing_note = QLabel("Đang vẽ biểu đồ…")  # until then: not an unexplained blank
        self.drawing_note.setStyleSheet("color: #555; font-style: italic;")
        self._grid = QGridLayout(self)
        self._columns = 0
        self._arrange()

    def show_charts(self, rendered: list[Rendered]) -> None:
        for view, (svg, width, height) in zip(self.views, rendered):
            view.show()
            view.show_svg(svg, width, height)
        self.drawn = True
        self.drawing_note.hide()

    def show_failure(self) -> None:
        """The drawing failed (the error is shown apart): say so where the charts would be."""
        if not self.drawn:
            self.drawing_note.setText("Chưa vẽ được biểu đồ. Số liệu theo ấp vẫn xem được ở thẻ bên cạnh.")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        columns = 2 if self.width() >= TWO_COLUMNS_PX else 1
        if columns != self._columns:
            self._columns = columns
            self._grid.addWidget(self.drawing_note, 0, 0, 1, columns, Qt.AlignmentFlag.AlignTop)
            for n, view in enumerate(self.views):
                self._grid.addWidget(view, n // columns + 1, n % columns, Qt.AlignmentFlag.AlignTop)
            self._grid.setColumnStretch(1, 1 if columns == 2 else 0)
            self._grid.setColumnStretch(0, 1)
