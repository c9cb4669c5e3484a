"""The column policy every list shares: each column as wide as its contents (capped),
one column (the name, or a free text) taking the room left but never narrower than
its sample text (or its contents, when it has no sample). A cell cut short shows its
whole text in a tooltip.

Qt's own Stretch mode squeezes the name column to a few pixels on a small screen
(group names vanished in the pledge tree) and ResizeToContents measures every row
at each layout; here contents are measured once, when the first rows arrive (those
on screen and the next ``MEASURED_ROWS``), and only the name column follows the
window's width. The user may still drag columns.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QToolTip, QTreeView

# A column never fitted wider than this many average characters (addresses, notes):
# the rest of the text is in the cell's tooltip or shown when the column is dragged wider.
MAX_COLUMN_CHARS = 34
PAD = 12  # a cell's margins
# Rows measured when fitting, beyond those on screen: Qt's default (1,000) measured every
# row of a 500-group list, 14 columns, in 0.4 s of UI thread on the page's first visit.
MEASURED_ROWS = 100
AUTOMATIC = (QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)  # what this replaces


class ColumnFit(QObject):
    """Fits ``view``'s columns; ``stretch`` is the column that takes the room left.
    ``samples``: texts a column must fit whatever rows are shown (dates, numbers)."""

    def __init__(self, view: QAbstractItemView, stretch: int, samples: dict[int, str] | None = None) -> None:
        super().__init__(view)
        self.view, self.stretch, self.samples = view, stretch, dict(samples or {})
        self._fitted_rows = False
        self._stretch_min = 0
        view.viewport().installEventFilter(self)
        self._model = model = view.model()  # not asked of the view: a table widget's model outlives it briefly
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self._on_rows)
        self.header.sortIndicatorChanged.connect(self._on_sorted)
        self.header.setResizeContentsPrecision(MEASURED_ROWS)
        self.fit()

    @property
    def header(self) -> QHeaderView:
        view = self.view
        return view.horizontalHeader() if isinstance(view, QTableView) else view.header()

    def fit(self) -> None:
        """Every column to its contents, then the name column to the room left."""
        header, metrics = self.header, self.view.fontMetrics()
        _sized_by_us(header)
        cap = metrics.averageCharWidth() * MAX_COLUMN_CHARS
        for column in range(header.count()):
            width = self._content_width(column, metrics)
            if column == self.stretch:
                sample = self.samples.get(column)
                self._stretch_min = self._sample_width(column, sample, metrics) if sample else min(width, cap)
            else:
                header.resizeSection(column, min(width, cap))
        self._fit_stretch()

    def _sample_width(self, column: int, sample: str, metrics) -> int:
        return max(self._header_width(column), metrics.horizontalAdvance(sample) + PAD)

    def _content_width(self, column: int, metrics) -> int:
        sample = self.samples.get(column, "")
        rows = max(0, self.view.sizeHintForColumn(column))
        return max(self._header_width(column), metrics.horizontalAdvance(sample) + PAD, rows)

    def _header_width(self, column: int) -> int:
        """The header's text and margins; room for the sort arrow only on the sorted
        column (Qt counts it on every column: 8 columns lost 170 px at 125%)."""
        header = self.header
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            return header.sectionSizeHint(column)
        text = str(header.model().headerData(column, Qt.Orientation.Horizontal) or "")
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        return max((header.fontMetrics().horizontalAdvance(line) for line in text.splitlines()), default=0) \
            + 2 * margin + PAD // 2

    def _on_sorted(self, column: int, _order) -> None:
        """The newly sorted column gets room for its arrow."""
        header = self.header
        if column >= 0 and header.sectionSize(column) < header.sectionSizeHint(column):
            header.resizeSection(column, header.sectionSizeHint(column))
            self._fit_stretch()

    def _fit_stretch(self) -> None:
        header = self.header
        if not 0 <= self.stretch < header.count():
            return
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != self.stretch and not header.isSectionHidden(c))
        room = self.view.viewport().width() - others
        header.resizeSection(self.stretch, max(room, self._stretch_min))

    def _on_rows(self, *_args) -> None:
        # Fitted again only until rows have been seen: later reloads (typing a search)
        # keep the widths steady. Queued: the view lays its new rows out first.
        if not self._fitted_rows and self._model.rowCount() > 0:
            self._fitted_rows = True
            QTimer.singleShot(0, self, self.fit)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Resize:
            self._fit_stretch()
        elif event.type() == QEvent.Type.ToolTip:
            return self._show_cut_text(event)
        return False

    def _show_cut_text(self, event) -> bool:
        """The whole text of a cell drawn cut short, unless the model has its own tooltip."""
        index = self.view.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if self.view.fontMetrics().horizontalAdvance(text) + PAD // 2 <= self.view.visualRect(index).width():
            return False
        QToolTip.showText(event.globalPos(), text, self.view.viewport())
        return True


def _sized_by_us(header: QHeaderView) -> None:
    """Qt's automatic modes off (again at each fit: a header state saved by an older
    version may have restored them); a Fixed column stays fixed."""
    header.setStretchLastSection(False)
    for column in range(header.count()):
        if header.sectionResizeMode(column) in AUTOMATIC:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)


def fit_columns(view: QTableView | QTreeView, stretch: int, samples: dict[int, str] | None = None) -> ColumnFit:
    """Apply the shared column policy to ``view`` (after its model is set)."""
    return ColumnFit(view, stretch, samples)
