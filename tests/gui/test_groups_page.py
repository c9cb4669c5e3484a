"""The "Tổ tự quản" page on a real database: hamlets and groups are added by
typing Vietnamese into the dialogs, errors appear next to their field and save
nothing, and what the table shows is what the database holds."""

from __future__ import annotations

import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402

from gocong_desktop.core.services import groups, hamlets, households  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.groups.dialog import NO_OFFICER, GroupDialog  # noqa: E402
from gocong_desktop.gui.groups.retire_dialog import RetireGroupDialog  # noqa: E402
from gocong_desktop.gui.groups.hamlet_dialogs import AddHamletsDialog, RetireHamletDialog  # noqa: E402
from gocong_desktop.gui.groups.table import COL_GROUP, COL_HOUSEHOLDS, COL_LEADER, COL_STATUS, RETIRED_TEXT
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402
from gocong_desktop.gui.groups.page import GroupsPage  # noqa: E402
from gocong_desktop.gui import message_box
from tests.conftest import table_counts  # noqa: E402


def _settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def page(qtbot, seeded, tmp_path):
    create_app()
    ctx = make_context(seeded.db, _settings(tmp_path))
    widget = GroupsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    settle(widget)
    yield widget
    ctx.tasks.wait()
    widget.close()


@pytest.fixture
def warnings(monkeypatch):
    """Message boxes from show_error, recorded instead of blocking the test."""
    shown: list[str] = []
    monkeypatch.setattr(message_box, "warning", lambda _parent, _title, text, *a: shown.append(text))
    return shown


def _read(seeded, fn, *args, **kwargs):
    with seeded.db.session() as s:
        return fn(s, *args, **kwargs)


def _hamlet_names(seeded) -> list[str]:
    return [h.name for h in _read(seeded, hamlets.list_hamlets, include_retired=True)]


def _choose_hamlet(page, name: str) -> None:
    items = page.hamlets.list.findItems(name, Qt.MatchFlag.MatchStartsWith)
    page.hamlets.list.setCurrentItem(items[0])
    settle(page)


def _table_column(page, column: int) -> list[str]:
    model = page.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


# --------------------------------------------------------------------------- hamlets


@pytest.mark.parametrize("input_method", [False, True])
def test_add_hamlet_typed_in_vietnamese(page, qtbot, seeded, input_method):
    qtbot.mouseClick(page.hamlets.add_button, Qt.MouseButton.LeftButton)
    dialog = page.hamlets.dialog
    assert isinstance(dialog, AddHamletsDialog) and dialog.isVisible()
    type_text(dialog.names, "Thuận Trị", input_method=input_method)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Thuận Trị" in _hamlet_names(seeded), timeout=3000)
    settle(page)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    settle(page)
    assert page.hamlets.current_hamlet().name == "Thuận Trị"  # the new hamlet is chosen
    assert page.model.rowCount() == 0  # ... and it has no group yet


