"""Tổng quan: figures per hamlet and for the commune, from queries, and under
them a note saying what they count (issue 17 point 12)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services.counting_notes import overview_note
from gocong_desktop.core.services.overview import AreaFigures, overview
from gocong_desktop.core.text import format_int, format_percent
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.page_base import Page

HEADERS = ["Ấp", "Số tổ", "Số hộ", "Họp trong quý", "Cam kết năm nay"]


class OverviewPage(Page):
    TABLES = table_set("office", "admin_unit", "self_managed_group", "household", "meeting", "pledge")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #555; font-style: italic;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addWidget(self.note)

    def refresh(self) -> None:
        self.ctx.query(overview, on_done=self._show, parent=self, key=(self, "overview"))

    def _show(self, figures: tuple) -> None:
        rows, total = figures
        self.heading.setText(f"<h2>Tổng quan – {total.name}</h2>")
        self.table.setRowCount(len(rows) + 1)
        for r, figures in enumerate([*rows, total]):
            self._fill_row(r, figures, bold=r == len(rows))
        self.note.setText(overview_note(households=total.households, meetings=total.meetings_this_quarter,
                                        meetings_final=total.meetings_final, pledges_total=total.pledges_total,
                                        today=date.today()))

    def _fill_row(self, r: int, f: AreaFigures, *, bold: bool) -> None:
        name = f"Toàn {f.name}" if bold else f.name
        values = [name, format_int(f.groups), format_int(f.households), format_int(f.meetings_this_quarter),
                  f"{format_percent(f.pledge_coverage)} ({format_int(f.pledges_signed)}/"
                  f"{format_int(f.pledges_total)})"]
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, c, item)
