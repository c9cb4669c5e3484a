"""A whole meeting recorded from the keyboard alone — the group, the agenda, the
roll call, an opinion, the votes, the conclusion, finalising — with key events
only (no mouse, no setters), then read back from the database. And the keys it
relies on one by one: Tab leaves the attendance grid, Ctrl+Tab changes tabs, Tab
after a new opinion reaches the votes, Esc closes (asking first when what was
typed cannot be saved), Alt+letter is never used twice in the editor."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (QAbstractButton, QApplication, QLabel, QMessageBox, QPlainTextEdit,  # noqa: E402
                               QSpinBox, QTableView, QTabWidget)

from gocong_desktop.core.db.models import AttendanceStatus, MeetingStatus  # noqa: E402
from gocong_desktop.core.services import groups, meeting_drafts, meetings  # noqa: E402
from gocong_desktop.gui.meetings.attendance import COL_EXCUSED, COL_REASON, COL_REPRESENTATIVE  # noqa: E402
from gocong_desktop.gui.meetings.editor import TAB_AGENDA, TAB_ATTENDANCE, TAB_CONCLUSION, TAB_GENERAL  # noqa: E402
from gocong_desktop.gui.widgets.mnemonics import mnemonic_of  # noqa: E402
from gocong_desktop.gui import message_box
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402

WAIT_MS = 5000
NO = Qt.KeyboardModifier.NoModifier
ALT, CTRL, SHIFT = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier, \
    Qt.KeyboardModifier.ShiftModifier


from tests.gui import meetings_page_fixtures as _shared  # noqa: E402

ctx, page = _shared.ctx, _shared.page  # the shared fixtures, by the names the tests ask for


def focused():
    return QApplication.focusWidget()


def key(k, modifiers=NO, times: int = 1) -> None:
    for _ in range(times):
        widget = focused()
        assert widget is not None, "nothing has the keyboard focus"
        QTest.keyClick(widget, k, modifiers)
        QApplication.processEvents()


def typed(text: str) -> None:
    """Each key to whatever has the focus then (the first key opens a grid cell's editor)."""
    for ch in text:
        type_text(focused(), ch)
        QApplication.processEvents()


def alt(window, text_with_mnemonic: str, until=None) -> None:
    """Alt + the letter the window shows underlined in ``text_with_mnemonic``; a button
    answers after its pressed look (``until``: what shows it did)."""
    letter = mnemonic_of(text_with_mnemonic)
    assert letter, f"no Alt+letter on «{text_with_mnemonic}»"
    key(getattr(Qt.Key, f"Key_{letter.upper()}"), ALT)
    if until is not None:
        wait_for(until)


def wait_for(condition) -> None:
    for _ in range(WAIT_MS // 20):
        if condition():
            return
        QTest.qWait(20)
    raise AssertionError("the key had no effect")


def tab_until(predicate, *, backwards: bool = False, limit: int = 60) -> None:
    for _ in range(limit):
        if predicate(focused()):
            return
        key(Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached the widget wanted; last: {focused()!r}")


def press_in_box(button_text: str):
    """Answer the next message box from the keyboard: Tab to ``button_text``, Space."""
    def act(box: QMessageBox) -> None:
        box.activateWindow()
        target = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        for _ in range(10):
            if QApplication.focusWidget() is target:
                break
            QTest.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Tab)
        QTest.keyClick(target, Qt.Key.Key_Space)
    return act


def _new_meeting_from_keys(qtbot, page):
    """«Thêm buổi họp…» from the keyboard: the group typed without marks, the day typed."""
    page.add_button.setFocus()
    key(Qt.Key.Key_Space)
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and focused() is not None and dialog.isAncestorOf(focused()))
    tab_until(lambda w: w is dialog.group.lineEdit() or w is dialog.group)
    key(Qt.Key.Key_A, CTRL)
    typed("to ndtq so 1")
    tab_until(lambda w: w is dialog.day)
    assert dialog.group.currentData() == page.ctx.read(groups.list_groups)[0].id
    key(Qt.Key.Key_A, CTRL)
    typed("15/03/2024")
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_A, CTRL)
    typed("19:30")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.editors) == 1, timeout=WAIT_MS)
    editor = next(iter(page.editors.values()))
    editor.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and editor.isAncestorOf(focused()))
    return editor


