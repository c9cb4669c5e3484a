"""Tài khoản người dùng (administrators): add, edit, reset a password, a new
recovery code; and «Đổi mật khẩu» for whoever is signed in.

Every change goes through ``ctx.write``; a message about one field appears
under that field and the form stays open to be corrected."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from gocong_desktop.core.db.access import ACCOUNT_ROLES, ROLE_LABELS, Role
from gocong_desktop.core.errors import PermissionDeniedError, UserError
from gocong_desktop.core.documents.recovery_sheet import office_label
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.accounts import MIN_PASSWORD, AccountRow
from gocong_desktop.core.services.office import get_office
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import WriteDialog, confirm, password_edit, select_data
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.security.recovery_code_dialog import show_recovery_code
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table, select_row, selected_row
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

ACTIVE, LOCKED = "Đang dùng", "Đã khóa"
NEEDS_PASSWORD = "Cần đặt lại mật khẩu"  # an encrypted file's account with no key slot yet
COLUMNS = [
    Column[AccountRow]("Tên đăng nhập", lambda r: r.username, sample="nguyen.van.an"),
    Column[AccountRow]("Họ và tên", lambda r: r.display_name, sample="Nguyễn Thị Thanh Hương"),
    Column[AccountRow]("Vai trò", lambda r: r.role_label, sample="Cán bộ nhập liệu"),
    Column[AccountRow]("Trạng thái", lambda r: (NEEDS_PASSWORD if r.needs_password else ACTIVE) if r.active
                       else LOCKED),
]
PASSWORD_HINT = f"Ít nhất {MIN_PASSWORD} ký tự."


def _password_edit() -> QLineEdit:
    return password_edit(PASSWORD_HINT)


def _role_combo() -> QComboBox:
    combo = fold_search(QComboBox())
    for role in ACCOUNT_ROLES:
        combo.addItem(ROLE_LABELS[role], role.value)
    return combo


def _finish(dialog: WriteDialog, layout: QVBoxLayout, ok_text: str) -> None:
    layout.addWidget(dialog.make_buttons(ok_text))
    dialog.wire_buttons()
    dialog.resize(max(460, dialog.sizeHint().width()), dialog.sizeHint().height())


# ---- the forms -------------------------------------------------------------

class AddAccountDialog(WriteDialog):
    """A new account; ``result_value`` is its id."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Thêm tài khoản", parent)
        self.username = QLineEdit(placeholderText="ví dụ nguyen.van.a")
        self.display_name = QLineEdit()
        self.role = _role_combo()
        select_data(self.role, Role.CLERK.value)
        self.password, self.confirm = _password_edit(), _password_edit()
        form = QFormLayout()
        for label, widget, field in [("Tên đăng nhập *", self.username, "username"),
                                     ("Họ và tên *", self.display_name, "display_name"),
                                     ("Vai trò", self.role, "role"),
                                     ("Mật khẩu *", self.password, "password"),
                                     ("Nhập lại mật khẩu *", self.confirm, "confirm")]:
            self.errors.add_row(form, label, widget, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        hint = QLabel("Tên đăng nhập viết liền, không dấu. Người dùng nên đổi mật khẩu sau lần đăng nhập đầu "
                      "(menu «Đổi mật khẩu»).")
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        _finish(self, layout, "Thêm")

    def submit(self) -> None:
        self.write(accounts.add_account, username=self.username.text(),
                   display_name=self.display_name.text(), role=self.role.currentData(),
                   password=self.password.text(), confirm=self.confirm.text())


class EditAccountDialog(WriteDialog):
    """Name, role, and whether the account may sign in."""

    def __init__(self, ctx: AppContext, row: AccountRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Sửa tài khoản «{row.username}»", parent)
        self.row = row
        self.display_name = QLineEdit(row.display_name)
        self.role = _role_combo()
        select_data(self.role, row.role.value)
        self.active = QCheckBox("Cho phép đăng nhập")
        self.active.setChecked(row.active)
        form = QFormLayout()
        form.addRow("Tên đăng nhập", QLabel(f"<b>{row.username}</b>"))
        self.errors.add_row(form, "Họ và tên *", self.display_name, "display_name")
        self.errors.add_row(form, "Vai trò", self.role, "role")
        self.errors.add_row(form, "", self.active, "active")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if row.role == Role.ADMIN:
            hint = QLabel("Bỏ quyền quản trị thì mã khôi phục của tài khoản này hết hiệu lực.")
            hint.setStyleSheet("color: #555;")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        _finish(self, layout, "Lưu")

    def submit(self) -> None:
        self.write(accounts.update_account, self.row.id, display_name=self.display_name.text(),
                   role=self.role.currentData(), active=self.active.isChecked())


class ResetPasswordDialog(WriteDialog):
    """An administrator sets a new password for someone who forgot theirs."""

    def __init__(self, ctx: AppContext, row: AccountRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Đặt lại mật khẩu", parent)
        self.row = row
        self.password, self.confirm = _password_edit(), _password_edit()
        form = QFormLayout()
        form.addRow("Tài khoản", QLabel(f"<b>{row.username}</b> — {row.display_name}"))
        self.errors.add_row(form, "Mật khẩu mới *", self.password, "password")
        self.errors.add_row(form, "Nhập lại mật khẩu *", self.confirm, "confirm")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        hint = QLabel("Hãy báo mật khẩu mới cho người dùng và nhắc họ tự đổi lại sau khi đăng nhập.")
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        _finish(self, layout, "Đặt lại")

    def submit(self) -> None:
        self.write(accounts.reset_password, self.row.id, self.password.text(), self.confirm.text())


class ChangePasswordDialog(WriteDialog):
    """The signed-in person changes their own password, knowing the current one."""

    changes_data = False  # viewers too

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Đổi mật khẩu", parent)
        self.username = username
        self.old_password, self.password, self.confirm = QLineEdit(), _password_edit(), _password_edit()
        self.old_password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Tài khoản", QLabel(f"<b>{username}</b>"))
        self.errors.add_row(form, "Mật khẩu hiện tại *", self.old_password, "old_password")
        self.errors.add_row(form, "Mật khẩu mới *", self.password, "password")
        self.errors.add_row(form, "Nhập lại mật khẩu mới *", self.confirm, "confirm")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        _finish(self, layout, "Đổi mật khẩu")

    def submit(self) -> None:
        self.write(accounts.change_own_password, self.username, self.old_password.text(),
                   self.password.text(), self.confirm.text())

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDeniedError) and exc.field is None:  # the current password is wrong
            exc = PermissionDeniedError(exc.message, field="old_password")
        super().show_error(exc)


# ---- the list --------------------------------------------------------------

class AccountsDialog(FittedDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog | None = None  # the open form, if any (tests reach it here)
        self.setWindowTitle("Tài khoản người dùng")
        self._build()
        self._wire()
        self.refresh()
        self.resize(max(720, self.sizeHint().width()), 420)
        assign_mnemonics(self)  # Alt+letters, once every button exists

    def _build(self) -> None:
        self.model = RowsTableModel(COLUMNS, dim=lambda r: not r.active, parent=self)
        self.table = make_table(self.model)
        self.add_button = QPushButton("Thêm…")
        self.edit_button = QPushButton("Sửa…")
        self.reset_button = QPushButton("Đặt lại mật khẩu…")
        self.recovery_button = QPushButton("Tạo mã khôi phục mới…")
        self.recovery_button.setToolTip("Chỉ tài khoản quản trị mới có mã khôi phục.")
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button, self.recovery_button):
            row.addWidget(button)
        row.addStretch(1)
        note = QLabel("Quản trị viên quản lý tài khoản và cài đặt; cán bộ nhập liệu thêm và sửa dữ liệu; "
                      "người xem chỉ xem và in. Tài khoản «Đã khóa» không đăng nhập được.")
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.recovery_button.clicked.connect(self.new_recovery_code)
        self.table.doubleClicked.connect(lambda _index: self.edit_account())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.buttons.rejected.connect(self.reject)

    def refresh(self, select_id: str | None = None) -> None:
        current = select_id or getattr(self.current(), "id", None)
        self.model.set_rows(self.ctx.read(accounts.list_accounts))
        select_row(self.table, current)
        self._update_buttons()

    def current(self) -> AccountRow | None:
        return selected_row(self.table)

    def _update_buttons(self) -> None:
        row = self.current()
        self.edit_button.setEnabled(row is not None)
        self.reset_button.setEnabled(row is not None)
        self.recovery_button.setEnabled(row is not None and row.role == Role.ADMIN and row.active)

    # ---- actions ----------------------------------------------------------
    def add_account(self) -> None:
        dialog = AddAccountDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.refresh(dialog.result_value))
        self._open(dialog)

    def edit_account(self) -> None:
        if (row := self.current()) is not None:
            self._open(EditAccountDialog(self.ctx, row, self))

    def reset_password(self) -> None:
        if (row := self.current()) is not None:
            self._open(ResetPasswordDialog(self.ctx, row, self))

    def new_recovery_code(self) -> None:
        row = self.current()
        if row is None or row.role != Role.ADMIN:
            return
        if not confirm(self, "Tạo mã khôi phục mới",
                       f"Tạo mã khôi phục mới cho «{row.username}»? Mã cũ sẽ không dùng được nữa.",
                       "Tạo mã mới"):
            return
        self.ctx.write(accounts.regenerate_recovery_code, row.id, parent=self,
                       on_done=lambda code: self._show_code(row.username, code),
                       on_error=lambda exc: show_error(self, exc))

    def _show_code(self, username: str, code: str) -> None:
        office = self.ctx.read(get_office)
        show_recovery_code(self, username, code, office_name=office_label(office.unit_type, office.unit_name),
                           data_file=self.ctx.db.path or self.ctx.db.place,
                           settings=self.ctx.settings)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.refresh())
        dialog.open()  # window-modal, without a nested event loop


def show_accounts(ctx: AppContext, parent: QWidget | None = None) -> None:
    """«Tài khoản người dùng» (administrators; others get the refusal message)."""
    try:
        dialog = AccountsDialog(ctx, parent)
    except UserError as exc:
        show_error(parent, exc)
        return
    dialog.exec()


def show_change_password(ctx: AppContext, parent: QWidget | None = None) -> None:
    """«Đổi mật khẩu» for the signed-in person."""
    user = ctx.db.user
    if user is None:
        show_error(parent, UserError("Hãy đăng nhập trước khi đổi mật khẩu."))
        return
    ChangePasswordDialog(ctx, user.username, parent).exec()
