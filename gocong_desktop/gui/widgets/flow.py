"""Rows of filters and buttons that wrap onto a second line when the window is narrow
(a 1024×768 screen at 125% leaves about 640 px beside the navigation), instead of
forcing the whole window wider than the screen."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right at their preferred widths, wrapping to the next line;
    an item marked with ``add_right`` starts at the right end of the last line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right: set[int] = set()
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt name)
        self._items.append(item)

    def add_right(self, widget: QWidget) -> None:
        """``widget`` at the right end of its line (a count after the buttons)."""
        self._right.add(len(self._items))
        self.addWidget(widget)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt name)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt name)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt name)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt name)
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        width = sum(i.sizeHint().width() for i in self._visible()) + self.spacing() * max(0, len(self._visible()) - 1)
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt name)
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (or only measure); the height used."""
        area = rect.marginsRemoved(self.contentsMargins())
        x, y, line_height, gap = area.x(), area.y(), 0, self.spacing()
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            hint = item.sizeHint().boundedTo(QSize(area.width(), 10_000))
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + gap, 0
            left = area.right() + 1 - hint.width() if index in self._right else x
            if move:
                item.setGeometry(QRect(QPoint(max(left, x), y), hint))
            x, line_height = max(left, x) + hint.width() + gap, max(line_height, hint.height())
        return y + line_height - rect.y() + self.contentsMargins().bottom()


def labelled(text: str, widget: QWidget) -> QWidget:
    """A label and its field kept together on one line of a flow; a combo box is as
    wide as its longest choice (a flow gives each item its preferred width)."""
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    pair = QWidget()
    layout = QHBoxLayout(pair)
    layout.setContentsMargins(QMargins())
    label = QLabel(text)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    return pair


def flow_row(*widgets: QWidget, right: QWidget | None = None) -> QWidget:
    """A widget holding ``widgets`` in a wrapping row (``right`` at the line's end)."""
    row = QWidget()
    row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    flow = FlowLayout(row)
    for widget in widgets:
        flow.addWidget(widget)
    if right is not None:
        flow.add_right(right)
    return row
