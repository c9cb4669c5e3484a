"""Encrypting a plain database from the previous version, from the window (administrators).

Offered when an administrator opens such a file, and in «Hệ thống › Mã hóa dữ
liệu…». The file is closed while it is encrypted (the office lock stays held)
and opened again, signed in as the same administrator; the new recovery code is
shown once with its printable sheet.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from gocong_desktop.core.db.access import Role
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.maintenance.encrypt_file import EncryptResult
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.storage.lock import acquire_lock
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.documents.recovery_sheet import office_label
from gocong_desktop.core.services.accounts import authenticate, list_accounts, sign_in, sign_in_unlocked
from gocong_desktop.core.maintenance.encryption import encrypt_office_file
from gocong_desktop.core.services.office import get_office
from gocong_desktop.gui.widgets.form_parts import ok_cancel_buttons, password_edit
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.form_errors import RefusalLine
from gocong_desktop.gui.security.recovery_code_dialog import show_recovery_code
from gocong_desktop.gui.widgets.setup_widgets import note_label
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui import message_box

OFFER = ("Dữ liệu này được tạo bởi phiên bản trước và chưa được mã hóa: ai chép được tệp "
         "hoặc bản sao lưu đều đọc được thông tin của các hộ. Nên mã hóa ngay.")


def can_encrypt(db: Database) -> bool:
    """A plain file (never a server's database: the server's accounts guard it), and an
    administrator signed in."""
    return db.path is not None and db.vault is None and db.user is not None and db.user.role == Role.ADMIN and not is_encrypted(db.path)


class EncryptDialog(FittedDialog):
    """What happens, the administrator's password again, then the work."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.password_text = db, ""
        self.setWindowTitle("Mã hóa dữ liệu")
        with db.session() as s:
            others = [a.username for a in list_accounts(s) if a.active and a.username != db.user.username]
        layout = QVBoxLayout(self)
        lines = [OFFER, "Sau khi mã hóa:",
                 "• chỉ mật khẩu của một tài khoản, hoặc mã khôi phục của quản trị viên, mở được dữ liệu "
                 "và các bản sao lưu;",
                 "• chương trình đưa một <b>mã khôi phục mới</b>: hãy in phiếu và cất giữ cẩn thận;",
                 "• các bản sao lưu chưa mã hóa do chương trình tạo sẽ được xóa (đã có bản sao lưu mã hóa "
                 "thay thế);",
                 "• <b>mất hết mật khẩu và mã khôi phục thì không ai mở được dữ liệu</b>, kể cả người làm "
                 "ra chương trình."]
        if others:
            lines.append("• các tài khoản " + ", ".join(f"«{u}»" for u in others) + " cần được quản trị viên "
                         "đặt lại mật khẩu rồi mới đăng nhập được.")
        layout.addWidget(note_label("<br>".join(lines), style=""))
        layout.addWidget(note_label(f"Nhập lại mật khẩu của bạn ({db.user.username}) để bắt đầu:", style=""))
        self.password = password_edit()
        layout.addWidget(self.password)
        self.error = RefusalLine()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "Mã hóa dữ liệu", self._check, "Để sau"))
        self.password.setFocus()
        self.resize(36 * self.fontMetrics().height(), self.sizeHint().height())

    def _check(self) -> None:
        try:
            with self.db.session() as session:
                authenticate(session, self.db.user.username, self.password.text())
        except UserError as exc:
            self.error.refuse(exc.message, self.password)
            return
        self.password_text = self.password.text()
        self.accept()


def offer_encryption(db: Database, parent: QWidget | None = None) -> Database:
    """Ask once, when an administrator opens a plain file; returns the database to go on with."""
    if not can_encrypt(db):
        return db
    box = message_box.plain_box(QMessageBox.Icon.Warning, "Dữ liệu chưa được mã hóa", OFFER, parent=parent)
    now = box.addButton("Mã hóa ngay…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Để sau", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)
    box.exec()
    return encrypt_open_database(db, parent) if box.clickedButton() is now else db


def encrypt_open_database(db: Database, parent: QWidget | None = None, *,
                          before_close: Callable[[], None] | None = None) -> Database:
    """Run the dialog, encrypt, and return the database open again (the same one if not
    done). ``before_close``: the window's own closing work, once the person has confirmed."""
    dialog = EncryptDialog(db, parent)
    if not dialog.exec():
        return db
    if before_close is not None:
        before_close()
    path, username, password = db.path, db.user.username, dialog.password_text
    with db.session() as s:
        office = get_office(s)
    lock = acquire_lock(path)  # held across closing and reopening: nobody else gets in between
    db.close()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = encrypt_office_file(path, username, password)
    except Exception as exc:
        QGuiApplication.restoreOverrideCursor()
        show_error(parent, exc, title="Chưa mã hóa được")
        again = open_database(path)
        sign_in(again, username, password)
        again.call_on_close(lock.release)
        return again
    QGuiApplication.restoreOverrideCursor()
    again = open_database(path)
    sign_in_unlocked(again, username)
    again.call_on_close(lock.release)
    _tell(result, parent, office_label(office.unit_type, office.unit_name), username)
    return again


def _tell(result: EncryptResult, parent: QWidget | None, office_name: str, username: str) -> None:
    lines = [f"Đã mã hóa dữ liệu. Bản sao lưu đã mã hóa: «{result.backup}».",
             f"Đã xóa {len(result.removed)} bản sao chưa mã hóa do chương trình tạo."]
    if result.not_removed:
        lines.append("Chưa xóa được (hãy tự xóa khi có thể):")
        lines += [f"• {path}: {why}" for path, why in result.not_removed]
    if result.need_password:
        lines.append("Hãy đặt lại mật khẩu cho: " + ", ".join(result.need_password)
                     + " (Hệ thống › Tài khoản người dùng).")
    message_box.information(parent, "Đã mã hóa dữ liệu", "\n".join(lines))
    show_recovery_code(parent, username, result.recovery_code, office_name=office_name, data_file=result.path)
