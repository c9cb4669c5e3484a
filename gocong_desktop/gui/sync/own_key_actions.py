"""The Sync page's buttons for this office's own key pairs: «Xuất khóa dự
phòng…», «Nhập khóa dự phòng…», «Đổi cặp khóa…» (administrators only)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from gocong_desktop.core.db.access import Role
from gocong_desktop.core.sync.escrow import KEEP_SAFE
from gocong_desktop.core.sync.key_store import KeyChange
from gocong_desktop.gui.widgets.flow import FlowLayout
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import confirm
from gocong_desktop.gui.sync.key_backup_dialogs import ExportKeyBackupDialog, ImportKeyBackupDialog, RotateKeysDialog
from gocong_desktop.gui.sync.common import show_lines


class OwnKeyActions(QWidget):
    """``save_key_card``: how the page saves the key card (offered after a rotation)."""

    def __init__(self, ctx: AppContext, role: str, save_key_card: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.role, self.save_key_card = ctx, role, save_key_card
        self.dialog: QDialog | None = None  # the open form, if any (tests reach it here)
        self.export_button = QPushButton("Xuất khóa dự phòng…")
        self.export_button.setToolTip("Tệp chứa khóa riêng của đơn vị, khóa bằng cụm mật khẩu: cất nơi an toàn "
                                      "để dùng khi máy hỏng.")
        self.import_button = QPushButton("Nhập khóa dự phòng…")
        self.import_button.setToolTip("Trên máy mới: khôi phục khóa của đơn vị từ tệp khóa dự phòng.")
        self.rotate_button = QPushButton("Đổi cặp khóa…")
        self.rotate_button.setToolTip("Cặp khóa mới cho đơn vị (khóa cũ vẫn giữ để đọc gói cũ).")
        layout = FlowLayout(self)  # wraps on a small screen
        for button in (self.export_button, self.import_button, self.rotate_button):
            layout.addWidget(button)
        if ctx.db.role() != Role.ADMIN:  # the office's identity: administrators only
            for button in (self.export_button, self.import_button, self.rotate_button):
                button.setEnabled(False)
                button.setToolTip("Chỉ quản trị viên mới được xuất, nhập hoặc đổi khóa của đơn vị.")
        self.export_button.clicked.connect(self.export_backup)
        self.import_button.clicked.connect(self.import_backup)
        self.rotate_button.clicked.connect(self.rotate)

    def export_backup(self) -> None:
        dialog = ExportKeyBackupDialog(self.ctx, self)
        dialog.accepted.connect(lambda: show_lines(self, "Đã xuất khóa dự phòng",
                                                   [f"Tệp: {dialog.result_value}", KEEP_SAFE]))
        self._open(dialog)

    def import_backup(self) -> None:
        dialog = ImportKeyBackupDialog(self.ctx, self)
        dialog.accepted.connect(lambda: show_lines(self, "Đã nhập khóa dự phòng", dialog.result_value.lines()))
        self._open(dialog)

    def rotate(self) -> None:
        dialog = RotateKeysDialog(self.ctx, self.role, self)
        dialog.accepted.connect(lambda: self._rotated(dialog.result_value))
        self._open(dialog)

    def _rotated(self, change: KeyChange) -> None:
        show_lines(self, "Đã đổi cặp khóa", change.lines())
        if confirm(self, "Lưu tệp khóa mới", f"Dấu vân tay khóa mới: {change.new_fingerprint}\n\nLưu tệp khóa mới "
                   "ngay (ví dụ vào USB) để gửi kèm phiếu đăng ký khóa mới?", "Lưu tệp khóa mới…"):
            self.save_key_card()

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop
