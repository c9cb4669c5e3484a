"""Tài khoản người dùng: an administrator adds, edits and resets accounts through
the real dialogs; messages appear next to their field and nothing is saved."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from gocong_desktop.core.db.access import Principal, Role  # noqa: E402
from gocong_desktop.core.errors import PermissionDeniedError  # noqa: E402
from gocong_desktop.core.services import accounts  # noqa: E402
from gocong_desktop.gui.security import accounts_dialog  # noqa: E402
from gocong_desktop.gui.security.accounts_dialog import AccountsDialog, AddAccountDialog, ChangePasswordDialog, EditAccountDialog, ResetPasswordDialog
from gocong_desktop.gui.widgets.rows_table import select_row  # noqa: E402
from gocong_desktop.gui import message_box
from tests.gui.typing import type_text  # noqa: E402

from tests.gui.conftest import ADMIN_PASSWORD  # noqa: E402


@pytest.fixture
def ctx(admin_ctx):
    return admin_ctx


@pytest.fixture
def dialog(ctx, qtbot):
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def _rows(ctx):
    return ctx.read(accounts.list_accounts)


def _cells(dialog: AccountsDialog, column: int) -> list[str]:
    model = dialog.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def _select(dialog: AccountsDialog, username: str) -> None:
    select_row(dialog.table, next(r.id for r in _rows(dialog.ctx) if r.username == username))


def _add_clerk(ctx, username="canbo.ha", password="matkhau-ha1") -> str:
    with ctx.db.session() as s:
        return accounts.add_account(s, username=username, display_name="Trần Thị Hà", role=Role.CLERK,
                                    password=password, confirm=password)


def _click_ok(qtbot, form) -> None:
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)


def test_lists_accounts_with_role_and_state(ctx, qtbot):
    clerk = _add_clerk(ctx)
    with ctx.db.session() as s:
        accounts.update_account(s, clerk, display_name="Trần Thị Hà", role=Role.VIEWER, active=False)
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    assert _cells(dialog, 0) == ["quantri", "canbo.ha"]
    assert _cells(dialog, 2) == ["Quản trị viên", "Người xem"]
    assert _cells(dialog, 3) == ["Đang dùng", "Đã khóa"]
    assert not dialog.edit_button.isEnabled()  # nothing chosen yet
    _select(dialog, "canbo.ha")
    assert dialog.edit_button.isEnabled() and not dialog.recovery_button.isEnabled()  # not an administrator
    _select(dialog, "quantri")
    assert dialog.recovery_button.isEnabled()


def test_add_a_clerk_who_can_then_sign_in(dialog, ctx, qtbot):
    dialog.add_account()
    form = dialog.dialog
    assert isinstance(form, AddAccountDialog) and form.isVisible()
    assert form.password.echoMode() == form.password.EchoMode.Password
    assert [form.role.itemText(i) for i in range(form.role.count())] == [
        "Quản trị viên", "Cán bộ nhập liệu", "Người xem"]
    type_text(form.username, "canbo.ha")
    type_text(form.display_name, "Trần Thị Hà")
    form.role.setCurrentIndex(form.role.findData(Role.CLERK.value))
    type_text(form.password, "mật-khẩu-mới")
    type_text(form.confirm, "mật-khẩu-mới")
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    assert _cells(dialog, 1) == ["Nguyễn Văn Quản", "Trần Thị Hà"]
    assert dialog.current().username == "canbo.ha"  # the new account is chosen
    principal = accounts.sign_in(ctx.db, "canbo.ha", "mật-khẩu-mới")
    assert principal.role == Role.CLERK and principal.display_name == "Trần Thị Hà"


def test_too_short_password_is_shown_next_to_its_field_and_adds_nothing(dialog, ctx, qtbot):
    dialog.add_account()
    form = dialog.dialog
    type_text(form.username, "canbo.ha")
    type_text(form.display_name, "Trần Thị Hà")
    type_text(form.password, "ngắn")
    type_text(form.confirm, "ngắn")
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: "ít nhất 8 ký tự" in form.errors.message("password"), timeout=5000)
    ctx.tasks.wait()
    assert form.isVisible() and form.buttons.isEnabled()  # stays open to be corrected
    assert form.errors.message("username") == ""
    assert [r.username for r in _rows(ctx)] == ["quantri"]


def test_mismatched_confirmation_is_shown_under_it(dialog, ctx, qtbot):
    dialog.add_account()
    form = dialog.dialog
    type_text(form.username, "canbo.ha")
    type_text(form.display_name, "Trần Thị Hà")
    type_text(form.password, "matkhau-dai-du")
    type_text(form.confirm, "matkhau-khac")
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: "không giống nhau" in form.errors.message("confirm"), timeout=5000)
    ctx.tasks.wait()
    assert [r.username for r in _rows(ctx)] == ["quantri"]


def test_last_administrator_cannot_be_demoted(dialog, ctx, qtbot):
    _select(dialog, "quantri")
    dialog.table.doubleClicked.emit(dialog.table.currentIndex())  # double-click edits
    form = dialog.dialog
    assert isinstance(form, EditAccountDialog) and form.active.isChecked()
    form.role.setCurrentIndex(form.role.findData(Role.CLERK.value))
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: "quản trị viên duy nhất" in form.errors.message("role"), timeout=5000)
    ctx.tasks.wait()
    assert form.isVisible()
    (row,) = _rows(ctx)
    assert row.role == Role.ADMIN and row.active


def test_edit_renames_changes_role_and_locks(dialog, ctx, qtbot):
    _add_clerk(ctx)
    dialog.refresh()
    _select(dialog, "canbo.ha")
    dialog.edit_account()
    form = dialog.dialog
    form.display_name.clear()
    type_text(form.display_name, "Trần Thị Thu Hà")
    form.role.setCurrentIndex(form.role.findData(Role.VIEWER.value))
    form.active.setChecked(False)
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    row = next(r for r in _rows(ctx) if r.username == "canbo.ha")
    assert (row.display_name, row.role, row.active) == ("Trần Thị Thu Hà", Role.VIEWER, False)
    assert _cells(dialog, 3) == ["Đang dùng", "Đã khóa"]
    with pytest.raises(PermissionDeniedError):
        accounts.sign_in(ctx.db, "canbo.ha", "matkhau-ha1")


def test_reset_password(dialog, ctx, qtbot):
    _add_clerk(ctx)
    dialog.refresh()
    _select(dialog, "canbo.ha")
    dialog.reset_password()
    form = dialog.dialog
    assert isinstance(form, ResetPasswordDialog)
    type_text(form.password, "mật khẩu mới 2026")
    type_text(form.confirm, "mật khẩu mới 2026")
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    with pytest.raises(PermissionDeniedError):
        accounts.sign_in(ctx.db, "canbo.ha", "matkhau-ha1")
    assert accounts.sign_in(ctx.db, "canbo.ha", "mật khẩu mới 2026").username == "canbo.ha"


def test_new_recovery_code_after_confirming(dialog, ctx, qtbot, monkeypatch):
    asked, shown = [], []
    monkeypatch.setattr(accounts_dialog, "confirm", lambda *a: asked.append(a[2]) or True)
    monkeypatch.setattr(accounts_dialog, "show_recovery_code",
                        lambda _p, user, code, **sheet: shown.append((user, code, sheet)))
    _select(dialog, "quantri")
    dialog.recovery_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "quantri" in asked[0]
    (user, code, sheet), = shown
    assert sheet["office_name"] == "xã Bình Tân" and sheet["data_file"] == ctx.db.path  # for the printed sheet
    with ctx.db.session() as s:
        accounts.recover_with_code(s, "quantri", code, "mật-khẩu-khôi-phục", "mật-khẩu-khôi-phục")
    assert accounts.sign_in(ctx.db, "quantri", "mật-khẩu-khôi-phục").role == Role.ADMIN


def test_recovery_code_not_made_when_cancelled(dialog, ctx, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(accounts_dialog, "confirm", lambda *a: False)
    monkeypatch.setattr(accounts_dialog, "show_recovery_code", lambda *a: shown.append(a))
    _select(dialog, "quantri")
    dialog.new_recovery_code()
    ctx.tasks.wait()
    assert not shown


def test_change_own_password(ctx, qtbot):
    form = ChangePasswordDialog(ctx, ctx.db.user.username)
    qtbot.addWidget(form)
    form.show()
    type_text(form.old_password, "sai-mat-khau")
    type_text(form.password, "mật-khẩu-riêng")
    type_text(form.confirm, "mật-khẩu-riêng")
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: "không đúng" in form.errors.message("old_password"), timeout=5000)
    ctx.tasks.wait()
    form.old_password.clear()
    type_text(form.old_password, ADMIN_PASSWORD)
    _click_ok(qtbot, form)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    assert accounts.sign_in(ctx.db, "quantri", "mật-khẩu-riêng").role == Role.ADMIN


def test_a_clerk_is_refused_the_accounts_list(ctx, monkeypatch):
    _add_clerk(ctx)
    ctx.db.user = Principal("canbo.ha", "Trần Thị Hà", Role.CLERK)
    warnings = []
    monkeypatch.setattr(message_box, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    monkeypatch.setattr(AccountsDialog, "exec", lambda self: pytest.fail("opened for a clerk"))
    accounts_dialog.show_accounts(ctx, None)
    assert warnings == ["Chỉ quản trị viên mới được xem danh sách tài khoản."]
