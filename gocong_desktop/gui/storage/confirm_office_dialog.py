"""Restoring another office's backup: an administrator types that office's name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from gocong_desktop.core.maintenance.restore_checks import OtherOfficeBackup
from gocong_desktop.gui.widgets.screen_fit import FittedDialog


class ConfirmOfficeDialog(FittedDialog):
    """Says whose backup it is; "Khôi phục" is enabled once that office's name is
    typed (any case, with or without marks). ``typed`` is what was typed."""

    def __init__(self, refusal: OtherOfficeBackup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refusal = refusal
        self.setWindowTitle("Bản sao lưu của đơn vị khác")
        note = QLabel(f"{refusal.reason}\n\nChỉ khi chắc chắn muốn dùng dữ liệu của {refusal.office_name}, hãy gõ "
                      "tên đơn vị này để xác nhận:")
        note.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(refusal.office_name)
        buttons = QDialogButtonBox(self)  # in the dialog before setDefault (form_parts.make_default)
        self.restore_button = buttons.addButton("Khôi phục", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(False)
        self.cancel_button.setDefault(True)
        self.name_edit.textChanged.connect(self._on_typed)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (note, self.name_edit, buttons):
            layout.addWidget(widget)
        self.resize(560, 220)

    @property
    def typed(self) -> str:
        return self.name_edit.text()

    def _on_typed(self, text: str) -> None:
        self.restore_button.setEnabled(self.refusal.confirmed_by(text))
