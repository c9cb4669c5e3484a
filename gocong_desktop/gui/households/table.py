"""Table model of households, fed pages of rows from SQL (sorting in SQL too).

It never holds more than what has been scrolled to, so 50,000 households stay
smooth: Qt asks for more with canFetchMore/fetchMore as the view scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from gocong_desktop.core.services.households import HouseholdRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.list_model import RIGHT

PAGE_SIZE = 500

# Column constants, never magic indexes.
COL_NAME, COL_BIRTH, COL_ADDRESS, COL_HAMLET, COL_GROUP, COL_MEMBERS, COL_PHONE, COL_CID = range(8)
HEADERS = ["Chủ hộ", "Năm sinh", "Địa chỉ", "Ấp", "Tổ", "Nhân khẩu", "Điện thoại", "CCCD"]
SORT_KEYS = {COL_NAME: "name", COL_BIRTH: "birth_year", COL_ADDRESS: "address",
             COL_HAMLET: "hamlet", COL_GROUP: "group", COL_MEMBERS: "members"}


@dataclass
class HouseholdQuery:
    search: str = ""
    hamlet_id: str | None = None
    group_id: str | None = None
    include_moved: bool = False
    order_by: str = "name"
    descending: bool = False


# fetch(query, offset, limit) -> rows; count(query) -> int
Fetch = Callable[[HouseholdQuery, int, int], list[HouseholdRow]]
Count = Callable[[HouseholdQuery], int]


class HouseholdTableModel(QAbstractTableModel):
    def __init__(self, fetch: Fetch, count: Count, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch, self._count = fetch, count
        self.query = HouseholdQuery()
        self._rows: list[HouseholdRow] = []
        self._total = 0

    # ---- loading --------------------------------------------------------
    def reload(self, query: HouseholdQuery | None = None) -> None:
        self.beginResetModel()
        if query is not None:
            self.query = query
        self._total = self._count(self.query)
        self._rows = self._fetch(self.query, 0, PAGE_SIZE)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> HouseholdRow:
        return self._rows[row]

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        more = self._fetch(self.query, len(self._rows), PAGE_SIZE)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # ---- Qt model -------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_BIRTH, COL_MEMBERS):
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and row.moved_out_date:
            return f"Đã chuyển đi ngày {format_date(row.moved_out_date)}"
        return None

    @staticmethod
    def _display(row: HouseholdRow, column: int) -> str:
        values = {COL_NAME: row.head_name, COL_BIRTH: row.birth_year, COL_ADDRESS: row.address,
                  COL_HAMLET: row.hamlet_name, COL_GROUP: row.group_name, COL_MEMBERS: row.members,
                  COL_PHONE: row.phone, COL_CID: row.citizen_id_masked}
        value = values.get(column)
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.query.order_by = key
        self.query.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
