"""Fitting a list's columns measures the rows on screen and a sample after them,
not every row (gui/widgets/columns.py): the groups page's first visit at 50,000
households measured all 500 groups' 14 columns, 0.4 s of frozen window."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import QTableView  # noqa: E402

from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.widgets.columns import MEASURED_ROWS, fit_columns  # noqa: E402
from gocong_desktop.gui.widgets.list_model import RIGHT, ListTableModel  # noqa: E402

ROWS, COLUMNS = 2_000, 4


class _CountedRows(QAbstractTableModel):
    """ROWS rows whose texts say which rows were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[int] = set()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else COLUMNS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        self.asked.add(index.row())
        return f"Tổ NDTQ số {index.row()} – ấp Bình Đông" if index.column() == 0 else str(index.row())


def test_fitting_measures_a_sample_of_the_rows_not_all_of_them(qtbot):
    create_app()
    model = _CountedRows()
    view = QTableView()
    view.setModel(model)
    view.resize(900, 400)
    qtbot.addWidget(view)
    view.show()
    model.asked.clear()  # what showing the rows asked for
    fit_columns(view, 0)
    on_screen = view.rowAt(view.viewport().height() - 1) + 1
    assert 0 < len(model.asked) <= on_screen + MEASURED_ROWS + 1 < ROWS
    assert view.horizontalHeader().sectionSize(1) > 0


class _Listed(ListTableModel[tuple]):
    """A list model of this app's kind, counting whence Qt asks for its cells' roles:
    from Python (``multiData``, once per cell) or from Qt's C++ (once per role)."""

    HEADERS = ("Tên", "Năm sinh", "Có mặt")

    def __init__(self) -> None:
        super().__init__()
        self.asked = {"in one call": 0, "one by one": 0}
        self.set_rows([(f"Nguyễn Văn {n}", str(1950 + n % 50), n % 2 == 0) for n in range(300)])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        self.asked["in one call" if sys._getframe(1).f_code.co_name == "multiData" else "one by one"] += 1
        name, year, present = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() < 2:
            return (name, year)[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 2:
            return Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return RIGHT
        return None


class _RoleByRole(_Listed):
    """The same, answered role by role as Qt's own multiData does it."""

    def multiData(self, index, roleDataSpan) -> None:  # noqa: N802,N803 (Qt names)
        QAbstractTableModel.multiData(self, index, roleDataSpan)


def test_a_list_answers_every_role_of_a_cell_in_one_call_and_measures_the_same(qtbot):
    """Qt's delegates ask a cell about eight roles when measuring or painting it; asked one
    by one, each was a call into Python that had to take the interpreter lock back from a
    reader thread at work (issue 16: fitting a page's columns then stalled 100-160 ms)."""
    create_app()
    shown = {}
    for cls in (_Listed, _RoleByRole):
        model, view = cls(), QTableView()
        view.setModel(model)
        qtbot.addWidget(view)
        view.resize(700, 400)
        view.show()
        model.asked.update({"in one call": 0, "one by one": 0})
        shown[cls] = [view.sizeHintForColumn(c) for c in range(3)], view.sizeHintForRow(0), view.grab().toImage()
        if cls is _Listed:
            # every cell measured: its roles in one call, and its size hint asked apart by the delegate
            assert model.asked["in one call"] > 6 * model.asked["one by one"] > 0
    assert shown[_Listed][:2] == shown[_RoleByRole][:2]
    assert shown[_Listed][2] == shown[_RoleByRole][2]  # painted alike: texts, ticks, alignment
