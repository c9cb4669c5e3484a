"""Table model of a group's pledges, each row with a tick box: the clerk ticks
the households that signed tonight and records them as one batch.

Fed the rows of ``list_pledges`` (already in Vietnamese name order) a page at a
time, read off the UI thread: a group's tens of households come at once, the
whole commune's tens of thousands as the clerk scrolls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from gocong_desktop.core.db.models import PledgeStatus
from gocong_desktop.core.services.pledges import PledgeRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.paged_model import PagedTableModel

COL_NAME, COL_GROUP, COL_STATUS, COL_DATE, COL_WITNESS, COL_REASON = range(6)
HEADERS = ["Chủ hộ", "Tổ", "Trạng thái", "Ngày ký", "Người xác nhận", "Lý do"]
STATUS_COLORS = {PledgeStatus.SIGNED: QColor("#1b5e20"), PledgeStatus.REFUSED: QColor("#b00020"),
                 PledgeStatus.MOVED: QColor("#777777")}


class PledgeChecklistModel(PagedTableModel[PledgeRow]):
    HEADERS = HEADERS
    ticked_changed = Signal(int)  # how many rows are ticked

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self._ticked: set[str] = set()

    def set_rows(self, rows: list[PledgeRow]) -> None:
        """New rows; ticks are kept for pledges still listed (a refresh after
        another page's change must not lose the clerk's ticks)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._ticked &= {r.id for r in rows}
        self.endResetModel()
        self.ticked_changed.emit(len(self._ticked))

    def ticked_ids(self) -> list[str]:
        """Ticked pledges in list order."""
        return [r.id for r in self._rows if r.id in self._ticked]

    def set_ticked(self, pledge_ids: set[str]) -> None:
        self._ticked = pledge_ids & {r.id for r in self._rows}
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_NAME), self.index(len(self._rows) - 1, COL_NAME),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit(len(self._ticked))

    def tick_unsigned(self) -> None:
        """Tick every unsigned row of the list, reading first the rows not scrolled to yet."""
        self.fetch_rest(lambda: self.set_ticked({r.id for r in self._rows if r.status == PledgeStatus.UNSIGNED}))

    # ---- Qt model -------------------------------------------------------
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == COL_NAME else flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == COL_NAME:
            return Qt.CheckState.Checked if row.id in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_STATUS:
            color = STATUS_COLORS.get(row.status)
            return QBrush(color) if color is not None else None
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != COL_NAME:
            return False
        pledge_id = self._rows[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._ticked.add(pledge_id)
        else:
            self._ticked.discard(pledge_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit(len(self._ticked))
        return True

    @staticmethod
    def _display(row: PledgeRow, column: int) -> str:
        status = row.status_label[:1].upper() + row.status_label[1:]
        values = {COL_NAME: row.household_name, COL_GROUP: row.group_name, COL_STATUS: status,
                  COL_DATE: format_date(row.signed_date), COL_WITNESS: row.witness_name,
                  COL_REASON: row.reason}
        return values.get(column) or ""
