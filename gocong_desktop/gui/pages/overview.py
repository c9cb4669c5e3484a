"""Tổng quan: figures per hamlet and for the commune, from queries."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ...core.db.engine import Database
from ...core.services.overview import AreaFigures, overview

HEADERS = ["Ấp", "Số tổ", "Số hộ", "Họp trong quý", "Cam kết năm nay"]


class OverviewPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.heading = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        with self._db.session() as session:
            rows, total = overview(session)
        self.heading.setText(f"<h2>Tổng quan – {total.name}</h2>")
        self.table.setRowCount(len(rows) + 1)
        for r, figures in enumerate([*rows, total]):
            self._fill_row(r, figures, bold=r == len(rows))

    def _fill_row(self, r: int, f: AreaFigures, *, bold: bool) -> None:
        name = f"Toàn {f.name}" if bold else f.name
        values = [name, str(f.groups), str(f.households), str(f.meetings_this_quarter),
                  f"{f.pledge_coverage:.1f}% ({f.pledges_signed}/{f.pledges_total})"]
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, c, item)
