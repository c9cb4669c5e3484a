"""Set-up wizard, unit page: «Dùng tệp khóa dự phòng…» — the office whose PC
died set up again as the same unit (its id, names and keys from its key
backup), so that packages on their way to it stay readable and the other
offices know it as before."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QInputDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.sync.escrow import KeyBackup, open_key_backup
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.sync.key_backup_dialogs import FILTER, describe
from gocong_desktop.gui.widgets.setup_widgets import note_label

OFFER = ("Máy cũ của đơn vị bị hỏng hoặc mất, không còn bản sao lưu dữ liệu? Thiết lập lại đúng đơn vị cũ từ tệp "
         "khóa dự phòng: tên, mã đơn vị và khóa lấy từ tệp, các gói đang gửi đến vẫn đọc được.")


def ask_passphrase(parent: QWidget | None) -> str | None:
    """The key backup's passphrase, typed without echo; None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Cụm mật khẩu")
    dialog.setLabelText("Cụm mật khẩu của tệp khóa dự phòng:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText("Mở tệp")
    dialog.setCancelButtonText("Hủy")
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


class KeyBackupChoice(QWidget):
    """The button and what it chose; ``on_change(backup or None)`` fills or frees the form."""

    def __init__(self, on_change: Callable[[KeyBackup | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backup: KeyBackup | None = None
        self._on_change = on_change
        self.button = QPushButton("Dùng tệp khóa dự phòng…")
        self.note = note_label(OFFER)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.button.clicked.connect(self._clicked)

    def _clicked(self) -> None:
        if self.backup is not None:  # «Thôi, thiết lập đơn vị mới»
            self._set(None)
            return
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp khóa dự phòng", "", FILTER)
        if not path:
            return
        passphrase = ask_passphrase(self)
        if passphrase is None:
            return
        try:
            backup = open_key_backup(path, passphrase)
        except UserError as exc:
            show_error(self, exc)
            return
        self._set(backup)

    def _set(self, backup: KeyBackup | None) -> None:
        self.backup = backup
        self.button.setText("Thôi, thiết lập đơn vị mới" if backup else "Dùng tệp khóa dự phòng…")
        self.note.setText(describe(backup.info) + ". Thông tin đơn vị lấy từ tệp, không sửa được."
                          if backup else OFFER)
        self._on_change(backup)
