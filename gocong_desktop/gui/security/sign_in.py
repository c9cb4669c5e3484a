"""Signing in when a database opens, and recovering a forgotten administrator
password with the recovery code."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.vault import WRONG_PASSWORD
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.account_names import normal_username
from gocong_desktop.core.services.unlocking import public_hint, unlock_with_code, unlock_with_password
from gocong_desktop.gui.widgets.form_parts import ok_cancel_buttons, password_edit
from gocong_desktop.gui.widgets.form_errors import RefusalLine
from gocong_desktop.gui.widgets.setup_widgets import FieldNotes, note_label
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

if TYPE_CHECKING:  # the box of an encrypted file shows before the database layer loads (gui/launch.py)
    from gocong_desktop.core.db.access import Principal
    from gocong_desktop.core.db.engine import Database


LAST_USER = "last_user"  # QSettings group: per database, the user name its sign-in box starts with


def _user_key(path: Path | str) -> str:
    """A settings key per database (a file's full path, or a server's address without
    its password: ``Database.where``), hashed: no slashes in keys."""
    resolved = str(Path(path).expanduser().resolve()) if isinstance(path, Path) else str(path)
    return f"{LAST_USER}/{hashlib.sha256(resolved.encode('utf-8')).hexdigest()[:24]}"


def database_key(db: Database) -> Path | str:
    """What names ``db`` for ``last_user``: its file, or its server's address."""
    return db.path if db.path is not None else db.where


def where_line(db: Database) -> str:
    """Where the data is, as rich text (a server's address may hold "&")."""
    where = f"Tệp dữ liệu: {db.path}" if db.path is not None else f"Dữ liệu: {db.place}"
    return html.escape(where)


def last_user(settings: QSettings, path: Path | str) -> str:
    """The user name last signed in to this database on this PC ("" if none):
    never a name from another office's file."""
    return str(settings.value(_user_key(path), "") or "")


def remember_user(settings: QSettings, path: Path | str, username: str) -> None:
    settings.setValue(_user_key(path), username)