def test_several_hamlets_at_once_one_per_line(page, qtbot, seeded):
    page.hamlets.add_hamlet()
    dialog = page.hamlets.dialog
    type_text(dialog.names, "Gò Me\n\n  Bình  Hòa Long ", input_method=False)  # Enter: a new line
    assert dialog.isVisible() and dialog.typed_names() == ["Gò Me", "Bình Hòa Long"]
    qtbot.keyClick(dialog.names, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saves
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    settle(page)
    assert sorted(_hamlet_names(seeded)) == sorted(["Lợi An", "Đồng Sơn", "Gò Me", "Bình Hòa Long"])


@pytest.mark.parametrize("typed", ["loi an", "Gò Me\nLOI AN"])
def test_duplicate_hamlet_shows_message_and_saves_nothing(page, qtbot, seeded, typed):
    before = table_counts(seeded.db.path)
    page.hamlets.add_hamlet()
    dialog = page.hamlets.dialog
    type_text(dialog.names, typed, input_method=False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã có ấp" in dialog.errors.message("name"), timeout=3000)
    settle(page)
    page.ctx.tasks.wait()
    assert dialog.isVisible() and dialog.buttons.isEnabled()  # stays open to be corrected
    assert table_counts(seeded.db.path) == before  # not even "Gò Me"
    assert sorted(_hamlet_names(seeded)) == sorted(["Lợi An", "Đồng Sơn"])


def test_empty_hamlet_name_is_refused_in_the_dialog(page, qtbot):
    page.hamlets.add_hamlet()
    dialog = page.hamlets.dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("name") == "Chưa nhập tên ấp."


def test_rename_hamlet(page, qtbot, seeded):
    _choose_hamlet(page, "Đồng Sơn")
    qtbot.mouseClick(page.hamlets.rename_button, Qt.MouseButton.LeftButton)
    dialog = page.hamlets.dialog
    dialog.name.clear()
    type_text(dialog.name, "Đồng Sơn Mới", input_method=True)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: "Đồng Sơn Mới" in _hamlet_names(seeded), timeout=3000)
    settle(page)
    qtbot.waitUntil(lambda: _table_column(page, 1) == ["Đồng Sơn Mới"], timeout=3000)
    settle(page)


def test_delete_hamlet_with_groups_shows_the_service_message(page, qtbot, seeded, warnings, monkeypatch):
    monkeypatch.setattr("gocong_desktop.gui.groups.hamlet_panel.confirm", lambda *a: True)
    _choose_hamlet(page, "Lợi An")
    qtbot.mouseClick(page.hamlets.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=3000)
    settle(page)
    assert "Không thể xóa ấp Lợi An vì đang có 2 tổ" in warnings[0]
    assert "Lợi An" in _hamlet_names(seeded)


def test_retire_empty_hamlet_with_a_date(page, qtbot, seeded, warnings):
    _read(seeded, hamlets.add_hamlet, "Gò Me")
    page.refresh()
    settle(page)
    _choose_hamlet(page, "Lợi An")  # still has groups: refused, with the service's message
    page.hamlets.retire_hamlet()
    dialog = page.hamlets.dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=3000)
    settle(page)
    assert "còn 2 tổ đang hoạt động" in warnings[0] and dialog.isVisible()
    dialog.reject()
    _choose_hamlet(page, "Gò Me")
    page.hamlets.retire_hamlet()
    dialog = page.hamlets.dialog
    assert isinstance(dialog, RetireHamletDialog)
    dialog.valid_to.clear()
    qtbot.keyClicks(dialog.valid_to, "30/6/2025")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    settle(page)
    retired = {h.name: h.valid_to for h in _read(seeded, hamlets.list_hamlets, include_retired=True)}
    assert retired["Gò Me"] == date(2025, 6, 30)
    texts = [page.hamlets.list.item(i).text() for i in range(page.hamlets.list.count())]
    assert not any(t.startswith("Gò Me") for t in texts)
    page.hamlets.show_retired.setChecked(True)
    settle(page)
    texts = [page.hamlets.list.item(i).text() for i in range(page.hamlets.list.count())]
    assert "Gò Me (hết hiệu lực 30/06/2025)" in texts


# --------------------------------------------------------------------------- groups


def test_table_shows_household_counts_from_the_database(page, seeded):
    assert page.model.rowCount() == 3
    for r in range(page.model.rowCount()):
        row = page.model.row_at(r)
        counted = _read(seeded, households.count_households, group_id=row.id)
        assert page.model.data(page.model.index(r, COL_HOUSEHOLDS)) == str(counted)
    assert _table_column(page, COL_HOUSEHOLDS) == ["3", "2", "2"]
    assert page.count_label.text() == "3 tổ, 7 hộ"


def test_hamlet_filter_and_search_narrow_the_table(page, qtbot, seeded):
    _choose_hamlet(page, "Đồng Sơn")
    assert _table_column(page, COL_GROUP) == ["Tổ NDTQ số 3"]
    _choose_hamlet(page, "Lợi An")
    assert _table_column(page, COL_GROUP) == ["Tổ NDTQ số 1", "Tổ NDTQ số 2"]
    _choose_hamlet(page, "Tất cả các ấp")
    assert page.model.rowCount() == 3
    type_text(page.search, "SỐ 2", input_method=True)
    qtbot.waitUntil(lambda: _table_column(page, COL_GROUP) == ["Tổ NDTQ số 2"], timeout=2000)
    settle(page)


@pytest.mark.parametrize("input_method", [False, True])
def test_add_group_typed_in_vietnamese(page, qtbot, seeded, input_method):
    _choose_hamlet(page, "Đồng Sơn")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, GroupDialog)
    assert dialog.hamlet.currentText() == "Đồng Sơn"  # the chosen hamlet
    assert dialog.number.text() == "4"  # next free number in the commune
    assert dialog.name.placeholderText() == "Tổ NDTQ số 4"
    type_text(dialog.name, "Tổ Rạch Già", input_method=input_method)
    qtbot.keyClicks(dialog.founded, "15/03/2020")
    type_text(dialog.notes, "Họp ở nhà ông Tư", input_method=input_method)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    settle(page)
    row = next(r for r in _read(seeded, groups.list_groups) if r.number == 4)
    details = _read(seeded, groups.group_details, row.id)
    assert (row.name, row.hamlet_id) == ("Tổ Rạch Già", seeded.hamlet_b)
    assert (details.founded_date, details.notes) == (date(2020, 3, 15), "Họp ở nhà ông Tư")
    assert page.selected_group().id == row.id  # the new group is shown selected


def test_group_name_defaults_from_the_number(page, qtbot, seeded):
    page.new_group()
    dialog = page.dialog
    dialog.number.clear()
    qtbot.keyClicks(dialog.number, "12")
    assert dialog.name.placeholderText() == "Tổ NDTQ số 12"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Tổ NDTQ số 12" in _table_column(page, COL_GROUP), timeout=3000)
    settle(page)


