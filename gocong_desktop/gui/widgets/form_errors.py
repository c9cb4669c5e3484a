"""Validation messages shown next to the field they are about.

Services raise ``ValidationError(message, field=...)``; a form registers each
widget under the service's field name, and the message appears in red right
under that widget (with focus moved there), instead of in a pop-up.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gocong_desktop.core.errors import UserError
from gocong_desktop.gui.widgets.screen_fit import grow_to_fit

ERROR_STYLE = "color: #b00020;"


class FieldErrors:
    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str) -> None:
        """Add ``widget`` to ``form`` with a hidden error line under it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(widget)
        layout.addWidget(error)
        box.setFocusProxy(widget)  # the label's Alt+letter (its buddy is the box) reaches the field
        form.addRow(label, box)
        self._labels[field], self._widgets[field] = error, widget

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()

    def show(self, exc: UserError) -> bool:
        """Show the message next to its field; False when no field matches."""
        label = self._labels.get(exc.field or "")
        if label is None:
            return False
        label.setText(exc.message)
        label.show()
        self._widgets[exc.field].setFocus()
        return True

    def message(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


class RefusalLine(QLabel):
    """One red line under a password field, hidden until something is refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.hide()

    def refuse(self, message: str, *cleared: QLineEdit) -> None:
        """Say why, and empty the secrets typed (to be typed again)."""
        self.setText(message)
        self.show()
        grow_to_fit(self.window())  # the message wraps: the box grows to show all of it
        for field in cleared:
            field.clear()

