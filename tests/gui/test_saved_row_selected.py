"""After a save in a list page, the record saved is the row selected and shown,
even when it sorts beyond the rows read so far (the list reads on to it)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gocong_desktop.core.services import households, meetings, propaganda  # noqa: E402
from gocong_desktop.core.services.propaganda import KIND_LABELS  # noqa: E402
from gocong_desktop.gui.households.dialog import HouseholdDialog  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
from gocong_desktop.gui.meetings.new_dialog import NewMeetingDialog  # noqa: E402
from gocong_desktop.gui.meetings.page import MeetingsPage  # noqa: E402
from gocong_desktop.gui.prevention.propaganda_panel import PropagandaDialog, PropagandaPanel  # noqa: E402
from gocong_desktop.gui.widgets.rows_table import selected_row  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402


def _shown_page(qtbot, page, rows_per_read: int):
    qtbot.addWidget(page)
    page.model.page_size = rows_per_read  # a long list in miniature: rows are read a few at a time
    page.resize(1100, 180)  # a few rows shown: the view reads no further by itself
    page.show()
    settle(page)
    return page


def _selected_and_visible(page, row_id: str) -> bool:
    selected = page.selected()
    if selected is None or selected.id != row_id:
        return False
    index = page.table.currentIndex()
    return page.table.viewport().rect().intersects(page.table.visualRect(index))


def _type_and_save(dialog: HouseholdDialog, name: str) -> None:
    dialog.activateWindow()
    type_text(dialog.head_name, name)
    QTest.keyClick(dialog.head_name, Qt.Key.Key_Return)


def test_a_new_household_sorted_past_the_rows_read_is_selected_and_shown(qtbot, seeded, seeded_ctx):
    page = _shown_page(qtbot, HouseholdsPage(seeded_ctx), 2)
    assert page.model.rowCount() < page.model.total == 7
    when_shown(HouseholdDialog, lambda dialog: _type_and_save(dialog, "Võ Văn Út"))
    page.new_record()
    with seeded.db.session() as s:
        new_id = households.list_households(s, search="vo van ut")[0].id
    qtbot.waitUntil(lambda: _selected_and_visible(page, new_id))
    assert page.model.total == 8


def test_an_edited_household_stays_selected(qtbot, seeded, seeded_ctx):
    page = _shown_page(qtbot, HouseholdsPage(seeded_ctx), 500)
    tam = seeded.households["Trần Minh Tâm"]
    page.table.selectRow(page.model.row_of(tam))
    when_shown(HouseholdDialog, lambda dialog: _type_and_save(dialog, " Em"))
    page.edit_selected()
    qtbot.waitUntil(lambda: _selected_and_visible(page, tam) and page.selected().head_name.endswith("Em"))


def test_a_new_meeting_is_selected_in_the_list(qtbot, seeded, seeded_ctx):
    with seeded.db.session() as s:
        for day in range(1, 9):  # newer meetings first: the new one (older) sorts past the rows read
            meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=datetime(2025, 1, day, 19))
    page = _shown_page(qtbot, MeetingsPage(seeded_ctx), 3)

    def create(dialog: NewMeetingDialog) -> None:
        dialog.activateWindow()
        dialog.day.selectAll()
        type_text(dialog.day, "15/03/2024")
        QTest.keyClick(dialog.day, Qt.Key.Key_Return)
    when_shown(NewMeetingDialog, create)
    page.new_record()
    qtbot.waitUntil(lambda: len(page.editors) == 1)
    new_id = next(iter(page.editors))
    qtbot.waitUntil(lambda: _selected_and_visible(page, new_id))
    for editor in list(page.editors.values()):
        editor.close()
    QApplication.processEvents()


def test_a_new_propaganda_activity_is_selected(qtbot, seeded, seeded_ctx):
    with seeded.db.session() as s:
        for day in range(1, 20):
            propaganda.record_activity(s, kind=next(iter(KIND_LABELS)), activity_date=date(date.today().year, 1, 1)
                                       + timedelta(days=day), note=f"Buổi {day}")
    panel = PropagandaPanel(seeded_ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 200)
    panel.show()
    panel.reload()
    settle(seeded_ctx)

    def record(dialog: PropagandaDialog) -> None:
        dialog.activateWindow()
        type_text(dialog.note, "Phát tờ rơi phòng chống ma túy")
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)
    when_shown(PropagandaDialog, record)
    panel.add_activity()
    qtbot.waitUntil(lambda: panel.dialog.result() == PropagandaDialog.DialogCode.Accepted)
    panel.reload()  # as the page does when the write announces its change
    new_id = panel.dialog.result_value
    qtbot.waitUntil(lambda: (row := selected_row(panel.table)) is not None and row.id == new_id)
    index = panel.table.currentIndex()
    assert panel.table.viewport().rect().intersects(panel.table.visualRect(index))
