"""The members of an evaluation team, typed in a small table: one person a row
(họ tên, chức vụ). Rows left blank are ignored when the form is saved."""

from __future__ import annotations

from typing import Iterable

from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from gocong_desktop.core.services.evaluation_team import TeamMember

HEADERS = ["Họ và tên", "Chức vụ"]
VISIBLE_ROWS = 4  # the table scrolls past this: a team is a few people


class TeamEditor(QWidget):
    def __init__(self, members: Iterable[TeamMember] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in every other field
        rows_height = self.table.verticalHeader().defaultSectionSize() * VISIBLE_ROWS
        self.table.setFixedHeight(rows_height + self.table.horizontalHeader().sizeHint().height() + 4)
        self.add_button = QPushButton("Thêm người")
        self.remove_button = QPushButton("Bớt người đang chọn")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.set_members(members)

    def set_members(self, members: Iterable[TeamMember]) -> None:
        self.table.setRowCount(0)
        for member in members:
            self.add_row(member)
        if not self.table.rowCount():
            self.add_row()

    def add_row(self, member: TeamMember | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((member.name, member.role or "") if member else ("", "")):
            self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setCurrentCell(row, 0)

    def _remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        if not self.table.rowCount():
            self.add_row()

    def members(self) -> list[TeamMember]:
        """Every row as typed (the service skips blank rows and checks the rest)."""
        def cell(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""
        return [TeamMember(cell(r, 0), cell(r, 1) or None) for r in range(self.table.rowCount())]
