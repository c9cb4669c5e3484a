"""A small table model fed frozen rows, its columns described as data.

For the short lists of the Models page (models, sites, evaluations, propaganda):
tens of rows, held whole and sorted in memory with Vietnamese keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QTableView, QTableWidget

from gocong_desktop.core.text import sort_key
from gocong_desktop.gui.widgets.columns import fit_columns
from gocong_desktop.gui.widgets.list_model import DIM_COLOR, RIGHT, SortedListModel

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    text: Callable[[R], Any]
    sort: Callable[[R], Any] | None = None  # default: the text in Vietnamese order
    right: bool = False  # numbers
    sample: str = ""  # default width fits this text


class RowsTableModel(SortedListModel[R]):
    """Headers, texts and sort keys come from ``columns``."""

    def __init__(self, columns: Sequence[Column[R]], *, dim: Callable[[R], bool] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.HEADERS = [column.header for column in self.columns]
        self._dim = dim

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = column.text(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and self._dim is not None and self._dim(row):
            return QBrush(DIM_COLOR)
        return None

    def sort_key(self, column: int) -> Callable[[R], Any] | None:
        if not 0 <= column < len(self.columns):  # no sort column: the service's order
            return None
        spec = self.columns[column]
        return spec.sort or (lambda r: sort_key(str(spec.text(r) or "")))


def configure_list_view(table: QTableView, widths: dict[int, str], *, stretch: int = 0) -> None:
    """The look every list in the app shares: read-only, whole-row single
    selection, alternating rows, compact rows; each column fits its sample text and
    contents, column ``stretch`` (the name) takes the room left (gui/widgets/columns.py)."""
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the list for the page's buttons; arrows move inside it
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    fit_columns(table, stretch, widths)


def read_only_grid(table: QTableWidget, headers: list[str]) -> QTableWidget:
    """A grid a dialog fills itself: its headers, no editing, no row numbers, and Tab
    moving on past it (arrows move inside)."""
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    return table


def make_table(model: RowsTableModel, *, sortable: bool = True, stretch: int = 0) -> QTableView:
    """A read-only, single-row-selection view with widths fitted to the samples and
    contents; column ``stretch`` takes the room left."""
    table = QTableView()
    table.setModel(model)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order
    table.setSortingEnabled(sortable)
    configure_list_view(table, {i: c.sample for i, c in enumerate(model.columns) if c.sample}, stretch=stretch)
    return table


def selected_row(table: QTableView) -> Any | None:
    """The row object behind the table's selected row (models with ``row_at``)."""
    rows = table.selectionModel().selectedRows()
    return table.model().row_at(rows[0].row()) if rows else None


def select_row(table: QTableView, row_id: str | None, column: int = 0) -> None:
    """Select (and show) the row whose object has ``row_id``, or clear the selection."""
    model = table.model()
    row = model.row_of(row_id)
    if row < 0:
        table.clearSelection()
        return
    index = model.index(row, column)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)
