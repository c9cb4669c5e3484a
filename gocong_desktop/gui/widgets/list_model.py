"""The part every list-fed table model shares: rows held in a list, fixed
headers, lookup by a row's ``id``. Subclasses add ``data`` (and sorting,
ticks or editing where they need them)."""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Generic, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleDataSpan, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

R = TypeVar("R")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # numbers in a column
DIM_COLOR = QColor("#777777")  # retired, moved away: shown, but greyed


class ListTableModel(QAbstractTableModel, Generic[R]):
    HEADERS: ClassVar[Sequence[str]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_of(self, row_id: str | None) -> int:
        return next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == row_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def multiData(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 (Qt name)
                  roleDataSpan: QModelRoleDataSpan) -> None:  # noqa: N803 (Qt name)
        """Every role a view asks of a cell, in one call into Python. Qt's delegates ask
        about eight per cell when painting or measuring it, and asked one by one each
        call had to take the interpreter lock back from a reader thread at work: fitting
        a list's columns then took 1.9 s instead of 20 ms (0.12 s this way; a page's first
        visit while the start page's charts were drawn stalled 100-160 ms)."""
        data = self.data
        for n in range(len(roleDataSpan)):
            role_data = roleDataSpan[n]
            role_data.setData(data(index, role_data.role()))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class SortedListModel(ListTableModel[R]):
    """Rows sorted in memory by a column's key (tens of rows, not thousands). The
    sort holds when new rows come, and the selection stays on the same records."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def sort_key(self, column: int) -> Callable[[R], Any] | None:
        """How ``column`` sorts; None: it does not (the service's order stays).
        Subclasses say it for their columns; by default no column sorts."""
        return None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._apply_sort()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.sort_key(column) is None:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        old = self.persistentIndexList()
        moved = [self._rows[i.row()] for i in old]
        self._apply_sort()
        where = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(where[id(r)], i.column()) for r, i in zip(moved, old)])
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None or (key := self.sort_key(self._sort[0])) is None:
            return
        self._rows.sort(key=key, reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
