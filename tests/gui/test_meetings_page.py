"""The "Sinh hoạt tổ" page and the meeting editor on a real database: a meeting is
filled in by typing Vietnamese, saved as it is typed, finalised with a number,
refused further edits, amended with a reason (the earlier version kept and
shown), and what was typed is there again after the editor is closed."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QScrollArea  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from sqlmodel import select  # noqa: E402

from gocong_desktop.core.db.models import AgendaItem, AttendanceStatus, MeetingStatus  # noqa: E402
from gocong_desktop.core.errors import ConflictError  # noqa: E402
from gocong_desktop.core.services import households, meeting_drafts  # noqa: E402
from gocong_desktop.core.services.households import HouseholdInput  # noqa: E402
from gocong_desktop.gui.meetings import editor as meeting_editor
from gocong_desktop.gui.documents import pdf_preview  # noqa: E402
from gocong_desktop.gui.meetings.attendance import COL_EXCUSED, COL_PRESENT, COL_REASON, COL_REPRESENTATIVE
from gocong_desktop.gui.meetings.table import COL_NUMBER, COL_PRESENT as COL_LIST_PRESENT  # noqa: E402
from gocong_desktop.gui.main_window import NAV_TITLES, MainWindow  # noqa: E402
from gocong_desktop.gui.meetings import page as meetings_page  # noqa: E402
from gocong_desktop.gui import message_box
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402

SAVE_TIMEOUT_MS = 5000


from tests.gui import meetings_page_fixtures as _shared  # noqa: E402

ctx, page = _shared.ctx, _shared.page  # the shared fixtures, by the names the tests ask for


@pytest.fixture
def confirmations(monkeypatch):
    """Every confirmation box says yes; what was asked is kept."""
    asked: list[str] = []
    for module in (meeting_editor, meetings_page):
        monkeypatch.setattr(module, "confirm", lambda _p, title, *a: asked.append(title) or True)
    return asked


def _load(seeded, meeting_id):
    with seeded.db.session() as s:
        return meeting_drafts.load_draft(s, meeting_id)


def _new_meeting_through_dialog(qtbot, page, seeded):
    page.hamlet = None
    page.new_record()
    dialog = page.dialog
    dialog.group.setCurrentIndex(dialog.group.findData(seeded.group_a1))
    dialog.day.setText("15/03/2024")
    dialog.start_time.setText("19:30")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(page.editors) == 1, timeout=SAVE_TIMEOUT_MS)
    editor = next(iter(page.editors.values()))
    editor.attendance.all_present_button.click()  # the roll call: a new meeting starts unmarked
    return editor


def _edit_cell(qtbot, table, row: int, column: int, text: str) -> None:
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.indexWidget(index)  # the cell's open editor
    assert isinstance(editor, QLineEdit), "no cell editor opened"
    type_text(editor, text, input_method=True)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits, as a clerk presses Enter


def _fill_in(qtbot, editor, seeded) -> None:
    general = editor.general
    general.place.clear()
    type_text(general.place, "Nhà văn hóa ấp Lợi An", input_method=True)
    general.end_time.setText("21:00")
    general.end_time.editingFinished.emit()
    general.guests.add_button.click()
    guest = general.guests.rows[0]
    type_text(guest.name, "Đ/c Trần Minh Tâm")
    type_text(guest.organisation, "Công an xã", input_method=True)
    # The deputy, the default secretary, is away tonight (below): Trần Minh Tâm writes the minutes
    # (finishing refuses a secretary listed as absent).
    general.secretary.set_value("Trần Minh Tâm", seeded.households["Trần Minh Tâm"])
    general.secretary_role.setText("Tổ viên")
    # Attendance: one absent with a reason, a representative for another.
    grid = editor.attendance
    grid.model.setData(grid.model.index(1, COL_EXCUSED), Qt.CheckState.Checked.value,
                       Qt.ItemDataRole.CheckStateRole)
    _edit_cell(qtbot, grid.table, 1, COL_REASON, "Đi làm ăn xa")
    _edit_cell(qtbot, grid.table, 0, COL_REPRESENTATIVE, "Vợ: Lê Thị Mười")
    # Two agenda items, the first with an opinion and votes.
    agenda = editor.agenda
    first = agenda.add_item()
    type_text(first.title, "Phòng, chống trộm cắp tài sản", input_method=True)
    type_text(first.content, "Tổ trưởng thông báo tình hình\ntrộm cắp trong ấp.")
    first.opinions.add_button.click()
    opinion = first.opinions.rows[0]
    opinion.speaker.setCurrentIndex(opinion.speaker.findData(seeded.households["Trần Minh Tâm"]))
    type_text(opinion.text, "Đề nghị lắp đèn đầu hẻm.", input_method=True)
    first.votes_for.setValue(1)
    first.votes_against.setValue(0)
    first.votes_other.setValue(1)
    type_text(first.conclusion, "Lắp đèn trước Tết.")
    second = agenda.add_item()
    type_text(second.title, "Vệ sinh môi trường")
    type_text(editor.conclusion, "Các hộ thống nhất thực hiện.", input_method=True)


def test_meeting_filled_in_saved_finalised_refused_and_amended(qtbot, page, seeded, confirmations,
                                                                monkeypatch):
    editor = _new_meeting_through_dialog(qtbot, page, seeded)
    assert editor.general.place.text() == "Nhà ông/bà Nguyễn Văn Ba, 10 đường liên ấp"  # leader's address
    assert editor.general.chair.currentText() == "Nguyễn Văn Ba"
    _fill_in(qtbot, editor, seeded)
    assert editor.attendance.count_label.text() == "2/3 hộ có mặt (vắng có lý do: 1; không lý do: 0)"
    # Saved by itself after a pause in typing.
    qtbot.waitUntil(lambda: editor.status.text().startswith("Đã lưu lúc"), timeout=SAVE_TIMEOUT_MS)
    d = _load(seeded, editor.meeting_id)
    assert (d.place, d.ends_at, d.closing_conclusion) == ("Nhà văn hóa ấp Lợi An", datetime(2024, 3, 15, 21),
                                                          "Các hộ thống nhất thực hiện.")
    assert [(g.name, g.organisation) for g in d.guests] == [("Đ/c Trần Minh Tâm", "Công an xã")]
    hoa = next(a for a in d.attendance if a.household_name == "Lê Thị Hoa")
    assert (hoa.status, hoa.reason) == (AttendanceStatus.ABSENT_EXCUSED, "Đi làm ăn xa")
    assert d.attendance[0].representative == "Vợ: Lê Thị Mười"
    assert [i.title for i in d.agenda] == ["Phòng, chống trộm cắp tài sản", "Vệ sinh môi trường"]
    item = d.agenda[0]
    assert (item.votes_for, item.votes_against, item.votes_other) == (1, 0, 1)
    assert item.content == "Tổ trưởng thông báo tình hình\ntrộm cắp trong ấp."
    assert [(o.household_id, o.text) for o in item.opinions] == [(seeded.households["Trần Minh Tâm"],
                                                                  "Đề nghị lắp đèn đầu hẻm.")]
    # Finalise: asks first, numbers the minutes, locks the form.
    editor.finalise_button.click()
    qtbot.waitUntil(lambda: editor.draft.is_final, timeout=SAVE_TIMEOUT_MS)
    assert confirmations == ["Hoàn tất biên bản"]
    assert "Số 01/BB-TNDTQ" in editor.banner.text() and "Số 01/BB-TNDTQ" in editor.status.text()
    assert _load(seeded, editor.meeting_id).minutes_number == 1
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, COL_NUMBER)) == "01/BB-TNDTQ")
    # Editing is refused: the widgets are read-only, and so is the service.
    assert editor.general.place.isReadOnly() and editor.agenda.editors[0].title.isReadOnly()
    assert not editor.agenda.add_button.isEnabled() and editor.general.guests.add_button.isHidden()
    grid = editor.attendance.model
    assert not grid.setData(grid.index(0, COL_EXCUSED), Qt.CheckState.Checked.value,
                            Qt.ItemDataRole.CheckStateRole)
    assert not editor.finalise_button.isVisible() and editor.amend_button.isVisible()
    with pytest.raises(ConflictError):
        with seeded.db.session() as s:
            meeting_drafts.save_draft(s, editor.meeting_id, meeting_drafts.load_draft(s, editor.meeting_id))
    # Amend: a reason is required (the box stays open without one), the old version is kept.
    warned = []
    monkeypatch.setattr(message_box, "warning", lambda _p, _t, text, *a: warned.append(text))
    editor.amend_button.click()
    editor.prompt.accept()  # nothing typed
    qtbot.waitUntil(lambda: bool(warned), timeout=SAVE_TIMEOUT_MS)
    assert warned == ["Chưa nhập lý do đính chính."] and editor.prompt.isVisible() and editor.read_only
    editor.prompt.setTextValue("Ghi nhầm số phiếu tán thành")
    editor.prompt.accept()
    qtbot.waitUntil(lambda: not editor.read_only, timeout=SAVE_TIMEOUT_MS)
    assert editor.history.table.rowCount() == 1
    assert editor.history.table.item(0, 1).text() == "Ghi nhầm số phiếu tán thành"
    editor.agenda.editors[0].votes_other.setValue(0)
    editor.agenda.editors[0].votes_for.setValue(2)
    assert editor.save_now()
    editor.history.view_button.click()
    earlier = editor.history.dialog.text.toPlainText()
    assert "Biểu quyết: tán thành 1, không tán thành 0, ý kiến khác 1" in earlier
    assert "Lê Thị Hoa: vắng có lý do (Đi làm ăn xa)" in earlier
    assert "Ý kiến của hộ Trần Minh Tâm: Đề nghị lắp đèn đầu hẻm." in earlier
    editor.finalise_button.click()
    qtbot.waitUntil(lambda: editor.draft.is_final, timeout=SAVE_TIMEOUT_MS)
    d = _load(seeded, editor.meeting_id)
    assert (d.minutes_number, d.agenda[0].votes_for, d.status) == (1, 2, MeetingStatus.FINAL)
    # Rows added by the first save kept their ids: later saves added no copies.
    assert (len(d.guests), len(d.agenda), len(d.agenda[0].opinions)) == (1, 2, 1)


def test_nothing_typed_is_lost_when_the_editor_closes(qtbot, page, seeded, confirmations):
    editor = _new_meeting_through_dialog(qtbot, page, seeded)
    meeting_id = editor.meeting_id
    item = editor.agenda.add_item()
    type_text(item.title, "An toàn giao thông", input_method=True)
    type_text(editor.general.chair_role, " kiêm Trưởng ban")
    editor.close()  # at once, before the pause that saves by itself
    assert meeting_id not in page.editors
    d = _load(seeded, meeting_id)
    assert [i.title for i in d.agenda] == ["An toàn giao thông"]
    assert d.chair_role == "Tổ trưởng kiêm Trưởng ban"
    reopened = page.open_editor(meeting_id)
    assert reopened is not editor
    assert reopened.agenda.editors[0].title.text() == "An toàn giao thông"
    assert reopened.general.chair_role.text() == "Tổ trưởng kiêm Trưởng ban"
    assert reopened.status.text() == ""  # nothing pending


def test_wrong_time_is_shown_under_its_field_and_saved_once_fixed(qtbot, page, seeded, confirmations):
    editor = _new_meeting_through_dialog(qtbot, page, seeded)
    general = editor.general
    general.end_time.setText("18:00")  # before the start at 19:30
    general.end_time.editingFinished.emit()
    assert editor.save_now() is False
    assert "Chưa lưu được" in editor.status.text()
    assert "sau giờ bắt đầu" in general.errors.message("ends_at")
    assert _load(seeded, editor.meeting_id).ends_at is None
    general.end_time.setText("21 giờ 15")
    general.end_time.editingFinished.emit()
    assert editor.save_now()
    assert general.errors.message("ends_at") == ""
    assert _load(seeded, editor.meeting_id).ends_at == datetime(2024, 3, 15, 21, 15)


def test_all_present_and_household_joined_later(qtbot, page, seeded, confirmations):
    editor = _new_meeting_through_dialog(qtbot, page, seeded)
    grid = editor.attendance
    for row in (0, 2):
        grid.model.setData(grid.model.index(row, COL_EXCUSED), Qt.CheckState.Checked.value,
                           Qt.ItemDataRole.CheckStateRole)
    assert grid.count_label.text().startswith("1/3 hộ có mặt")
    grid.all_present_button.click()
    assert grid.count_label.text() == "3/3 hộ có mặt (vắng có lý do: 0; không lý do: 0)"
    assert editor.save_now()
    editor.close()
    with seeded.db.session() as s:
        households.create_household(s, HouseholdInput(head_name="Huỳnh Văn Mới", hamlet_id=seeded.hamlet_a,
                                                      group_id=seeded.group_a1))
    editor = page.open_editor(editor.meeting_id)
    grid = editor.attendance
    assert grid.model.rowCount() == 3 and grid.add_missing_button.text() == "Thêm hộ mới vào tổ (1)"
    grid.add_missing_button.click()
    assert grid.model.rowCount() == 4 and grid.add_missing_button.isHidden()
    assert grid.model.data(grid.model.index(3, COL_PRESENT), Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Unchecked  # a household added later starts unmarked (issue 18)
    assert grid.model.rows()[3].status == AttendanceStatus.UNMARKED
    grid.model.setData(grid.model.index(3, COL_PRESENT), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert editor.save_now()
    assert "Huỳnh Văn Mới" in {a.household_name for a in _load(seeded, editor.meeting_id).attendance}
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, COL_LIST_PRESENT)) == "4/4")


def _meeting(seeded, group_id, when, *, final=False) -> str:
    with seeded.db.session() as s:
        meeting_id = meeting_drafts.new_meeting(s, attendance="present", group_id=group_id, starts_at=when)
        draft = meeting_drafts.load_draft(s, meeting_id)
        draft.chair_name, draft.secretary_name = "Nguyễn Văn Ba", "Lê Thị Hoa"
        draft.agenda = [meeting_drafts.AgendaDraft("Tình hình an ninh trật tự")]
        meeting_drafts.save_draft(s, meeting_id, draft)
        if final:
            meeting_drafts.finalise_draft(s, meeting_id)
    return meeting_id


def _listed(page) -> list[str]:
    return [r.id for r in page.model.rows()]


def test_filters_narrow_the_list(qtbot, page, seeded):
    old = _meeting(seeded, seeded.group_a1, datetime(2024, 2, 10, 19), final=True)
    new = _meeting(seeded, seeded.group_a2, datetime(2024, 5, 10, 19, 30))
    far = _meeting(seeded, seeded.group_b3, datetime(2023, 11, 5, 8))
    page.refresh()
    settle(page)
    assert _listed(page) == [new, old, far]  # newest first
    filters = page.filters
    filters.hamlet.setCurrentIndex(filters.hamlet.findData(seeded.hamlet_a))
    settle(page)
    assert _listed(page) == [new, old]
    filters.group.setCurrentIndex(filters.group.findData(seeded.group_a1))
    settle(page)
    assert _listed(page) == [old]
    filters.hamlet.setCurrentIndex(0)
    settle(page)
    filters.group.setCurrentIndex(0)
    filters.period.setCurrentIndex(filters.period.findText("Quý II/2024"))
    settle(page)
    assert (filters.since.text(), filters.until.text()) == ("01/04/2024", "30/06/2024")
    assert _listed(page) == [new]
    filters.period.setCurrentIndex(filters.period.findText("Năm 2023"))
    settle(page)
    assert _listed(page) == [far]
    filters.since.setText("1/1/2024")
    filters.until.setText("29/2/2024")
    filters.until.editingFinished.emit()
    settle(page)
    assert filters.period.currentText() == "Khoảng ngày tự chọn" and _listed(page) == [old]
    filters.until.setText("31/02/2024")
    filters.until.editingFinished.emit()
    settle(page)
    assert "không hợp lệ" in filters.error.text() and _listed(page) == [old]
    filters.period.setCurrentIndex(0)
    settle(page)
    filters.status.setCurrentIndex(filters.status.findData(MeetingStatus.FINAL.value))
    settle(page)
    assert _listed(page) == [old]


def test_page_actions_follow_the_status(qtbot, page, seeded, confirmations):
    final = _meeting(seeded, seeded.group_a1, datetime(2024, 2, 10, 19), final=True)
    draft = _meeting(seeded, seeded.group_a2, datetime(2024, 5, 10, 19, 30))
    page.refresh()
    settle(page)
    page.select(final)
    assert page.amend_button.isEnabled() and not page.finalise_button.isEnabled()
    assert not page.delete_button.isEnabled()
    page.select(draft)
    assert page.finalise_button.isEnabled() and page.delete_button.isEnabled()
    page.finalise_button.click()
    qtbot.waitUntil(lambda: _load(seeded, draft).is_final, timeout=SAVE_TIMEOUT_MS)
    assert _load(seeded, draft).minutes_number == 1
    page.select(final)
    page.amend_button.click()
    page.prompt.setTextValue("Sai giờ bắt đầu")
    page.prompt.accept()
    qtbot.waitUntil(lambda: final in page.editors, timeout=SAVE_TIMEOUT_MS)
    assert not page.editors[final].read_only
    with seeded.db.session() as s:
        history = meeting_drafts.meeting_history(s, final)
    assert [h.reason for h in history] == ["Sai giờ bắt đầu"]


LONG_AMEND_REASON = "Ghi nhầm số phiếu tán thành ở nội dung thứ nhất, đã đối chiếu lại với thư ký. " * 14


@pytest.mark.parametrize("from_editor", [False, True], ids=["from the list", "from the open editor"])
def test_a_refused_amendment_reason_comes_back_in_its_box(qtbot, page, seeded, monkeypatch, from_editor):
    """Over its 1,000 characters: the message says so and the box is there again with the text."""
    warned = []
    monkeypatch.setattr(message_box, "warning", lambda _p, _t, text, *a: warned.append(text))
    final = _meeting(seeded, seeded.group_a1, datetime(2024, 2, 10, 19), final=True)
    page.refresh()
    settle(page)
    page.select(final)
    if from_editor:
        page.open_editor(final)
    when_shown(QInputDialog, lambda box: (box.setTextValue(LONG_AMEND_REASON), box.accept()))
    (page.editors[final].amend_button if from_editor else page.amend_button).click()
    qtbot.waitUntil(lambda: bool(warned), timeout=SAVE_TIMEOUT_MS)
    settle(page)
    assert len(LONG_AMEND_REASON) > 1000 and "1000" in warned[0].replace(".", "")
    assert _load(seeded, final).is_final
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()]
    assert [box.textValue() for box in boxes] == [LONG_AMEND_REASON]
    boxes[0].setTextValue("Ghi nhầm số phiếu tán thành")
    boxes[0].accept()
    qtbot.waitUntil(lambda: final in page.editors and not page.editors[final].read_only, timeout=SAVE_TIMEOUT_MS)
    with seeded.db.session() as s:
        assert [h.reason for h in meeting_drafts.meeting_history(s, final)] == ["Ghi nhầm số phiếu tán thành"]


def test_deleting_a_draft(qtbot, page, seeded, confirmations):
    draft = _meeting(seeded, seeded.group_a2, datetime(2024, 5, 10, 19, 30))
    page.refresh()
    settle(page)
    page.select(draft)
    page.open_editor(draft)
    page.delete_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=SAVE_TIMEOUT_MS)
    assert confirmations == ["Xóa bản nháp"] and draft not in page.editors


def test_minutes_and_blank_form_open_as_pdf(qtbot, page, seeded, monkeypatch, tmp_path):
    opened: list[str] = []
    previews = []

    def shown(dialog):  # the real preview, rendered by pdfium; recorded instead of shown
        previews.append(dialog)
        opened.append(str(dialog.path))

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "open", shown)
    monkeypatch.setattr(pdf_preview, "preview_folder", lambda: tmp_path)
    meeting_id = _meeting(seeded, seeded.group_a1, datetime(2024, 3, 15, 19, 30))
    page.refresh()
    settle(page)
    page.select(meeting_id)
    page.view_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=SAVE_TIMEOUT_MS)
    assert opened[0].endswith("bien-ban-to-1-2024-03-15.pdf")
    assert previews[0].page_count >= 1 and previews[0].pages_layout.count() == previews[0].page_count
    text = "".join(p.extract_text() for p in PdfReader(opened[0]).pages)
    assert "BIÊN BẢN" in text and "Tình hình an ninh trật tự" in text
    page.blank_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=SAVE_TIMEOUT_MS)
    assert opened[1].endswith("mau-bien-ban-to-1.pdf")
    assert "Nguyễn Văn Ba" in "".join(p.extract_text() for p in PdfReader(opened[1]).pages)
    # From the editor, the PDF shows what was just typed (saved first).
    editor = page.open_editor(meeting_id)
    type_text(editor.conclusion, "Giao tổ trưởng theo dõi.", input_method=True)
    editor.view_button.click()
    qtbot.waitUntil(lambda: len(opened) == 3, timeout=SAVE_TIMEOUT_MS)
    assert "Giao tổ trưởng theo dõi." in "".join(p.extract_text() for p in PdfReader(opened[2]).pages)


def test_minutes_saved_as_pdf_or_word(qtbot, page, seeded, monkeypatch, tmp_path):
    """«Lưu PDF/Word…»: the filter chosen (or the suffix typed) picks the form."""
    from docx import Document

    from gocong_desktop.gui.documents.pdf_preview import PDF_FILTER, WORD_FILTER

    answers = [(tmp_path / "bb", WORD_FILTER), (tmp_path / "bb-in.pdf", WORD_FILTER), (tmp_path / "bb2", PDF_FILTER)]
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (lambda p, f: (str(p), f))(*answers.pop(0))))
    meeting_id = _meeting(seeded, seeded.group_a1, datetime(2024, 3, 15, 19, 30))
    page.refresh()
    settle(page)
    page.select(meeting_id)
    for expected in ("bb.docx", "bb-in.pdf", "bb2.pdf"):
        page.save_pdf_button.click()
        qtbot.waitUntil(lambda: (tmp_path / expected).exists(), timeout=SAVE_TIMEOUT_MS)
    assert "BIÊN BẢN" in [p.text for p in Document(str(tmp_path / "bb.docx")).paragraphs]
    assert (tmp_path / "bb-in.pdf").read_bytes()[:5] == b"%PDF-"


def test_editor_fits_a_1366_by_768_screen(qtbot, page, seeded, confirmations):
    editor = page.open_editor(_meeting(seeded, seeded.group_a1, datetime(2024, 3, 15, 19, 30)))
    hint = editor.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728
    assert editor.width() <= 1366 and editor.height() <= 728


def test_closing_the_main_window_saves_an_open_editor(qtbot, ctx, seeded, confirmations):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.widget(NAV_TITLES.index("Sinh hoạt tổ")) is window.meetings_page
    meeting_id = _meeting(seeded, seeded.group_a1, datetime(2024, 3, 15, 19, 30))
    editor = window.meetings_page.open_editor(meeting_id)
    type_text(editor.conclusion, "Giao tổ trưởng theo dõi.", input_method=True)
    window.close()
    assert _load(seeded, meeting_id).closing_conclusion == "Giao tổ trưởng theo dõi."
    assert not window.meetings_page.editors


def _type_number(qtbot, box, value: int) -> None:
    """As a clerk types in a vote box: select what is there, type the digits."""
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(value))


def test_votes_above_the_households_present_are_shown_while_typing_and_refused(qtbot, page, seeded,
                                                                                 confirmations, monkeypatch):
    editor = _new_meeting_through_dialog(qtbot, page, seeded)
    item = editor.agenda.add_item()
    type_text(item.title, "Phòng, chống trộm cắp", input_method=True)
    _type_number(qtbot, item.votes_for, 3)
    assert item.votes_message() == ""  # 3 of 3 households present
    qtbot.waitUntil(lambda: editor.status.text().startswith("Đã lưu lúc"), timeout=SAVE_TIMEOUT_MS)
    _type_number(qtbot, item.votes_other, 1)
    assert item.votes_message() == ("Tổng số biểu quyết 4 (tán thành 3, không tán thành 0, ý kiến khác 1) "
                                    "vượt quá số hộ có mặt (3). Hãy sửa số biểu quyết hoặc điểm danh cho khớp.")
    assert not item.votes_error.isHidden()
    # Saving is refused with the service's words; finalising too, and it shows the item.
    qtbot.waitUntil(lambda: editor.status.text().startswith("Chưa lưu được: Nội dung 1 «Phòng, chống trộm cắp»"),
                    timeout=SAVE_TIMEOUT_MS)
    warned = []
    monkeypatch.setattr(message_box, "warning", lambda _p, _t, text, *a: warned.append(text))
    editor.tabs.setCurrentIndex(meeting_editor.TAB_GENERAL)
    editor.finalise_button.click()
    assert warned == [editor.status.text().removeprefix("Chưa lưu được: ")] and confirmations == []
    assert editor.tabs.currentIndex() == meeting_editor.TAB_AGENDA and not editor.draft.is_final
    assert _load(seeded, editor.meeting_id).agenda[0].votes_other is None
    # Fixed: the message goes, the votes are saved.
    _type_number(qtbot, item.votes_other, 0)
    assert item.votes_message() == ""
    assert editor.save_now()
    assert _load(seeded, editor.meeting_id).agenda[0].votes_other == 0
    # A household marked absent afterwards: the votes are over again, said at once.
    grid = editor.attendance
    grid.model.setData(grid.model.index(2, COL_EXCUSED), Qt.CheckState.Checked.value,
                       Qt.ItemDataRole.CheckStateRole)
    assert "vượt quá số hộ có mặt (2)" in item.votes_message()
    assert not editor.save_now()


def test_minutes_stored_with_votes_above_attendance_open_showing_the_problem(qtbot, page, seeded):
    with seeded.db.session() as s:
        mid = meeting_drafts.new_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
        draft = meeting_drafts.load_draft(s, mid)
        draft.agenda = [meeting_drafts.AgendaDraft("An ninh trật tự", votes_for=2)]
        meeting_drafts.save_draft(s, mid, draft)
    with seeded.db.session() as s:  # as an earlier version let it be typed
        s.exec(select(AgendaItem).where(AgendaItem.meeting_id == mid)).one().votes_for = 40
    editor = meeting_editor.MeetingEditor(page.ctx, mid)
    qtbot.addWidget(editor)
    item = editor.agenda.editors[0]
    assert item.votes_for.value() == 40 and "Tổng số biểu quyết 40" in item.votes_message()
    _type_number(qtbot, item.votes_for, 3)
    assert item.votes_message() == "" and editor.save_now()
    assert _load(seeded, mid).agenda[0].votes_for == 3


@pytest.mark.parametrize("size", [(984, 720), (779, 574)], ids=["1024x768", "1024x768 at 125%"])
def test_the_vote_counts_show_whole_on_a_small_screen(qtbot, page, seeded, size):
    """The editor at the size a 1024×768 screen gives it: the three counts wrap under
    «Biểu quyết» rather than run off to the right (the last one used to be cut)."""
    with seeded.db.session() as s:
        mid = meeting_drafts.new_meeting(s, attendance="present", group_id=seeded.group_a1,
                                         starts_at=datetime(2024, 3, 15, 19, 30))
    editor = meeting_editor.MeetingEditor(page.ctx, mid)
    qtbot.addWidget(editor)
    editor.resize(*size)
    editor.show()
    editor.tabs.setCurrentWidget(editor.agenda)
    item = editor.agenda.add_item()
    qtbot.waitUntil(item.isVisible)
    scroll = next(p for p in _ancestors(item.votes_other) if isinstance(p, QScrollArea))
    viewport = scroll.viewport()
    for box in (item.votes_for, item.votes_against, item.votes_other, item.title):
        right = box.mapTo(viewport, box.rect().topRight()).x()
        assert box.isVisible() and right <= viewport.width(), (box, right, viewport.width())
    editor.close()


def _ancestors(widget):
    while (widget := widget.parentWidget()) is not None:
        yield widget
