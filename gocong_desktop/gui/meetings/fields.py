"""Small pieces of the meeting editor: a name box that offers the
group's households, messages under fields, and a list of removable rows.

Nothing here reformats text while it is typed (Unikey/EVKey edit by sending
backspaces): values are read and checked only when the editor saves."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.gui.widgets.form_errors import ERROR_STYLE
from gocong_desktop.gui.widgets.keys import focusable_before, place_in_tab_order
from gocong_desktop.gui.widgets.mnemonics import SKIP


def multiline(lines: int, placeholder: str = "", *, grow: bool = False) -> QPlainTextEdit:
    """A text box ``lines`` high (Tab moves on); it scrolls past that unless ``grow``."""
    edit = QPlainTextEdit(placeholderText=placeholder)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    if grow:
        edit.setMinimumHeight(height)
    else:
        edit.setFixedHeight(height)
    return edit


def readable_when_disabled(widget: QWidget) -> None:
    """A locked record's combo boxes are disabled, but their text stays dark."""
    palette = widget.palette()
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, palette.color(QPalette.ColorGroup.Active, role))
    widget.setPalette(palette)


class PersonBox(QComboBox):
    """A name typed freely or picked from the group's households. No completer:
    it would replace what an input method is typing."""

    edited = Signal()

    def __init__(self, placeholder: str = "") -> None:
        super().__init__()
        self.setEditable(True)
        self.setCompleter(None)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(placeholder)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        readable_when_disabled(self)
        self.editTextChanged.connect(lambda _t: self.edited.emit())

    def set_people(self, people: list[tuple[str, str]]) -> None:
        """(household id, head's name) pairs; the typed text is kept."""
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        for household_id, name in people:
            self.addItem(name, household_id)
        self.setEditText(text)
        self.blockSignals(False)

    def set_value(self, name: str | None, household_id: str | None) -> None:
        self.blockSignals(True)
        index = self.findData(household_id) if household_id else -1
        self.setCurrentIndex(index)
        self.setEditText(name or "")
        self.blockSignals(False)

    def value(self) -> tuple[str, str | None]:
        """(name, household id when the name is one of the households)."""
        text = self.currentText()
        if self.currentIndex() >= 0 and self.itemText(self.currentIndex()) == text:
            return text, self.itemData(self.currentIndex())
        index = self.findText(text, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchCaseSensitive)
        return text, self.itemData(index) if index >= 0 else None

    def set_read_only(self, read_only: bool) -> None:
        self.lineEdit().setReadOnly(read_only)
        self.setEnabled(not read_only)


class InlineErrors:
    """A red line under a field, shown without moving the focus (autosave
    must never pull the cursor away from where the clerk is typing)."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def wrap(self, widget: QWidget, field: str) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        error = QLabel(styleSheet=ERROR_STYLE, wordWrap=True)
        error.hide()
        layout.addWidget(widget)
        layout.addWidget(error)
        box.setFocusProxy(widget)  # the label's Alt+letter (its buddy is the box) reaches the field
        self._labels[field] = error
        return box

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()

    def show(self, exc: UserError) -> bool:
        label = self._labels.get(exc.field or "")
        if label is not None:
            label.setText(exc.message)
            label.show()
        return label is not None

    def message(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


class RowWidget(QWidget):
    """One removable row (a guest, an opinion); ``record_id`` is None until saved."""

    edited = Signal()
    remove_requested = Signal(object)

    def __init__(self, record_id: str | None = None) -> None:
        super().__init__()
        self.record_id = record_id
        self.remove_button = QPushButton("Xóa")
        self.remove_button.setToolTip("Xóa dòng này")
        self.remove_button.setProperty(SKIP, True)  # on every row: no Alt+letter
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def set_read_only(self, read_only: bool) -> None:
        self.remove_button.setVisible(not read_only)

    def fields(self) -> list[QWidget]:
        """The row's widgets, left to right (its layout's order)."""
        layout = self.layout()
        return [w for i in range(layout.count()) if (w := layout.itemAt(i).widget()) is not None]


class RowList(QWidget):
    """Rows made by ``make_row``, an "add" button under them."""

    edited = Signal()

    def __init__(self, make_row: Callable[[], RowWidget], add_text: str) -> None:
        super().__init__()
        self._make_row = make_row
        self.rows: list[RowWidget] = []
        self.add_button = QPushButton(add_text)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self._layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add)

    def add_row(self) -> RowWidget:
        row = self._make_row()
        row.edited.connect(self.edited)
        row.remove_requested.connect(self._on_remove)
        self._layout.insertWidget(len(self.rows), row)
        before = self.rows[-1].fields()[-1] if self.rows else focusable_before(self)
        self.rows.append(row)
        place_in_tab_order(before, row.fields(), self.add_button)
        return row

    def clear(self) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        for row in self.rows:
            row.set_read_only(read_only)

    def _on_add(self) -> None:
        row = self.add_row()
        focus = row.findChild(QLineEdit) or row.findChild(QPlainTextEdit)
        if focus is not None:
            focus.setFocus()
        self.edited.emit()

    def _on_remove(self, row: RowWidget) -> None:
        self.rows.remove(row)
        row.deleteLater()
        self.edited.emit()
