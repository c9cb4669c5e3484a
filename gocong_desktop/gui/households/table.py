"""Table model of households, fed pages of rows from SQL (sorting in SQL too).

It never holds more than what has been scrolled to, so 50,000 households stay
smooth: the pages are read off the UI thread as the view scrolls (PagedTableModel).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from gocong_desktop.core.services import households
from gocong_desktop.core.services.households import HouseholdRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.list_model import RIGHT
from gocong_desktop.gui.widgets.paged_model import PagedTableModel

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

    def filters(self) -> dict[str, Any]:
        return {"search": self.search, "hamlet_id": self.hamlet_id, "group_id": self.group_id,
                "include_moved": self.include_moved}


def _fetch(session, query: HouseholdQuery, offset: int, limit: int | None) -> list[HouseholdRow]:
    return households.list_households(session, **query.filters(), order_by=query.order_by,
                                      descending=query.descending, offset=offset, limit=limit)


class HouseholdTableModel(PagedTableModel[HouseholdRow]):
    HEADERS = HEADERS

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.query = HouseholdQuery()

    def reload(self, query: HouseholdQuery | None = None) -> None:
        if query is not None:
            self.query = query
        frozen = replace(self.query)  # read on another thread: later edits must not reach it
        self.load(lambda s, offset, limit, _last: _fetch(s, frozen, offset, limit),
                  lambda s: households.count_households(s, **frozen.filters()))

    # ---- Qt model -------------------------------------------------------
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