def test_a_whole_meeting_recorded_with_the_keyboard_only(qtbot, page, seeded):
    editor = _new_meeting_from_keys(qtbot, page)
    tabs = editor.tabs
    # General: the place, typed over the default (the cursor starts in the first field).
    tab_until(lambda w: w is editor.general.place)
    key(Qt.Key.Key_A, CTRL)
    typed("Nhà văn hóa ấp Lợi An")
    # Roll call: everyone present with one key, then Trần Minh Tâm absent with a reason (not Lê Thị Hoa,
    # the deputy: she is the secretary, and finishing refuses minutes whose secretary is away).
    alt(editor, tabs.tabText(TAB_ATTENDANCE))
    assert tabs.currentIndex() == TAB_ATTENDANCE
    grid = editor.attendance
    assert grid.count_label.text() == "0/3 hộ có mặt (vắng có lý do: 0; không lý do: 0; chưa điểm danh: 3)"
    key(Qt.Key.Key_A, CTRL | SHIFT)
    assert grid.count_label.text() == "3/3 hộ có mặt (vắng có lý do: 0; không lý do: 0)"
    tab_until(lambda w: w is grid.table)
    row_of_tam = [a.household_name for a in grid.model.rows()].index("Trần Minh Tâm")
    key(Qt.Key.Key_Home, CTRL)
    key(Qt.Key.Key_Down, times=row_of_tam)
    key(Qt.Key.Key_Right, times=COL_EXCUSED - grid.table.currentIndex().column())
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Right, times=COL_REASON - COL_EXCUSED)
    typed("Đi làm ăn xa")
    key(Qt.Key.Key_Return)
    assert grid.count_label.text() == "2/3 hộ có mặt (vắng có lý do: 1; không lý do: 0)"
    # Agenda: an item, an opinion, the votes, the item's conclusion.
    alt(editor, tabs.tabText(TAB_AGENDA))
    agenda = editor.agenda
    alt(editor, agenda.add_button.text(), until=lambda: agenda.current_editor() is not None)
    item = agenda.current_editor()
    assert focused() is item.title
    typed("Phòng, chống trộm cắp tài sản")
    key(Qt.Key.Key_Tab)
    typed("Tổ trưởng thông báo tình hình trộm cắp.")
    tab_until(lambda w: w is item.opinions.add_button)
    key(Qt.Key.Key_Space)
    typed("Ông Tư")
    key(Qt.Key.Key_Tab)
    assert isinstance(focused(), QPlainTextEdit)
    typed("Đề nghị lắp đèn đầu hẻm.")
    tab_until(lambda w: isinstance(w, QSpinBox) or isinstance(w.parent(), QSpinBox))
    assert item.votes_for.isAncestorOf(focused()) or focused() is item.votes_for
    for votes in ("2", "0", "0"):
        typed(votes)
        key(Qt.Key.Key_Tab)
    assert focused() is item.conclusion
    typed("Lắp đèn trước Tết.")
    # The meeting's conclusion, then finalise (the confirmation answered from the keyboard).
    alt(editor, tabs.tabText(TAB_CONCLUSION))
    assert focused() is editor.conclusion
    typed("Các hộ thống nhất thực hiện.")
    when_shown(QMessageBox, press_in_box("Hoàn tất"))
    alt(editor, editor.finalise_button.text(), until=lambda: editor.draft.is_final)
    qtbot.waitUntil(lambda: editor.draft.is_final, timeout=WAIT_MS)
    settle(page)
    with seeded.db.session() as s:
        saved = meeting_drafts.load_draft(s, editor.meeting_id)
    assert (saved.status, saved.minutes_number, saved.starts_at) == (MeetingStatus.FINAL, 1,
                                                                     datetime(2024, 3, 15, 19, 30))
    assert saved.place == "Nhà văn hóa ấp Lợi An" and saved.chair_name == "Nguyễn Văn Ba"
    assert {a.household_name: (a.status, a.reason) for a in saved.attendance} == {
        "Nguyễn Văn Ba": (AttendanceStatus.PRESENT, None), "Lê Thị Hoa": (AttendanceStatus.PRESENT, None),
        "Trần Minh Tâm": (AttendanceStatus.ABSENT_EXCUSED, "Đi làm ăn xa")}
    [saved_item] = saved.agenda
    assert (saved_item.title, saved_item.content, saved_item.conclusion) == (
        "Phòng, chống trộm cắp tài sản", "Tổ trưởng thông báo tình hình trộm cắp.", "Lắp đèn trước Tết.")
    assert (saved_item.votes_for, saved_item.votes_against, saved_item.votes_other) == (2, 0, 0)
    assert [(o.speaker_name, o.text) for o in saved_item.opinions] == [("Ông Tư", "Đề nghị lắp đèn đầu hẻm.")]
    assert saved.closing_conclusion == "Các hộ thống nhất thực hiện."


