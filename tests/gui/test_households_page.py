"""The household register through its real widgets: typing Vietnamese into the
dialog saves NFC text; a wrong field shows its message and saves nothing;
moving, marking moved-out and deleting go through the worker."""

from __future__ import annotations

import os
import unicodedata
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from gocong_desktop.core.services import households  # noqa: E402
from gocong_desktop.gui.widgets import form_parts  # noqa: E402
from gocong_desktop.gui.households.dialog import HouseholdDialog  # noqa: E402
from gocong_desktop.gui.households import page as households_page  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
from tests.conftest import table_counts  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402


@pytest.fixture
def ctx(seeded_ctx):
    return seeded_ctx


@pytest.fixture
def dialog(qtbot, ctx, seeded):
    widget = HouseholdDialog(ctx, hamlet_id=seeded.hamlet_a, group_id=seeded.group_a1)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _names(seeded) -> list[str]:
    with seeded.db.session() as s:
        return [r.head_name for r in households.list_households(s, include_moved=True)]


@pytest.mark.parametrize("input_method", [False, True])
def test_typed_household_is_saved_in_nfc(qtbot, dialog, seeded, input_method):
    decomposed = unicodedata.normalize("NFD", "Huỳnh Thị Ngọc Điệp")
    type_text(dialog.head_name, decomposed, input_method=input_method)
    type_text(dialog.address, "Số 7, đường Lê Lợi", input_method=input_method)
    type_text(dialog.birth_year, "1980")
    type_text(dialog.phone, "0912 345 678")
    qtbot.keyClick(dialog.head_name, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)
    with seeded.db.session() as s:
        row = households.list_households(s, search="huynh thi ngoc diep")[0]
        data = households.household_input(s, row.id)
    assert data.head_name == "Huỳnh Thị Ngọc Điệp" and unicodedata.is_normalized("NFC", data.head_name)
    assert (data.birth_year, data.phone, data.group_id) == (1980, "0912345678", seeded.group_a1)


@pytest.mark.parametrize("field, text, words", [
    ("phone", "12345", "điện thoại"),
    ("birth_year", "năm", "Năm sinh"),
    ("birth_year", "1850", "năm sinh"),
    ("citizen_id", "999090001234", "999"),
])
def test_invalid_field_shows_its_message_and_saves_nothing(qtbot, dialog, seeded, field, text, words):
    before = table_counts(seeded.db.path)
    type_text(dialog.head_name, "Lê Văn Tư")
    type_text(getattr(dialog, field), text)
    dialog.ok_button.click()
    message = dialog.errors.message(field)
    assert words.lower() in message.lower()
    assert dialog.isVisible() and getattr(dialog, field).hasFocus()
    dialog.ctx.tasks.wait()
    assert table_counts(seeded.db.path) == before


def test_empty_name_is_refused_next_to_the_name(dialog, seeded):
    before = table_counts(seeded.db.path)
    dialog.ok_button.click()
    assert "họ tên" in dialog.errors.message("head_name")
    assert table_counts(seeded.db.path) == before


def test_escape_cancels_without_saving(qtbot, dialog, seeded):
    before = table_counts(seeded.db.path)
    type_text(dialog.head_name, "Lê Văn Tư")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert table_counts(seeded.db.path) == before


def test_editing_keeps_the_record_and_changes_the_field(qtbot, ctx, seeded):
    household_id = seeded.households["Lê Thị Hoa"]
    dialog = HouseholdDialog(ctx, household_id=household_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.head_name.text() == "Lê Thị Hoa"
    dialog.members.setValue(6)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)
    with seeded.db.session() as s:
        assert households.household_input(s, household_id).members == 6


@pytest.fixture
def page(qtbot, ctx):
    widget = HouseholdsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    settle(widget)
    return widget


def _select(page, name: str) -> None:
    for row in range(page.model.rowCount()):
        if page.model.row_at(row).head_name == name:
            page.table.selectRow(row)
            return
    raise AssertionError(f"{name} not listed")


def test_page_lists_and_filters_by_group(qtbot, page, seeded):
    assert page.model.total == 7
    page.hamlet_filter.setCurrentIndex(page.hamlet_filter.findData(seeded.hamlet_a))
    settle(page)
    page.group_filter.setCurrentIndex(page.group_filter.findData(seeded.group_a2))
    settle(page)
    names = {page.model.row_at(r).head_name for r in range(page.model.rowCount())}
    assert names == {"Phạm Văn An", "Võ Thị Ánh"}


def test_moved_out_household_is_hidden_but_kept(qtbot, page, seeded, monkeypatch):
    monkeypatch.setattr(households_page, "ask_text", lambda *a: "02/01/2025")
    _select(page, "Trần Minh Tâm")
    page.moved_out_button.click()
    qtbot.waitUntil(lambda: page.model.total == 6, timeout=3000)
    assert "Trần Minh Tâm" in _names(seeded)  # kept for history
    page.show_moved.setChecked(True)
    settle(page)
    assert page.model.total == 7
    with seeded.db.session() as s:
        row = households.list_households(s, search="tran minh tam", include_moved=True)[0]
    assert row.moved_out_date == date(2025, 1, 2)


def test_move_to_another_group(qtbot, page, seeded, monkeypatch):
    monkeypatch.setattr(households_page, "ask_item", lambda _p, _t, _l, items: next(
        i for i in items if i.startswith("Tổ NDTQ số 3")))
    _select(page, "Lê Thị Hoa")
    page.move_button.click()
    page.ctx.tasks.wait()
    with seeded.db.session() as s:
        data = households.household_input(s, seeded.households["Lê Thị Hoa"])
    assert (data.group_id, data.hamlet_id) == (seeded.group_b3, seeded.hamlet_b)


@pytest.mark.parametrize("answer", [False, True])
def test_delete_asks_first(qtbot, page, seeded, monkeypatch, answer):
    asked = []
    monkeypatch.setattr(households_page, "confirm", lambda *a: asked.append(a) or answer)
    _select(page, "Võ Thị Ánh")
    page.delete_selected()
    page.ctx.tasks.wait()
    assert asked
    assert ("Võ Thị Ánh" in _names(seeded)) is (not answer)


def test_confirm_has_vietnamese_buttons(qtbot, monkeypatch):
    shown = {}

    def fake_exec(box):
        shown["buttons"] = [b.text() for b in box.buttons()]
        return 0

    monkeypatch.setattr(form_parts.QMessageBox, "exec", fake_exec)
    form_parts.confirm(None, "Xóa", "Xóa hộ?", "Xóa")
    assert sorted(shown["buttons"]) == ["Hủy", "Xóa"]


def test_column_widths_are_remembered(qtbot, ctx):
    first = HouseholdsPage(ctx)
    qtbot.addWidget(first)
    first.table.setColumnWidth(0, 321)
    first.save_state()
    second = HouseholdsPage(ctx)
    qtbot.addWidget(second)
    assert second.table.columnWidth(0) == 321
