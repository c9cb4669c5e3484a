"""Showing a recovery code, once: large, copyable, printable as a one-page
recovery sheet, and not dismissed by accident."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QLabel, QPushButton, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError, os_reason
from gocong_desktop.core.documents.recovery_sheet import recovery_sheet_file_name, write_recovery_sheet
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui.widgets.form_parts import make_default

if TYPE_CHECKING:  # the preview (pypdfium2) is imported when a sheet is made, not with every sign-in box
    from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog

EXPLANATION = ("Đây là <b>mã khôi phục</b> của tài khoản quản trị <b>{username}</b>. Dữ liệu được mã hóa: "
               "khi quên hết mật khẩu, chỉ mã này mở được dữ liệu và đặt mật khẩu quản trị mới.")
ONLY_ONCE = ("Mã <b>chỉ hiện một lần này</b>; chương trình không lưu lại nên không xem lại được. Hãy in "
             "phiếu khôi phục (hoặc chép mã ra giấy) và cất trong tủ có khóa, không để cạnh máy. "
             "<b>Mất cả mật khẩu lẫn mã này thì không ai mở được dữ liệu nữa.</b>")
SAVED = ("Đã lưu phiếu vào «{path}». In phiếu ra giấy (nút «In…» khi xem trước), rồi xóa tệp này: "
         "ai có tệp là có mã.")
PRINT_TEXT = "In phiếu khôi phục (PDF)…"


def _code_font(base: QFont) -> QFont:
    font = QFont("Liberation Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(base.pointSizeF() * 1.6)
    font.setBold(True)
    return font


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class RecoveryCodeDialog(FittedDialog):
    """«Đóng» is enabled only after the user confirms they wrote the code down
    or printed it. Without ``office_name`` there is no sheet to print."""

    def __init__(self, username: str, code: str, parent: QWidget | None = None, *,
                 office_name: str | None = None, data_file: Path | str | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mã khôi phục — chỉ hiện một lần")
        self.username, self.code, self.office_name, self.data_file = username, code, office_name, data_file
        self.settings = settings
        self.sheet_path: Path | None = None
        self.preview: PdfPreviewDialog | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(EXPLANATION.format(username=username)))
        layout.addWidget(self._code_label())
        layout.addWidget(_wrapped(ONLY_ONCE))
        layout.addLayout(self._actions())
        self.saved = _wrapped("")
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved.hide()
        layout.addWidget(self.saved)
        self.confirmed = QCheckBox("Tôi đã in phiếu hoặc chép mã ra giấy, và sẽ cất giữ cẩn thận")
        layout.addWidget(self.confirmed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        make_default(self.close_button, "Đóng")  # Enter closes, once the box is ticked; never prints again
        self.close_button.setEnabled(False)
        self.confirmed.toggled.connect(self.close_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), 34 * self.fontMetrics().height()), self.sizeHint().height())

    def _code_label(self) -> QLabel:
        label = QLabel(self.code)
        label.setFont(_code_font(self.font()))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("padding: 12px; border: 1px solid palette(mid);")
        self.code_label = label
        return label

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        copy = QPushButton("Sao chép mã")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.code))
        row.addWidget(copy)
        self.print_button = QPushButton(PRINT_TEXT)
        self.print_button.setToolTip("Một trang A4: tên đơn vị, ngày giờ, mã, và cách cất giữ.")
        self.print_button.clicked.connect(self.print_sheet)
        self.print_button.setVisible(self.office_name is not None)
        row.addWidget(self.print_button)
        self.delete_button = QPushButton("Xóa tệp phiếu")
        self.delete_button.setToolTip("Sau khi in: tệp PDF chứa mã khôi phục, không nên để lại trên máy.")
        self.delete_button.clicked.connect(self.delete_sheet)
        self.delete_button.hide()
        row.addWidget(self.delete_button)
        for button in (copy, self.print_button, self.delete_button):
            button.setAutoDefault(False)  # Enter is «Đóng»'s alone, focused or not (Space presses these)
        row.addStretch(1)
        return row

    # ---- the sheet --------------------------------------------------------
    def print_sheet(self) -> None:
        """Ask where to save the sheet, write it, and show it with «In…»."""
        made_at = datetime.now()
        name = recovery_sheet_file_name(self.office_name or "", made_at)
        chosen, _ = QFileDialog.getSaveFileName(self, "Lưu phiếu mã khôi phục", str(Path.home() / name),
                                                "Tệp PDF (*.pdf)")
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_recovery_sheet(path, office_name=self.office_name or "", code=self.code, username=self.username,
                                 made_at=made_at, data_file=self.data_file)
        except UserError as exc:
            show_error(self, exc)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._saved(path)
        from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog

        self.preview = PdfPreviewDialog(path, title="Phiếu mã khôi phục", file_name=path.name,
                                        settings=self.settings or QSettings(), parent=self)
        self.preview.open()

    def _saved(self, path: Path) -> None:
        self.sheet_path = path
        self.saved.setText(SAVED.format(path=path))
        self.saved.show()
        self.delete_button.show()

    def delete_sheet(self) -> None:
        if self.sheet_path is None:
            return
        try:
            self.sheet_path.unlink(missing_ok=True)
        except OSError as exc:
            show_error(self, UserError(f"Không xóa được tệp «{self.sheet_path}» ({os_reason(exc)}). "
                                       "Hãy đóng chương trình đang mở tệp rồi xóa tệp bằng tay."))
            return
        self.saved.setText(f"Đã xóa tệp «{self.sheet_path}».")
        self.delete_button.hide()
        self.sheet_path = None

    def reject(self) -> None:  # Esc or the title bar's ×: only once the code is written down
        if self.confirmed.isChecked():
            super().reject()


def show_recovery_code(parent: QWidget | None, username: str, code: str, *, office_name: str | None = None,
                       data_file: Path | str | None = None, settings: QSettings | None = None) -> None:
    RecoveryCodeDialog(username, code, parent, office_name=office_name, data_file=data_file,
                       settings=settings).exec()
