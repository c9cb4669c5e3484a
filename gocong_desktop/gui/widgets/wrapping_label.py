"""A word-wrapped label that keeps room for all its lines.

Qt's layouts size a wrapped label from a hint made at another width: when a window
is short of room (1024×768 at 150 %), they give it fewer lines than its text needs
and the last one is cut. This one asks for the height its text takes at its width,
so the layout gives way elsewhere (or the page scrolls) instead."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setText(text)
        if self.isVisible():  # before its first layout the width is not its own yet
            self._keep_lines()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._keep_lines()

    def _keep_lines(self) -> None:
        self.setMinimumHeight(self.heightForWidth(self.width()) if self.text() else 0)