# --------------------------------------------------------------------------- the keys one by one


def _open(qtbot, page, seeded, **header):
    with seeded.db.session() as s:
        mid = meeting_drafts.new_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
    editor = page.open_editor(mid)
    editor.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and editor.isAncestorOf(focused()))
    return editor


def test_the_cursor_starts_in_the_first_field_and_tab_leaves_the_attendance_grid(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    assert focused() is editor.general.kind
    key(Qt.Key.Key_PageDown, CTRL)
    grid = editor.attendance
    tab_until(lambda w: w is grid.table)
    key(Qt.Key.Key_Tab)
    assert not isinstance(focused(), QTableView) and editor.isAncestorOf(focused())
    assert grid.table.currentIndex().column() in (-1, 0)  # Tab did not walk the cells


def test_ctrl_tab_and_ctrl_page_down_change_tabs_from_any_field(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    tabs = editor.tabs
    key(Qt.Key.Key_Tab, CTRL)
    assert tabs.currentIndex() == TAB_ATTENDANCE and editor.attendance.isAncestorOf(focused())
    key(Qt.Key.Key_PageDown, CTRL, times=2)
    assert tabs.currentIndex() == TAB_CONCLUSION and focused() is editor.conclusion
    key(Qt.Key.Key_Tab, CTRL | SHIFT)
    assert tabs.currentIndex() == TAB_AGENDA
    key(Qt.Key.Key_Backtab, CTRL | SHIFT)  # how a keyboard sends Shift+Tab
    assert tabs.currentIndex() == TAB_ATTENDANCE
    key(Qt.Key.Key_PageDown, CTRL)
    key(Qt.Key.Key_PageUp, CTRL, times=2)
    assert tabs.currentIndex() == TAB_GENERAL
    key(Qt.Key.Key_PageUp, CTRL)  # round to the last tab
    assert tabs.currentIndex() == tabs.count() - 1


def test_tab_after_a_new_opinion_goes_on_to_the_votes_and_the_conclusion(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    alt(editor, editor.tabs.tabText(TAB_AGENDA))
    alt(editor, editor.agenda.add_button.text(), until=lambda: editor.agenda.current_editor() is not None)
    item = editor.agenda.current_editor()
    for _ in range(2):  # two opinions, each added from the keyboard
        tab_until(lambda w: w is item.opinions.add_button)
        key(Qt.Key.Key_Space)
        typed("Ông Tư")
        key(Qt.Key.Key_Tab)
        typed("Đồng ý.")
    tab_until(lambda w: not item.opinions.isAncestorOf(w))
    assert focused() is item.votes_for or item.votes_for.isAncestorOf(focused())
    key(Qt.Key.Key_Tab, times=3)
    assert focused() is item.conclusion
    assert not editor.view_button.hasFocus()


def test_esc_closes_the_editor_and_asks_first_when_what_is_typed_cannot_be_saved(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    tab_until(lambda w: w is editor.general.start_time)
    key(Qt.Key.Key_A, CTRL)
    typed("25:99")
    key(Qt.Key.Key_Tab)  # the autosave refuses the time
    asked: list[str] = []
    when_shown(QMessageBox, lambda box: asked.append(box.text()) or press_in_box("Hủy")(box))
    key(Qt.Key.Key_Escape)
    assert asked and "Chưa lưu được các thay đổi mới nhất" in asked[0]
    assert editor.isVisible() and editor.general.start_time.text() == "25:99"
    editor.activateWindow()  # the window manager gives the focus back when the box closes
    qtbot.waitUntil(lambda: focused() is not None)
    when_shown(QMessageBox, press_in_box("Đóng, bỏ thay đổi"))
    key(Qt.Key.Key_Escape)
    assert page.editors == {}  # closed (and deleted)


def test_esc_closes_at_once_when_everything_is_saved(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    meeting_id = editor.meeting_id
    tab_until(lambda w: w is editor.general.place)
    key(Qt.Key.Key_A, CTRL)
    typed("Nhà văn hóa")
    key(Qt.Key.Key_Escape)
    assert page.editors == {}  # closed (and deleted)
    with seeded.db.session() as s:
        assert meeting_drafts.load_draft(s, meeting_id).place == "Nhà văn hóa"  # saved on closing


def test_esc_in_a_grid_cell_cancels_the_cell_not_the_editor(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    key(Qt.Key.Key_Tab, CTRL)
    grid = editor.attendance
    key(Qt.Key.Key_A, CTRL | SHIFT)
    tab_until(lambda w: w is grid.table)
    key(Qt.Key.Key_Right, times=COL_REPRESENTATIVE)  # editable when present
    typed("Vợ")
    key(Qt.Key.Key_Escape)
    assert editor.isVisible() and grid.model.rows()[0].representative is None


def test_one_key_marks_everyone_present_and_finalising_names_who_is_unmarked(qtbot, page, seeded, monkeypatch):
    editor = _open(qtbot, page, seeded)
    shown: list[str] = []
    monkeypatch.setattr(message_box, "warning", lambda _parent, _title, text, *a: shown.append(text))
    alt(editor, editor.finalise_button.text(), until=lambda: shown)
    assert shown[0].startswith("Còn 3 hộ chưa điểm danh (Nguyễn Văn Ba, Lê Thị Hoa, Trần Minh Tâm).")
    assert editor.tabs.currentIndex() == TAB_ATTENDANCE and not editor.draft.is_final
    key(Qt.Key.Key_A, CTRL | SHIFT)
    assert {a.status for a in editor.attendance.model.rows()} == {AttendanceStatus.PRESENT}


def _visible_mnemonics(window) -> list[str]:
    """The Alt+letters a clerk can press now: tabs and the buttons and labels shown."""
    letters = []
    for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
        if widget.isVisible() and (not isinstance(widget, QLabel) or widget.buddy() is not None):
            letters += [m] if (m := mnemonic_of(widget.text())) else []
    for tabs in window.findChildren(QTabWidget):
        letters += [m for i in range(tabs.count()) if (m := mnemonic_of(tabs.tabText(i)))]
    return letters


def test_no_alt_letter_is_used_twice_on_any_tab_of_the_editor(qtbot, page, seeded):
    editor = _open(qtbot, page, seeded)
    editor.agenda.add_item()  # an item's fields too
    for index in range(editor.tabs.count()):
        key(Qt.Key.Key_PageDown, CTRL) if index else None
        letters = _visible_mnemonics(editor)
        assert len(letters) >= 8
        assert sorted(letters) == sorted(set(letters)), editor.tabs.tabText(index)


# --------------------------------------------------------------------------- a second meeting the same day


def _meeting_count(seeded) -> int:
    with seeded.db.session() as s:
        return len(meetings.list_meetings(s, group_id=seeded.group_a1))


def _new_meeting_dialog_for(qtbot, page, day: str):
    page.new_record()
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and dialog.isAncestorOf(focused()))
    tab_until(lambda w: w is dialog.day)
    key(Qt.Key.Key_A, CTRL)
    typed(day)
    return dialog


def test_a_second_meeting_of_the_group_the_same_day_is_asked_about_not_refused(qtbot, page, seeded):
    with seeded.db.session() as s:
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 7, 0))
    dialog = _new_meeting_dialog_for(qtbot, page, "15/03/2024")
    asked: list[str] = []
    when_shown(QMessageBox, lambda box: asked.append(box.text()) or press_in_box("Hủy")(box))
    key(Qt.Key.Key_Return)
    settle(page)
    assert asked == ["Tổ NDTQ số 1 – ấp Lợi An đã có buổi họp ngày 15/03/2024 (lúc 07:00).\n"
                     "Tạo thêm một buổi họp nữa trong cùng ngày?"]
    assert dialog.isVisible() and _meeting_count(seeded) == 1 and page.editors == {}
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.day)
    when_shown(QMessageBox, press_in_box("Vẫn tạo"))
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.editors) == 1, timeout=WAIT_MS)
    assert _meeting_count(seeded) == 2


def test_another_day_is_not_asked_about(qtbot, page, seeded, monkeypatch):
    with seeded.db.session() as s:
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 7, 0))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(f"asked: {box.text()}"))
    _new_meeting_dialog_for(qtbot, page, "16/03/2024")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.editors) == 1, timeout=WAIT_MS)
    assert _meeting_count(seeded) == 2


def test_the_editor_notes_another_meeting_the_same_day_until_the_day_is_changed(qtbot, page, seeded):
    with seeded.db.session() as s:
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 7, 0))
    editor = _open(qtbot, page, seeded)
    note = editor.general.same_day_note
    assert note.isVisible() and "đã có buổi họp khác trong ngày này (lúc 07:00)" in note.text()
    tab_until(lambda w: w is editor.general.start_day)
    key(Qt.Key.Key_A, CTRL)
    typed("16/03/2024")
    key(Qt.Key.Key_Tab)
    assert editor.save_now()
    qtbot.waitUntil(lambda: not note.isVisible())
