"""Tổng quan, the commune's start page: what needs doing (each item counted, a click
or Enter away from its list), the charts, and the figures per hamlet with a note
saying what they count (issue 17 point 12)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHeaderView, QLabel, QTabWidget, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services.counting_notes import overview_note
from gocong_desktop.core.services.overview import AreaFigures
from gocong_desktop.core.services.start_page import (BACKUP, DRAFT_MINUTES, GROUPS_NOT_MET, MODELS_DUE, PACKAGE,
                                                      UNSIGNED_PLEDGES)
from gocong_desktop.core.text import format_int, format_percent
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.overview import reads
from gocong_desktop.gui.overview.chart_view import ChartsPanel, read_charts
from gocong_desktop.gui.overview.to_do import ToDoPanel
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.scrolling import scrolling
from gocong_desktop.gui.widgets.rows_table import read_only_grid
from gocong_desktop.gui.widgets.wrapping_label import WrappingLabel

HEADERS = ["Ấp", "Số tổ", "Số hộ", "Họp trong quý", "Cam kết năm nay"]
# Which page each to-do item opens (the backup item backs up instead: ``backup_requested``).
LINKS = {GROUPS_NOT_MET: "Tổ tự quản", DRAFT_MINUTES: "Sinh hoạt tổ", UNSIGNED_PLEDGES: "Cam kết",
         MODELS_DUE: "Mô hình", PACKAGE: "Đồng bộ"}


class OverviewPage(Page):
    TABLES = table_set("office", "admin_unit", "self_managed_group", "household", "meeting", "attendance",
                       "pledge", "pledge_campaign", "prevention_model", "model_site", "evaluation", "sync_package")
    backup_requested = Signal()  # the backup item: the window backs up now

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = QLabel()
        self.to_do = ToDoPanel()
        self.to_do.activated.connect(self._on_item)
        self.charts = ChartsPanel()
        self._rows: tuple[AreaFigures, ...] = ()  # the table's rows: the pledge chart draws them
        self._charts_asked = False  # a drawing waits for the page's reads to end
        self.tabs = QTabWidget()
        self.tabs.addTab(scrolling(self.charts), "Biểu đồ")
        self.tabs.addTab(self._build_table_tab(), "Số liệu theo ấp")
        # A few lines of charts or table are enough: a 1366×768 screen at 150% has ~450 px for the page.
        self.tabs.setMinimumHeight(self.fontMetrics().height() * 7)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.to_do)
        layout.addWidget(self.tabs, 1)

    def _build_table_tab(self) -> QWidget:
        self.table = read_only_grid(QTableWidget(0, len(HEADERS)), HEADERS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        self.note = WrappingLabel()
        self.note.setStyleSheet("color: #555; font-style: italic;")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        return tab

    def refresh(self) -> None:
        """The table and the to-do items, read side by side (two reader threads: the
        to-do's counts, ≈ 0.3 s at 50,000 households, do not hold the table back).
        The first time, the window has started them already (``reads.read_ahead``)."""
        for name, read, show in ((reads.TABLE, reads.read_table, self._show_table),
                                 (reads.TO_DO, reads.read_to_do, self.to_do.show_items)):
            if not self.ctx.tasks.reads.take(name, on_done=show, parent=self, key=(self, name)):
                self.ctx.query(read, on_done=show, parent=self, key=(self, name))

    def _show_table(self, figures: tuple) -> None:
        rows, total = figures
        self.heading.setText(f"<h2>Tổng quan – {total.name}</h2>")
        self._fill_table(rows, total)
        self._rows = tuple(rows)
        # The charts follow once the page's reads are in (the panel says they are being
        # drawn): their ~0.3 s of a reader thread (12 months of attendance, reportlab's
        # drawing) is then over before a person opens another page. Drawn a second later,
        # they held that page's first visit (the reader's Python work and the page's share
        # one interpreter).
        if not self._charts_asked:  # once for refreshes that come while reads are pending
            self._charts_asked = True
            self.ctx.tasks.reads.when_idle(self._draw_charts)

    def _draw_charts(self) -> None:
        self._charts_asked = False
        self.ctx.query(read_charts, self._rows, on_done=self.charts.show_charts, on_error=self._charts_failed,
                       parent=self, key=(self, "charts"))

    def _charts_failed(self, exc: BaseException) -> None:
        self.charts.show_failure()
        show_error(self, exc)

    def _on_item(self, kind: str) -> None:
        if kind == BACKUP:
            self.backup_requested.emit()
        else:
            self.open_requested.emit(LINKS[kind], kind)

    def _fill_table(self, rows: list[AreaFigures], total: AreaFigures) -> None:
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
