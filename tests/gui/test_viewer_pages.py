"""A viewer's pages: the buttons that only change data are off (with a tooltip
saying why) and stay off whatever is selected; reading, opening and printing
stay on. A clerk's same window has them on."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from gocong_desktop.core.db.access import Principal, Role  # noqa: E402
from gocong_desktop.core.services import accounts, meetings  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.widgets.form_parts import VIEWER_TIP  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

PASSWORD = "matkhau-2026"
USERS = {Role.VIEWER: Principal("xem", "Người xem", Role.VIEWER),
         Role.CLERK: Principal("thuky", "Thư ký", Role.CLERK)}


@pytest.fixture
def accounts_db(seeded):
    """The seeded commune with a draft meeting, its administrator, a viewer and a clerk."""
    db = seeded.db
    with db.session() as s:
        meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2026, 3, 5, 19, 0))
        accounts.create_first_admin(s, username="quantri", display_name="An", password=PASSWORD)
    db.user = Principal("quantri", "An", Role.ADMIN)
    with db.session() as s:
        for user in USERS.values():
            accounts.add_account(s, username=user.username, display_name=user.display_name,
                                 role=user.role.value, password=PASSWORD)
    return db


@pytest.fixture
def window_as(qtbot, accounts_db, tmp_path):
    windows = []

    def make(role: Role) -> MainWindow:
        create_app()
        accounts_db.user = USERS[role]
        win = MainWindow(make_context(accounts_db, QSettings(str(tmp_path / "s.ini"),
                                                             QSettings.Format.IniFormat)))
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.close()
        win.ctx.tasks.wait()


def show(window: MainWindow, page) -> None:
    window.nav.setCurrentRow(window.stack.indexOf(page))
    settle(window)


def assert_writes(buttons, enabled: bool) -> None:
    for button in buttons:
        assert button.isEnabled() is enabled, button.text()
        if not enabled:
            assert button.toolTip() == VIEWER_TIP


def assert_enabled(buttons) -> None:
    for button in buttons:
        assert button.isEnabled(), button.text()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_households_page(window_as, role):
    window = window_as(role)
    page = window.households_page
    show(window, page)
    writes = [page.add_button, page.move_button, page.moved_out_button, page.delete_button]
    assert page.add_button.text().replace("&", "") == "Thêm hộ"
    assert_writes(writes, role == Role.CLERK)
    page.table.selectRow(0)
    assert page.selected() is not None
    assert_writes(writes, role == Role.CLERK)
    assert_enabled([page.edit_button])  # opens the form, read-only for a viewer
    assert page.edit_button.text().replace("&", "") == ("Xem" if role == Role.VIEWER else "Sửa")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_household_form_reads_as_a_form_to_read_with_the_citizen_id_masked(window_as, accounts_db, seeded, role):
    from PySide6.QtWidgets import QDialogButtonBox

    from gocong_desktop.core.services.households import HouseholdInput, create_household
    from gocong_desktop.gui.households.dialog import HouseholdDialog

    with accounts_db.session() as s:
        hid = create_household(s, HouseholdInput(head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_a,
                                                 citizen_id="082190123456"))
    window = window_as(role)
    dialog = HouseholdDialog(window.ctx, household_id=hid, parent=window)
    viewer = role == Role.VIEWER
    assert dialog.windowTitle() == ("Xem hộ gia đình" if viewer else "Sửa hộ gia đình")
    assert dialog.citizen_id.text() == ("•••••••••456" if viewer else "082190123456")
    assert dialog.head_name.isReadOnly() is viewer and dialog.hamlet.isEnabled() is not viewer
    assert dialog.ok_button.isVisibleTo(dialog) is not viewer
    close = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert close.text() == ("Đóng" if viewer else "Hủy")
    dialog.reject()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_groups_page_and_hamlet_panel(window_as, role):
    window = window_as(role)
    page = window.groups_page
    show(window, page)
    page.table.selectRow(0)
    assert page.selected_group() is not None
    assert_writes([page.add_button, page.retire_button], role == Role.CLERK)
    assert_enabled([page.edit_button])
    assert page.edit_button.text().replace("&", "") == ("Xem…" if role == Role.VIEWER else "Sửa…")
    panel = page.hamlets
    panel.list.setCurrentRow(1)  # a hamlet, not "all"
    assert panel.current_hamlet() is not None
    assert_writes([panel.add_button, panel.rename_button, panel.retire_button, panel.delete_button],
                  role == Role.CLERK)
    panel.show_retired.setChecked(True)  # reloads the list and its buttons
    settle(window)
    assert_writes([panel.retire_button, panel.delete_button], role == Role.CLERK)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_meetings_page(window_as, role):
    window = window_as(role)
    page = window.meetings_page
    show(window, page)
    assert page.model.rowCount() == 1
    page.table.selectRow(0)
    assert page.selected() is not None  # a draft without a number
    assert_writes([page.add_button, page.finalise_button, page.delete_button], role == Role.CLERK)
    assert not page.amend_button.isEnabled()  # only a final record is amended
    assert_enabled([page.open_button, page.view_button, page.save_pdf_button, page.blank_button])
    page.refresh()
    assert_writes([page.finalise_button, page.delete_button], role == Role.CLERK)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK])
def test_other_pages(window_as, role):
    window = window_as(role)
    writer = role == Role.CLERK
    pledges = window.pledges_page
    show(window, pledges)
    assert_writes([pledges.open_button], writer)
    models = window.models_page
    show(window, models)
    assert_writes([models.add_button, models.propaganda.add_button, models.propaganda.delete_button], writer)
    assert_enabled([models.report_button, models.criteria_button])
    sync = window.sync_page
    show(window, sync)
    assert_writes([sync.panel.export_button, sync.panel.receipt_button], writer)
    assert_enabled([sync.card_button, sync.sheet_button])
    # Whose packages and receipts are trusted is an administrator's decision, whatever else one may write.
    assert not sync.import_key_button.isEnabled()
    assert sync.import_key_button.toolTip().startswith("Chỉ quản trị viên")
