"""Signing in, the first administrator of an old database, the idle lock, and
what each role sees — on real databases and real widgets."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from gocong_desktop.core.db.access import Principal, Role  # noqa: E402
from gocong_desktop.core.services import accounts  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context, sign_in  # noqa: E402
from gocong_desktop.gui.households.dialog import HouseholdDialog  # noqa: E402
from gocong_desktop.gui.setup.first_admin import FirstAdminDialog  # noqa: E402
from gocong_desktop.gui.security.idle_lock import Curtain, IdleLock  # noqa: E402
from gocong_desktop.gui.main_window import NAV_TITLES, MainWindow  # noqa: E402
from gocong_desktop.gui.security.recovery_code_dialog import RecoveryCodeDialog  # noqa: E402
from gocong_desktop.gui.security.sign_in import RecoverDialog, SignInDialog, UnlockDialog, last_user  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import confirm_recovery_code, when_shown  # noqa: E402

PASSWORD = "mat-khau-1"


@pytest.fixture(autouse=True)
def _app():
    create_app()


@pytest.fixture
def with_accounts(db):
    """quantri (administrator), canbo (clerk), xem (viewer); nobody signed in."""
    with db.session() as s:
        accounts.create_first_admin(s, username="quantri", display_name="Nguyễn Văn An", password=PASSWORD)
        for name, role in (("canbo", Role.CLERK), ("xem", Role.VIEWER)):
            accounts.add_account(s, username=name, display_name=f"Người {name}", role=role, password=PASSWORD)
    return db


def test_sign_in_dialog_refuses_a_wrong_password_then_signs_in(qtbot, with_accounts):
    db = with_accounts
    dialog = SignInDialog(db, "xã Bình Tân", username="canbo")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.password, "sai-roi-nhe")
    dialog.ok_button.click()
    assert dialog.error.isVisible() and "không đúng" in dialog.error.text()
    assert db.user is None and dialog.password.text() == ""
    type_text(dialog.password, PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() and db.user.username == "canbo" and db.user.role == Role.CLERK


def test_forgotten_admin_password_is_reset_with_the_recovery_code(qtbot, db):
    with db.session() as s:
        code = accounts.create_first_admin(s, username="quantri", display_name="An", password=PASSWORD)
    dialog = SignInDialog(db, "xã Bình Tân", username="quantri")
    qtbot.addWidget(dialog)

    def recover(box) -> None:
        type_text(box.code, code.lower())
        type_text(box.new_password, "mat-khau-moi")
        type_text(box.confirm, "mat-khau-moi")
        when_shown(RecoveryCodeDialog, confirm_code)
        box._recover()

    shown = []

    def confirm_code(box: RecoveryCodeDialog) -> None:
        shown.append(box.code)
        assert not box.close_button.isEnabled()  # not dismissed before it is written down
        box.confirmed.setChecked(True)
        box.close_button.click()

    when_shown(RecoverDialog, recover)
    dialog.forgot.click()
    assert shown and shown[0] != code
    assert accounts.sign_in(db, "quantri", "mat-khau-moi").role == Role.ADMIN


def test_an_old_database_without_accounts_asks_for_its_first_administrator(qtbot, db, settings):
    signed: list[bool] = []

    def fill(box: FirstAdminDialog) -> None:
        type_text(box.form.display_name, "Trần Thị Bích")
        assert box.form.username.text() == "tranthibich"  # suggested from the name
        type_text(box.form.password, "ngan")
        box._create()
        assert "ít nhất 8" in box.form.notes.message("password")
        box.form.password.clear()
        type_text(box.form.password, PASSWORD)
        type_text(box.form.confirm, PASSWORD)
        when_shown(RecoveryCodeDialog, confirm_recovery_code)
        when_shown(SignInDialog, sign)
        box._create()

    def sign(box: SignInDialog) -> None:
        assert box.username.text() == "tranthibich"
        type_text(box.password, PASSWORD)
        box.ok_button.click()

    when_shown(FirstAdminDialog, fill)
    signed.append(sign_in(db, settings))
    assert signed == [True]
    assert db.user.username == "tranthibich" and db.user.role == Role.ADMIN
    assert last_user(settings, db.path) == "tranthibich"


def test_the_sign_in_box_starts_with_the_user_name_last_used_on_that_database(qtbot, with_accounts, settings,
                                                                            tmp_path):
    from gocong_desktop.core.db.engine import open_database

    other = open_database(tmp_path / "xã khác.db", create=True)
    with other.session() as s:
        from gocong_desktop.core.services import office

        office.setup_office(s, unit_name="Long Bình", unit_type="xã")
        accounts.create_first_admin(s, username="quantri2", display_name="Bình", password=PASSWORD)
    seen = []

    def sign(username: str):
        def act(box: SignInDialog) -> None:
            seen.append(box.username.text())
            box.username.setText(username)
            type_text(box.password, PASSWORD)
            box.ok_button.click()
        return act

    try:
        for db, username in ((with_accounts, "canbo"), (other, "quantri2"), (with_accounts, "canbo"),
                             (other, "quantri2")):
            when_shown(SignInDialog, sign(username))
            db.user = None
            assert sign_in(db, settings)
    finally:
        other.close()
    assert seen == ["", "", "canbo", "quantri2"]  # never a name from the other database


def test_giving_up_at_sign_in_opens_nothing(qtbot, with_accounts, settings):
    when_shown(SignInDialog, lambda box: box.reject())
    assert sign_in(with_accounts, settings) is False
    assert with_accounts.user is None


def test_idle_lock_covers_every_window_and_only_the_password_opens_it(qtbot, with_accounts, settings):
    db = with_accounts
    accounts.sign_in(db, "canbo", PASSWORD)
    window = MainWindow(make_context(db, settings))
    qtbot.addWidget(window)
    window.show()
    household = HouseholdDialog(window.ctx, parent=window)  # work in progress, left open
    household.show()
    type_text(household.head_name, "Lê Văn Đang Dở")
    lock = IdleLock(db, db.user, minutes=1, parent=window, check_every_ms=10)
    lock._last_input -= 61  # a minute without keyboard or mouse
    qtbot.waitUntil(lambda: lock.locked, timeout=2000)
    for covered in (window, household):  # the open dialog is covered too
        (curtain,) = [c for c in covered.findChildren(Curtain) if c.parentWidget() is covered]
        assert curtain.isVisible() and curtain.geometry() == covered.rect()
    unlock = lock.dialog
    assert isinstance(unlock, UnlockDialog) and unlock.isVisible()
    assert unlock.windowModality() == Qt.WindowModality.ApplicationModal
    unlock.reject()  # Esc does not unlock
    assert lock.locked
    type_text(unlock.password, "sai-mat-khau")
    unlock._unlock()
    assert lock.locked and unlock.error.isVisible()
    assert unlock.error.text() == "Mật khẩu không đúng."  # only the password is asked: not «Tên đăng nhập hoặc…»
    type_text(unlock.password, PASSWORD)
    unlock._unlock()
    assert not lock.locked
    qtbot.waitUntil(lambda: not window.findChildren(Curtain), timeout=2000)
    assert household.isVisible() and household.head_name.text() == "Lê Văn Đang Dở"  # nothing lost
    lock.stop()
    household.reject()
    window.close()


def test_input_keeps_the_window_unlocked(qtbot, with_accounts):
    db = with_accounts
    db.user = Principal("canbo", "Cán bộ", Role.CLERK)
    lock = IdleLock(db, db.user, minutes=1, check_every_ms=10)
    lock._last_input -= 59
    qtbot.wait(50)
    assert not lock.locked
    lock._last_input -= 30
    qtbot.keyClick(QApplication.instance().activeWindow() or _focus_target(qtbot), Qt.Key.Key_A)
    qtbot.wait(50)
    assert not lock.locked and lock.idle_seconds() < 5
    lock.stop()


def _focus_target(qtbot):
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    return edit


def test_window_menus_follow_the_role(qtbot, seeded, with_accounts, settings):
    db = with_accounts
    for username, admin_items, can_write in (("quantri", True, True), ("canbo", False, True),
                                             ("xem", False, False)):
        accounts.sign_in(db, username, PASSWORD)
        window = MainWindow(make_context(db, settings))
        qtbot.addWidget(window)
        actions = {a.text(): a for a in window.findChildren(type(window.new_action))}
        assert actions["&Tài khoản người dùng…"].isEnabled() is admin_items
        assert actions["&Cài đặt…"].isEnabled() is admin_items
        assert actions["&Nhật ký thay đổi…"].isEnabled() is admin_items
        window.nav.setCurrentRow(NAV_TITLES.index("Hộ gia đình"))  # a page with records to add
        assert window.new_action.isEnabled() is can_write
        assert window.idle_lock is not None and window.idle_lock.minutes == 10
        assert f"Người dùng: {db.user.label}" in [label.text() for label in window.statusBar().findChildren(QLabel)]
        household = HouseholdDialog(window.ctx, household_id=seeded.households["Nguyễn Văn Ba"], parent=window)
        assert ("notes" in household.errors._widgets) is admin_items  # notes on people: administrators
        assert hasattr(household, "violations_button") is admin_items
        household.reject()
        window.close()


def test_signing_out_hides_the_data_and_lets_another_person_sign_in(qtbot, with_accounts, settings):
    from gocong_desktop.gui.app import WindowKeeper

    db = with_accounts
    accounts.sign_in(db, "canbo", PASSWORD)
    keeper = WindowKeeper(settings)
    keeper.show(db)
    first = keeper.window
    seen = []

    def sign_in_as_viewer(box: SignInDialog) -> None:
        seen.append(first.isVisible())  # the data is hidden while the dialog asks
        box.username.setText("xem")
        type_text(box.password, PASSWORD)
        box.ok_button.click()

    when_shown(SignInDialog, sign_in_as_viewer)
    first.sign_out_requested.emit()
    assert seen == [False]
    assert keeper.window is not first and keeper.window.isVisible()
    assert db.user.username == "xem" and keeper.window.ctx.db is db
    assert not keeper.window.new_action.isEnabled()
    with db.session() as s:  # the database stayed open for the next person
        assert accounts.usernames(s) == ["canbo", "quantri", "xem"]
    keeper.window.close()


def test_a_viewer_reads_forms_but_cannot_save_them_and_may_change_their_password(qtbot, seeded, with_accounts,
                                                                                 settings):
    from gocong_desktop.gui.security.accounts_dialog import ChangePasswordDialog

    db = with_accounts
    accounts.sign_in(db, "xem", PASSWORD)
    ctx = make_context(db, settings)
    household = HouseholdDialog(ctx, household_id=seeded.households["Nguyễn Văn Ba"])
    qtbot.addWidget(household)
    assert household.head_name.text() == "Nguyễn Văn Ba" and not household.ok_button.isEnabled()
    own = ChangePasswordDialog(ctx, "xem")
    qtbot.addWidget(own)
    assert own.ok_button.isEnabled()


def test_a_viewer_opens_a_meeting_draft_read_only(qtbot, seeded, settings):
    from datetime import datetime

    from gocong_desktop.core.services import meetings
    from gocong_desktop.gui.meetings.editor import MeetingEditor

    db = seeded.db
    with db.session() as s:
        meeting_id = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2026, 11, 20, 19))
        accounts.create_first_admin(s, username="quantri", display_name="An", password=PASSWORD)
        accounts.add_account(s, username="xem", display_name="Người xem", role=Role.VIEWER, password=PASSWORD)
    accounts.sign_in(db, "xem", PASSWORD)
    editor = MeetingEditor(make_context(db, settings), meeting_id)
    qtbot.addWidget(editor)
    assert editor.read_only and editor.conclusion.isReadOnly()
    assert editor.finalise_button.isHidden() and editor.amend_button.isHidden()
    assert "tự động lưu" not in editor.banner.text() and "chỉ xem" in editor.banner.text()
    assert editor.save_now()  # closing saves nothing and reports no error


def test_nothing_new_shows_uncovered_while_locked(qtbot, with_accounts, settings):
    from PySide6.QtWidgets import QMessageBox

    db = with_accounts
    accounts.sign_in(db, "canbo", PASSWORD)
    window = MainWindow(make_context(db, settings))
    qtbot.addWidget(window)
    window.show()
    window.idle_lock.lock()
    results = []
    window.ctx.write(lambda s: "xong", on_done=results.append)  # finishes while locked
    qtbot.wait(300)
    assert results == []  # held: no result box over the locked screen
    late = QMessageBox(QMessageBox.Icon.Information, "Thông báo", "Số liệu riêng", parent=window)
    late.show()  # e.g. a reminder from a timer
    qtbot.waitUntil(lambda: any(c.parentWidget() is late for c in late.findChildren(Curtain)), timeout=2000)
    type_text(window.idle_lock.dialog.password, PASSWORD)
    window.idle_lock.dialog._unlock()
    assert results == ["xong"]  # delivered once unlocked
    late.close()
    window.close()


def test_someone_else_signs_the_locked_person_out_from_the_lock_screen(qtbot, with_accounts, settings):
    from gocong_desktop.gui.app import WindowKeeper

    db = with_accounts
    accounts.sign_in(db, "canbo", PASSWORD)
    keeper = WindowKeeper(settings)
    keeper.show(db)
    first = keeper.window
    half_done = HouseholdDialog(first.ctx, parent=first)  # canbo's unsaved form
    half_done.show()
    type_text(half_done.head_name, "Chưa lưu")
    first.idle_lock.lock(idle=True)
    seen = []

    def sign_in_as_viewer(box: SignInDialog) -> None:
        seen.append((first.isVisible(), half_done.isVisible(), bool(first.findChildren(Curtain))))
        box.username.setText("xem")
        type_text(box.password, PASSWORD)
        box.ok_button.click()

    when_shown(SignInDialog, sign_in_as_viewer)
    first.idle_lock.dialog.switch_button.click()
    qtbot.waitUntil(lambda: keeper.window is not first, timeout=5000)
    assert seen == [(False, False, False)]  # nothing of canbo's on screen, no curtain left over
    assert db.user.username == "xem" and keeper.window.isVisible()
    keeper.window.close()
