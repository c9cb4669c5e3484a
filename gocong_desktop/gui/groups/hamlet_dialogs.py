"""Hamlet (ấp) dialogs: add one or several, rename, retire with a valid-to date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import hamlets
from gocong_desktop.core.services.hamlets import HamletRow
from gocong_desktop.core.text import format_date, nfc
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text
from gocong_desktop.gui.widgets.fold_combo import fold_search

UNIT_TYPES = ["ấp", "khu phố", "khóm"]
HINT_STYLE = "color: #555;"


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    return label


class AddHamletsDialog(WriteDialog):
    """One name per line, so a new commune's hamlets go in at once."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Thêm ấp", parent)
        self._build()
        self.wire_buttons()
        # Enter starts a new line here; Ctrl+Enter saves. The text box takes Ctrl+Enter
        # before any shortcut sees it, so it is caught on its way in.
        self.names.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if (watched is self.names and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self._on_ok()
            return True
        return super().eventFilter(watched, event)

    def _build(self) -> None:
        self.unit_type = fold_search(QComboBox())
        self.unit_type.addItems(UNIT_TYPES)
        self.names = QPlainTextEdit()
        self.names.setTabChangesFocus(True)
        self.names.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        form = QFormLayout()
        self.errors.add_row(form, "Loại khu dân cư", self.unit_type, "unit_type")
        self.errors.add_row(form, "Tên *", self.names, "name")
        form.addRow("", _hint("Mỗi dòng một tên, ví dụ «Lợi An»: thêm được nhiều ấp cùng lúc. "
                                 "Nhấn Ctrl+Enter hoặc «Thêm» để lưu."))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Thêm"))
        self.resize(420, self.sizeHint().height())

    def typed_names(self) -> list[str]:
        return [name for line in self.names.toPlainText().splitlines() if (name := nfc(line))]

    def submit(self) -> None:
        names = self.typed_names()
        if not names:
            raise ValidationError("Chưa nhập tên ấp.", field="name")
        self.write(hamlets.add_hamlets, names, unit_type=self.unit_type.currentText())


class RenameHamletDialog(WriteDialog):
    def __init__(self, ctx: AppContext, hamlet: HamletRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Đổi tên ấp", parent)
        self.hamlet = hamlet
        self._build()
        self.wire_buttons()

    def _build(self) -> None:
        self.name = QLineEdit(self.hamlet.name)
        self.name.selectAll()
        form = QFormLayout()
        form.addRow("Tên hiện tại", QLabel(self.hamlet.name))
        self.errors.add_row(form, "Tên mới *", self.name, "name")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Đổi tên"))
        self.resize(400, self.sizeHint().height())

    def submit(self) -> None:
        # The hamlet's name shows in the groups and households lists too.
        self.write(hamlets.rename_hamlet, self.hamlet.id, self.name.text())


class RetireHamletDialog(WriteDialog):
    """A hamlet that stops existing keeps its records; it just gets a valid-to date."""

    def __init__(self, ctx: AppContext, hamlet: HamletRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Cho ấp hết hiệu lực", parent)
        self.hamlet = hamlet
        self._build()
        self.wire_buttons()

    def _build(self) -> None:
        self.valid_to = QLineEdit(format_date(date.today()), placeholderText=DATE_PLACEHOLDER)
        form = QFormLayout()
        form.addRow("Ấp", QLabel(self.hamlet.name))
        self.errors.add_row(form, "Hết hiệu lực từ ngày *", self.valid_to, "valid_to")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_hint("Ấp hết hiệu lực không còn hiện trong danh sách, nhưng các biên bản, "
                               "cam kết cũ vẫn giữ tên ấp. Các tổ của ấp phải được giải thể trước."))
        layout.addWidget(self.make_buttons("Cho hết hiệu lực"))
        self.resize(440, self.sizeHint().height())

    def submit(self) -> None:
        when = date_from_text(self.valid_to.text(), field="valid_to", required=True)
        self.write(hamlets.retire_hamlet, self.hamlet.id, when)
