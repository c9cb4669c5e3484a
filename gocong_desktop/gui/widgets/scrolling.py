"""Long forms and panels in a scroll area, so that a window holding them fits a small
screen (1024×768 at 125%: 614 logical pixels high, less the taskbar)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QWidget


class FittingScroll(QScrollArea):
    """Asks for its content's full size (a dialog opens showing it all when the
    screen allows) but may shrink to a few lines, then scrolls vertically."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        inner = self.widget().sizeHint() if self.widget() is not None else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), inner.height() + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        inner = self.widget().minimumSizeHint() if self.widget() is not None else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), min(inner.height(), 160))


def scrolling(content: QWidget | QLayout) -> FittingScroll:
    """``content`` (a widget or a layout) in a frameless vertical scroll area."""
    if isinstance(content, QLayout):
        holder = QWidget()
        holder.setLayout(content)
        content = holder
    area = FittingScroll()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area
