"""Fitting a list's columns measures the rows on screen and a sample after them,
not every row (gui/widgets/columns.py): the groups page's first visit at 50,000
households measured all 500 groups' 14 columns, 0.4 s of frozen window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import QTableView  # noqa: E402

from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.widgets.columns import MEASURED_ROWS, fit_columns  # noqa: E402

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