def test_group_errors_show_next_to_the_field_and_save_nothing(page, qtbot, seeded):
    before = table_counts(seeded.db.path)
    page.new_group()
    dialog = page.dialog
    qtbot.keyClicks(dialog.founded, "31/02/2024")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "không hợp lệ" in dialog.errors.message("founded_date")
    dialog.founded.clear()
    dialog.number.setText("1")  # taken: refused by the service, on the worker
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Số tổ 1 đã được dùng" in dialog.errors.message("number"), timeout=3000)
    settle(page)
    assert dialog.errors.message("founded_date") == ""
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    page.ctx.tasks.wait()
    assert table_counts(seeded.db.path) == before


def test_edit_group_to_choose_its_leader(page, qtbot, seeded):
    page.select_group(seeded.group_a1)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter edits
    dialog = page.dialog
    assert isinstance(dialog, GroupDialog) and dialog.group_id == seeded.group_a1
    assert dialog.name.text() == ""  # a default name stays a default
    leaders = [dialog.leader.itemText(i) for i in range(dialog.leader.count())]
    assert leaders[0] == NO_OFFICER and len(leaders) == 4
    assert all(any(n in t for t in leaders) for n in ("Nguyễn Văn Ba", "Lê Thị Hoa", "Trần Minh Tâm"))
    dialog.leader.setCurrentIndex(dialog.leader.findData(seeded.households["Lê Thị Hoa"]))
    dialog.deputy.setCurrentIndex(dialog.deputy.findData(seeded.households["Lê Thị Hoa"]))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "hai hộ khác nhau" in dialog.errors.message("deputy_household_id"), timeout=3000)
    settle(page)
    dialog.deputy.setCurrentIndex(0)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    settle(page)
    row = next(r for r in _read(seeded, groups.list_groups) if r.id == seeded.group_a1)
    assert (row.leader_name, row.deputy_name) == ("Lê Thị Hoa", None)
    assert _table_column(page, COL_LEADER)[0] == "Lê Thị Hoa"


def test_double_click_edits_a_group(page, qtbot, seeded):
    row = page.model.row_of(seeded.group_b3)
    rect = page.table.visualRect(page.model.index(row, COL_GROUP))
    # QTest's double click lacks the press a real one starts with, and the view needs it.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.dialog
    assert isinstance(dialog, GroupDialog) and dialog.group_id == seeded.group_b3
    dialog.name.setText("Không lưu")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)  # Esc cancels
    assert not dialog.isVisible()
    page.ctx.tasks.wait()
    assert _read(seeded, groups.group_details, seeded.group_b3).name == "Tổ NDTQ số 3"


def test_retire_group_moves_its_households_to_the_chosen_group(page, qtbot, seeded):
    page.select_group(seeded.group_a2)
    page.table.setFocus()
    page.delete_selected()  # the Delete key's action
    dialog = page.dialog
    assert isinstance(dialog, RetireGroupDialog)
    targets = [dialog.target.itemData(i) for i in range(dialog.target.count())]
    assert targets == [seeded.group_a1, seeded.group_b3]  # same hamlet first
    dialog.when.clear()
    qtbot.keyClicks(dialog.when, "30/06/2025")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    settle(page)
    assert _read(seeded, households.count_households, group_id=seeded.group_a1) == 5
    assert _read(seeded, households.count_households, group_id=seeded.group_a2) == 0
    details = _read(seeded, groups.group_details, seeded.group_a2)
    assert not details.active
    assert page.model.row_of(seeded.group_a2) == -1
    assert _table_column(page, COL_HOUSEHOLDS) == ["5", "2"]
    page.show_retired.setChecked(True)
    settle(page)
    assert page.model.data(page.model.index(page.model.row_of(seeded.group_a2), COL_STATUS)) == RETIRED_TEXT


def test_column_widths_are_remembered(page, qtbot, seeded, tmp_path):
    page.table.setColumnWidth(COL_LEADER, 234)
    page.save_state()
    again = GroupsPage(make_context(seeded.db, _settings(tmp_path)))
    qtbot.addWidget(again)
    assert again.table.columnWidth(COL_LEADER) == 234


def test_ctrl_n_adds_a_hamlet_in_the_hamlet_list_and_a_group_elsewhere(qtbot, seeded, tmp_path):
    create_app()
    window = MainWindow(make_context(seeded.db, _settings(tmp_path)))
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(window.stack.indexOf(window.groups_page))
    page = window.groups_page
    settle(page)
    assert page.model.rowCount() == 3
    window.activateWindow()
    page.hamlets.list.setFocus()
    qtbot.waitUntil(page.hamlets.list.hasFocus, timeout=2000)
    qtbot.keyClick(page.hamlets.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(page.hamlets.dialog, AddHamletsDialog) and page.hamlets.dialog.isVisible()
    page.hamlets.dialog.reject()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=2000)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(page.dialog, GroupDialog) and page.dialog.isVisible()
    page.dialog.reject()
    window.close()
