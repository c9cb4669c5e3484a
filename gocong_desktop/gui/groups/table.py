"""Table model of self-managed groups, fed the rows of ``list_groups``.

A commune has tens of groups, not thousands, so the whole list is held and
sorted in memory (Vietnamese order for names, via ``sort_key``).
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from gocong_desktop.core.services.groups import GroupRow
from gocong_desktop.core.text import format_date, sort_key
from gocong_desktop.gui.widgets.list_model import DIM_COLOR, RIGHT, SortedListModel

(COL_GROUP, COL_HAMLET, COL_HOUSEHOLDS, COL_LEADER, COL_DEPUTY, COL_LAST_MEETING,
 COL_STATUS) = range(7)
HEADERS = ["Tổ", "Ấp", "Số hộ", "Tổ trưởng", "Tổ phó", "Họp gần nhất", "Trạng thái"]
ACTIVE_TEXT, RETIRED_TEXT = "Đang hoạt động", "Đã giải thể"


def _text_key(value: str | None) -> tuple[bool, str]:
    return (not value, sort_key(value or ""))  # empty cells last


# How each column sorts: numbers as numbers, names in Vietnamese order.
SORT_KEYS: dict[int, Callable[[GroupRow], Any]] = {
    COL_GROUP: lambda r: (r.number is None, r.number or 0, sort_key(r.name)),
    COL_HAMLET: lambda r: sort_key(r.hamlet_name),
    COL_HOUSEHOLDS: lambda r: r.households,
    COL_LEADER: lambda r: _text_key(r.leader_name),
    COL_DEPUTY: lambda r: _text_key(r.deputy_name),
    COL_LAST_MEETING: lambda r: (r.last_meeting is None, r.last_meeting or 0),
    COL_STATUS: lambda r: not r.active,
}


class GroupTableModel(SortedListModel[GroupRow]):
    HEADERS = HEADERS

    def sort_key(self, column: int) -> Callable[[GroupRow], Any] | None:
        return SORT_KEYS.get(column)

    # ---- Qt model -------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_HOUSEHOLDS:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(DIM_COLOR)
        return None

    @staticmethod
    def _display(row: GroupRow, column: int) -> str:
        last = row.last_meeting.date() if row.last_meeting else None
        values = {COL_GROUP: row.name, COL_HAMLET: row.hamlet_name, COL_HOUSEHOLDS: str(row.households),
                  COL_LEADER: row.leader_name, COL_DEPUTY: row.deputy_name,
                  COL_LAST_MEETING: format_date(last),
                  COL_STATUS: ACTIVE_TEXT if row.active else RETIRED_TEXT}
        return values.get(column) or ""
