"""The start page's charts: the review report's reportlab drawings, rendered to SVG
off the UI thread and shown with Qt's SVG module (core/documents/screen_charts.py)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from gocong_desktop.core.services.start_page import StartCharts

TWO_COLUMNS_PX = 860  # side by side from this width, one under the other below it
MIN_CHART_PX = 260

Rendered = tuple[bytes, float, float]  # (SVG, width, height in points)


def render_charts(figures: StartCharts) -> list[Rendered]:
    """On a reader thread: the four drawings as SVG."""
    # reportlab is imported here, once the window is up: not part of the start.
    from gocong_desktop.core.documents.screen_charts import start_page_svgs

    return start_page_svgs(figures)


class ChartView(QSvgWidget):
    """One chart, as wide as its column, as high as its proportions make it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ratio = 0.5  # height / width of the drawing
        self.setMinimumWidth(MIN_CHART_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_svg(self, svg: bytes, width: float, height: float) -> None:
        self.load(QByteArray(svg))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.ratio = height / width
        self.fit(self.width())

    def fit(self, width: int) -> None:
        self.setFixedHeight(max(1, round(width * self.ratio)))


class ChartsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views = [ChartView() for _ in range(4)]
        self.drawn = False  # the first drawings arrived
        self._grid = QGridLayout(self)
        self._columns = 0
        self._arrange()

    def show_charts(self, rendered: list[Rendered]) -> None:
        for view, (svg, width, height) in zip(self.views, rendered):
            view.show_svg(svg, width, height)
        self.drawn = True
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._arrange()
        self._fit()

    def _arrange(self) -> None:
        columns = 2 if self.width() >= TWO_COLUMNS_PX else 1
        if columns != self._columns:
            self._columns = columns
            for n, view in enumerate(self.views):
                self._grid.addWidget(view, n // columns, n % columns, Qt.AlignmentFlag.AlignTop)
            self._grid.setColumnStretch(1, 1 if columns == 2 else 0)
            self._grid.setColumnStretch(0, 1)

    def _fit(self) -> None:
        margins = self._grid.contentsMargins()
        usable = self.width() - margins.left() - margins.right() - self._grid.horizontalSpacing() * (self._columns - 1)
        for view in self.views:
            view.fit(max(MIN_CHART_PX, usable // self._columns))
