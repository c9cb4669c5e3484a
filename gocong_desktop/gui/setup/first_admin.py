"""The first administrator: a page of the set-up wizard, and a dialog for a
database made before accounts existed (it asks once, when the file is opened)."""

from __future__ import annotations

from PySide6.QtWidgets import (QFormLayout, QLineEdit, QVBoxLayout, QWidget,
                               QWizardPage)

from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.setup.office import FirstAdmin
from gocong_desktop.core.services.accounts import MIN_PASSWORD, check_new_account, create_first_admin, suggest_username
from gocong_desktop.gui.widgets.form_parts import ok_cancel_buttons, password_edit
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.security.recovery_code_dialog import show_recovery_code
from gocong_desktop.gui.widgets.setup_widgets import FieldNotes, PageId, note_label
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

INTRO = ("Người quản trị quản lý tài khoản của cán bộ và các cài đặt. Mỗi người dùng máy nên có "
         "tài khoản riêng; quản trị viên tạo thêm sau, trong «Hệ thống › Tài khoản».")


class AdminForm(QWidget):
    """Name, user name (suggested from the name), password twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes = FieldNotes()
        self.display_name = QLineEdit(placeholderText="ví dụ: Nguyễn Văn An")
        self.username = QLineEdit(placeholderText="chữ không dấu, ví dụ: nguyenvanan")
        self.password, self.confirm = password_edit(), password_edit()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.notes.add_row(form, "Họ và tên:", self.display_name, "display_name")
        self.notes.add_row(form, "Tên đăng nhập:", self.username, "username")
        self.notes.add_row(form, "Mật khẩu:", self.password, "password",
                           hint=f"Ít nhất {MIN_PASSWORD} ký tự. Nên dùng một câu ngắn dễ nhớ.")
        self.notes.add_row(form, "Nhập lại mật khẩu:", self.confirm, "confirm")
        self._suggested = ""
        self.display_name.textChanged.connect(self._suggest)

    def _suggest(self, name: str) -> None:
        # Follow the name until the person types a user name of their own.
        if self.username.text() in ("", self._suggested):
            self._suggested = suggest_username(name)
            self.username.setText(self._suggested)

    def admin(self) -> FirstAdmin:
        return FirstAdmin(username=self.username.text(), display_name=self.display_name.text(),
                          password=self.password.text(), confirm=self.confirm.text())

    def check(self) -> bool:
        """Show what is wrong beside its field; True when the form is fine."""
        a = self.admin()
        try:
            check_new_account(a.username, a.display_name, a.password, a.confirm)
        except UserError as exc:
            return self.notes.show_all({exc.field or "display_name": exc.message})
        return self.notes.show_all({})


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Tài khoản quản trị")
        self.setSubTitle("Người quản trị đăng nhập để dùng chương trình và tạo tài khoản cho người khác.")
        self.form = AdminForm()
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(INTRO))
        layout.addWidget(self.form)
        layout.addStretch(1)

    def nextId(self) -> int:
        return PageId.STORAGE

    def validatePage(self) -> bool:
        return self.form.check()


class FirstAdminDialog(FittedDialog):
    """For a database with no account: make the administrator, show the code once."""

    def __init__(self, db: Database, office_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.office_name = db, office_name
        self.setWindowTitle("Tạo tài khoản quản trị")
        self.form = AdminForm()
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(f"Dữ liệu của {office_name} chưa có tài khoản nào: hãy tạo tài khoản "
                                    "quản trị đầu tiên.", style=""))
        layout.addWidget(note_label(INTRO))
        layout.addWidget(self.form)
        layout.addWidget(ok_cancel_buttons(self, "Tạo tài khoản", self._create, "Thoát"))
        self.resize(32 * self.fontMetrics().height(), self.sizeHint().height())

    def _create(self) -> None:
        if not self.form.check():
            return
        a = self.form.admin()
        try:
            with self.db.session() as session:
                code = create_first_admin(session, username=a.username, display_name=a.display_name,
                                          password=a.password, confirm=a.confirm)
        except UserError as exc:
            if exc.field in self.form.notes.labels:
                self.form.notes.show_all({exc.field: exc.message})
            else:
                show_error(self, exc)
            return
        show_recovery_code(self, a.username, code, office_name=self.office_name, data_file=self.db.path)
        self.username = a.username
        self.accept()
