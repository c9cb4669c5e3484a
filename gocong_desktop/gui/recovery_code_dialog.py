"""Showing a recovery code, once: large, copyable, and not dismissed by accident."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

EXPLANATION = ("Đây là <b>mã khôi phục</b> của tài khoản quản trị <b>{username}</b>. Khi quên mật khẩu, "
               "chỉ mã này mới đặt lại được mật khẩu. Mã chỉ hiện <b>một lần</b>: hãy chép ra giấy "
               "và cất nơi an toàn (tủ hồ sơ có khóa), không lưu trên máy này.")


class RecoveryCodeDialog(QDialog):
    """«Đóng» is enabled only after the user confirms they wrote the code down."""

    def __init__(self, username: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mã khôi phục — chỉ hiện một lần")
        self.code = code
        layout = QVBoxLayout(self)
        text = QLabel(EXPLANATION.format(username=username))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.code_label = QLabel(code)
        font = QFont("Liberation Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.6)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setStyleSheet("padding: 12px; border: 1px solid palette(mid);")
        layout.addWidget(self.code_label)
        row = QHBoxLayout()
        copy = QPushButton("Sao chép mã")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        row.addWidget(copy)
        row.addStretch(1)
        layout.addLayout(row)
        self.confirmed = QCheckBox("Tôi đã chép mã khôi phục ra giấy và cất giữ cẩn thận")
        layout.addWidget(self.confirmed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button.setText("Đóng")
        self.close_button.setEnabled(False)
        self.confirmed.toggled.connect(self.close_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), 30 * self.fontMetrics().height()), self.sizeHint().height())

    def reject(self) -> None:  # Esc or the title bar's ×: only once the code is written down
        if self.confirmed.isChecked():
            super().reject()


def show_recovery_code(parent: QWidget | None, username: str, code: str) -> None:
    RecoveryCodeDialog(username, code, parent).exec()
