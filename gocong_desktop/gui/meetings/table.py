"""Table model of meetings, fed the rows of ``list_meetings`` (newest first) a page
at a time, read off the UI thread as the list is scrolled (a large commune holds
tens of thousands)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from gocong_desktop.core.db.models import MeetingStatus
from gocong_desktop.core.services.meeting_drafts import KIND_TEXT, STATUS_TEXT, minutes_number_text
from gocong_desktop.core.services.meetings import MeetingRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.list_model import RIGHT
from gocong_desktop.gui.widgets.paged_model import PagedTableModel

COL_WHEN, COL_GROUP, COL_HAMLET, COL_KIND, COL_STATUS, COL_NUMBER, COL_PRESENT = range(7)
HEADERS = ["Thời gian", "Tổ", "Ấp", "Loại", "Trạng thái", "Số BB", "Có mặt"]
AMENDING_TEXT = "Đang đính chính"
DRAFT_COLOR = QColor("#8a5a00")


def status_text(row: MeetingRow) -> str:
    if row.status == MeetingStatus.DRAFT and row.minutes_number is not None:
        return AMENDING_TEXT  # reopened by an amendment
    return STATUS_TEXT.get(row.status, row.status)


class MeetingTableModel(PagedTableModel[MeetingRow]):
    HEADERS = HEADERS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_PRESENT:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_STATUS \
                and row.status != MeetingStatus.FINAL:
            return QBrush(DRAFT_COLOR)
        return None

    @staticmethod
    def _display(row: MeetingRow, column: int) -> str:
        values = {COL_WHEN: f"{format_date(row.starts_at.date())} {row.starts_at:%H:%M}",
                  COL_GROUP: row.group_name, COL_HAMLET: row.hamlet_name,
                  COL_KIND: KIND_TEXT.get(row.kind, row.kind).capitalize(), COL_STATUS: status_text(row),
                  COL_NUMBER: minutes_number_text(row.minutes_number), COL_PRESENT: f"{row.present}/{row.total}"}
        return values.get(column) or ""
