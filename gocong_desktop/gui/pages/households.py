"""Hộ gia đình: the household register, searched as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QTableView,
                               QVBoxLayout, QWidget)

from ...core.db.engine import Database
from ...core.services import hamlets, households
from ..household_table import COL_ADDRESS, COL_NAME, HouseholdQuery, HouseholdTableModel

SEARCH_DEBOUNCE_MS = 250


class HouseholdsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._build()
        self._wire()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Tìm theo tên, địa chỉ, điện thoại (không cần dấu)…")
        self.search.setClearButtonEnabled(True)
        self.hamlet_filter = QComboBox()
        self.show_moved = QCheckBox("Hiện hộ đã chuyển đi")
        self.count_label = QLabel()
        self.model = HouseholdTableModel(self._fetch, self._count, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Qt's header starts in descending order; start in Vietnamese name order.
        self.table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(COL_NAME, 220)
        self.table.setColumnWidth(COL_ADDRESS, 220)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Ấp:"))
        filters.addWidget(self.hamlet_filter, 1)
        filters.addWidget(self.show_moved)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)

    # ---- behaviour ------------------------------------------------------
    def _wire(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.hamlet_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.show_moved.toggled.connect(lambda _on: self._apply_filters())

    def _fetch(self, query: HouseholdQuery, offset: int, limit: int) -> list[households.HouseholdRow]:
        with self._db.session() as session:
            return households.list_households(
                session, search=query.search, hamlet_id=query.hamlet_id, group_id=query.group_id,
                include_moved=query.include_moved, order_by=query.order_by,
                descending=query.descending, offset=offset, limit=limit)

    def _count(self, query: HouseholdQuery) -> int:
        with self._db.session() as session:
            return households.count_households(
                session, search=query.search, hamlet_id=query.hamlet_id, group_id=query.group_id,
                include_moved=query.include_moved)

    def refresh(self) -> None:
        current = self.hamlet_filter.currentData()
        self.hamlet_filter.blockSignals(True)
        self.hamlet_filter.clear()
        self.hamlet_filter.addItem("Tất cả", None)
        with self._db.session() as session:
            for hamlet in hamlets.list_hamlets(session):
                self.hamlet_filter.addItem(hamlet.name, hamlet.id)
        index = self.hamlet_filter.findData(current)
        self.hamlet_filter.setCurrentIndex(max(index, 0))
        self.hamlet_filter.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        query = self.model.query
        query.search = self.search.text()
        query.hamlet_id = self.hamlet_filter.currentData()
        query.include_moved = self.show_moved.isChecked()
        self.model.reload(query)
        self.count_label.setText(f"{self.model.total:,} hộ".replace(",", "."))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