class SignInDialog(FittedDialog):
    """User name and password; ``principal`` is set when accepted (and ``db.user``).

    With ``db`` None it signs in to the encrypted file at ``path`` before it is
    opened: the password unlocks the file, and ``unlocked_as`` is the user name."""

    def __init__(self, db: Database | None, office_name: str = "", *, username: str = "",
                 path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.path = db, Path(path) if db is None else db.path  # None: a server's database
        self.principal: Principal | None = None
        self.unlocked_as: str | None = None
        self.setWindowTitle(f"Đăng nhập – {office_name or (self.path.name if self.path else '')}")
        layout = QVBoxLayout(self)
        if db is None:
            layout.addWidget(note_label(f"<b>Dữ liệu đã mã hóa</b><br>Tệp dữ liệu: {self.path}<br>"
                                        "Chỉ mật khẩu của một tài khoản (hoặc mã khôi phục của quản trị viên) "
                                        "mở được tệp này.", style=""))
        else:
            layout.addWidget(note_label(f"<b>{office_name}</b><br>{where_line(db)}", style=""))
        form = QFormLayout()
        self.username = QLineEdit(username, placeholderText="tên đăng nhập")
        self.password = password_edit()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        layout.addLayout(form)
        self.error = RefusalLine()
        layout.addWidget(self.error)
        if hint := self._hint():
            hint_label = note_label(hint)
            hint_label.setTextFormat(Qt.TextFormat.PlainText)  # read before the file is unlocked: never markup
            layout.addWidget(hint_label)
        self.forgot = QPushButton("Quên mật khẩu quản trị…")
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(self._recover)
        layout.addWidget(self.forgot, alignment=Qt.AlignmentFlag.AlignLeft)
        buttons = ok_cancel_buttons(self, "Đăng nhập", self._sign_in, "Thoát")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()
        self.resize(30 * self.fontMetrics().height(), self.sizeHint().height())

    def _hint(self) -> str | None:
        if self.db is None:
            return public_hint(self.path)
        from gocong_desktop.core.demo.accounts import sign_in_hint  # core.demo builds demos: heavy

        with self.db.session() as session:
            return sign_in_hint(session)

    def _sign_in(self) -> None:
        try:
            if self.db is None:
                self.unlocked_as = unlock_with_password(self.path, self.username.text(), self.password.text())
            else:
                from gocong_desktop.core.services.accounts import authenticate

                with self.db.session() as session:
                    principal = authenticate(session, self.username.text(), self.password.text())
                self.db.user = self.principal = principal
        except UserError as exc:
            self.error.refuse(exc.message, self.password)
            self.password.setFocus()
            return
        self.accept()

    def _recover(self) -> None:
        dialog = RecoverDialog(self.db, self.username.text(), self, path=self.path)
        if dialog.exec():
            self.username.setText(dialog.username.text())
            self.error.hide()
            self.password.setFocus()


class RecoverDialog(FittedDialog):
    """User name, recovery code, new password twice; shows the next code once."""

    def __init__(self, db: Database | None, username: str = "", parent: QWidget | None = None, *,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.db, self.path = db, Path(path) if db is None else db.path  # None: a server's database
        self.office_name: str | None = None
        self.setWindowTitle("Khôi phục mật khẩu quản trị")
        self.notes = FieldNotes()
        self.username = QLineEdit(username)
        self.code = QLineEdit(placeholderText="XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new_password, self.confirm = password_edit(), password_edit()
        layout = QVBoxLayout(self)
        layout.addWidget(note_label("Nhập mã khôi phục được in ra lúc thiết lập tài khoản quản trị. Mã cũ "
                                    "hết hiệu lực sau khi dùng; chương trình sẽ đưa mã mới.", style=""))
        form = QFormLayout()
        self.notes.add_row(form, "Tên đăng nhập:", self.username, "username")
        self.notes.add_row(form, "Mã khôi phục:", self.code, "code")
        self.notes.add_row(form, "Mật khẩu mới:", self.new_password, "password")
        self.notes.add_row(form, "Nhập lại mật khẩu:", self.confirm, "confirm")
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self, "Đặt mật khẩu mới", self._recover))
        (self.code if username else self.username).setFocus()
        self.resize(32 * self.fontMetrics().height(), self.sizeHint().height())

    def _recover(self) -> None:
        from gocong_desktop.gui.security.recovery_code_dialog import show_recovery_code

        try:
            code = self._set_password()
        except UserError as exc:
            self.notes.show_all({exc.field if exc.field in self.notes.labels else "code": exc.message})
            return
        show_recovery_code(self, normal_username(self.username.text()), code, office_name=self.office_name,
                           data_file=self.path or self.db.place)
        self.accept()

    def _set_password(self) -> str:
        """The new password set with the code; returns the next code. On an encrypted
        file not yet open, the code unlocks it first (the caller then opens it)."""
        from gocong_desktop.core.db.engine import open_database
        from gocong_desktop.core.services.accounts import check_password

        if self.db is not None:
            return self._recover_in(self.db)
        check_password(self.new_password.text(), self.confirm.text())  # no try spent on a mistyped password
        unlock_with_code(self.path, self.username.text(), self.code.text())
        db = open_database(self.path)
        try:
            return self._recover_in(db)
        finally:
            db.close()

    def _recover_in(self, db: Database) -> str:
        from gocong_desktop.core.services.accounts import recover_with_code
        from gocong_desktop.core.services.office import find_office

        with db.session() as session:
            code = recover_with_code(session, self.username.text(), self.code.text(),
                                     self.new_password.text(), self.confirm.text())
            office = find_office(session)
        self.office_name = office.display_name if office else None  # for the printed sheet
        return code


class UnlockDialog(FittedDialog):
    """The window locked itself: the same person's password opens it again, or
    the person at the desk signs them out to sign in as themself (``SWITCH``)."""

    SWITCH = 2  # done() code: sign the locked person out

    def __init__(self, db: Database, principal: Principal, minutes: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.principal = db, principal
        self.setWindowTitle("Đã khóa màn hình")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        why = (f"Chương trình đã khóa vì không dùng {minutes} phút." if minutes
               else "Chương trình đang khóa.")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{why}<br>Nhập mật khẩu của <b>{html.escape(principal.display_name)}</b> "
                                f"({html.escape(principal.username)}) để tiếp tục. Công việc đang làm dở vẫn được "
                                "giữ.", wordWrap=True))
        self.password = password_edit()
        layout.addWidget(self.password)
        self.error = RefusalLine()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "Mở khóa", self._unlock, cancel_text=None))
        layout.addWidget(note_label(f"Người khác cần dùng máy? Đăng xuất {principal.display_name}: những gì "
                                    "đã lưu vẫn còn, hộp thoại đang mở dở sẽ bị đóng không lưu."))
        self.switch_button = QPushButton("Đăng xuất để người khác đăng nhập")
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(lambda: self.done(self.SWITCH))
        layout.addWidget(self.switch_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.resize(30 * self.fontMetrics().height(), self.sizeHint().height())  # the texts wrap, not too narrow
        self.password.setFocus()

    def _unlock(self) -> None:
        from gocong_desktop.core.services.accounts import authenticate

        try:
            with self.db.session() as session:
                authenticate(session, self.principal.username, self.password.text())
        except UserError as exc:
            # only the password is asked here: "user name or password" would send them looking
            wrong = exc.message == WRONG_PASSWORD
            self.error.refuse("Mật khẩu không đúng." if wrong else exc.message, self.password)
            return
        self.accept()

    def reject(self) -> None:  # Esc does not unlock
        pass
