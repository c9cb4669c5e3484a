"""A page that says what is coming, instead of an empty frame."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..context import AppContext
from .base import Page


class ComingSoonPage(Page):
    def __init__(self, ctx: AppContext, title: str, description: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(description)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        note = QLabel("Chức năng này đang được xây dựng và sẽ có trong phiên bản tới.")
        note.setStyleSheet("color: #666;")
        for widget in (heading, body, note):
            layout.addWidget(widget)
        layout.addStretch(1)
