"""A one-line label that gives way on a small screen: its text is cut with "…" when
the room is short, and the whole text is always in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    """``wanted_chars``: the width it asks for (about that many characters); it may
    be squeezed down to a few characters, never wider than its text."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, wanted_chars: int = 28) -> None:
        super().__init__(parent)
        self.wanted_chars = wanted_chars
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        full = super().sizeHint()
        wanted = self.fontMetrics().averageCharWidth() * self.wanted_chars
        return QSize(min(full.width(), wanted), full.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        full = super().minimumSizeHint()
        return QSize(min(full.width(), self.fontMetrics().horizontalAdvance("…") * 6), full.height())

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        room = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room.width())
        painter = QPainter(self)
        painter.drawText(room, int(self.alignment()), text)
