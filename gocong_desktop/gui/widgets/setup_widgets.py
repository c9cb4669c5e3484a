"""Small parts shared by the set-up wizard's pages."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtWidgets import (QFormLayout, QFrame, QLabel, QLayout, QProgressBar, QScrollArea,
                               QVBoxLayout, QWidget)

from gocong_desktop.gui.widgets.form_errors import ERROR_STYLE

WARNING_STYLE = ("color: #7a4b00; background: #fff4d6; border: 1px solid #e0b050; "
                 "border-radius: 3px; padding: 6px;")
HINT_STYLE = "color: #555;"


class PageId(IntEnum):
    WELCOME = 0
    UNIT = 1
    HAMLETS = 2
    STORAGE = 3
    DEMO = 4
    ADMIN = 5


def note_label(text: str = "", *, style: str = HINT_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def scrolling(page: QWidget, content: QLayout) -> None:
    """Lay ``content`` out on ``page`` inside a frameless scroll area, so a
    long form still fits a 1366×768 screen with large text (150 %)."""
    inner = QWidget()
    inner.setLayout(content)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(area)


class FieldNotes:
    """A red message under each field. Unlike a pop-up it stays beside the
    field, and it never takes the focus away while the user moves on."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str,
                hint: str | None = None) -> None:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        if hint:
            layout.addWidget(note_label(hint))
        error = note_label(style=ERROR_STYLE)
        error.hide()
        layout.addWidget(error)
        form.addRow(label, box)
        self.labels[field], self.widgets[field] = error, widget

    def set(self, field: str, message: str | None) -> None:
        label = self.labels[field]
        label.setText(message or "")
        label.setVisible(bool(message))

    def show_all(self, errors: dict[str, str]) -> bool:
        """Show ``errors`` (field -> message), clear the rest, focus the first
        field in error. True when there was nothing to show."""
        for field in self.labels:
            self.set(field, errors.get(field))
        first = next(iter(errors), None)
        if first is not None:
            self.widgets[first].setFocus()
        return first is None

    def message(self, field: str) -> str:
        label = self.labels[field]
        return "" if label.isHidden() else label.text()


class BusyBar(QProgressBar):
    """An indeterminate bar: work of unknown length is under way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.hide()


class Worker(QThread):
    """Runs ``fn`` off the UI thread, then calls ``on_done(result)`` or
    ``on_error(exc)`` on the UI thread, once the thread has really ended (so
    closing the window right after can never destroy a running thread)."""

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._result: Any = None
        self._error: BaseException | None = None
        self._callbacks: tuple[Callable[[Any], None], Callable[[BaseException], None]] | None = None

    def run(self) -> None:  # worker thread; no signals emitted from Python here
        try:
            self._result = self._fn()
        except BaseException as exc:  # handed to the UI thread
            self._error = exc

    def start_with(self, on_done: Callable[[Any], None],
                   on_error: Callable[[BaseException], None]) -> None:
        self._callbacks = (on_done, on_error)
        self.finished.connect(self._on_finished)  # queued: we live on the UI thread
        self.start()

    def _on_finished(self) -> None:
        self.wait()  # "finished" is emitted just before the thread ends
        on_done, on_error = self._callbacks
        self.deleteLater()
        if self._error is not None:
            on_error(self._error)
        else:
            on_done(self._result)
