"""Tổ tự quản: the hamlet and group registers side by side.

Left, the hamlets (choosing one filters the groups); right, the groups with
their household counts, officers and last meeting, searched as you type."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QLabel, QLineEdit, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import groups
from gocong_desktop.core.services.groups import GroupRow
from gocong_desktop.core.services.start_page import GROUPS_NOT_MET
from gocong_desktop.core.text import format_int
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import set_enabled, writes_only
from gocong_desktop.gui.groups.dialog import GroupDialog
from gocong_desktop.gui.groups.retire_dialog import RetireGroupDialog
from gocong_desktop.gui.groups.table import COL_DEPUTY, COL_GROUP, COL_HAMLET, COL_HOUSEHOLDS, COL_LAST_MEETING, COL_LEADER, GroupTableModel
from gocong_desktop.gui.groups.hamlet_panel import HamletPanel
from gocong_desktop.gui.widgets.rows_table import configure_list_view, select_row, selected_row
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.flow import flow_row
from gocong_desktop.gui.documents.list_export import ListExport, scope_words

SEARCH_DEBOUNCE_MS = 200
# Default widths fit these texts, so they follow the chosen text size (100–150%).
WIDTH_SAMPLES = {COL_GROUP: "Tổ NDTQ số 1000", COL_HAMLET: "Thạnh Hòa Đông", COL_HOUSEHOLDS: "Số hộ",
                 COL_LEADER: "Nguyễn Thị Ngọc Bích", COL_DEPUTY: "Nguyễn Thị Ngọc Bích",
                 COL_LAST_MEETING: "Họp gần nhất"}
HAMLET_PANEL_SAMPLE = "Thạnh Hòa Đông · 12 tổ"  # the hamlet list's width; its buttons wrap
HEADER_KEY, SPLITTER_KEY = "groups/header", "groups/splitter"



class GroupsPage(Page):
    # The groups with their households counted, officers and last meeting; the hamlet list.
    TABLES = table_set("self_managed_group", "admin_unit", "household", "meeting") | HamletPanel.TABLES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog = None  # the open group dialog, if any (tests reach it here)
        self._wanted: str | None = None  # a group to select once listed (see select_group)
        self._build()
        self._wire()
        self.remember_layout(HEADER_KEY, self.table.horizontalHeader())
        self.remember_layout(SPLITTER_KEY, self.splitter)

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.hamlets = HamletPanel(self.ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.hamlets)
        self.splitter.addWidget(self._build_groups())
        self.splitter.setStretchFactor(1, 1)
        left = self.fontMetrics().horizontalAdvance(HAMLET_PANEL_SAMPLE) + 60
        self.splitter.setSizes([left, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _build_groups(self) -> QWidget:
        self.search = QLineEdit(placeholderText="Tìm theo tên tổ (không cần dấu)…")
        self.search.setClearButtonEnabled(True)
        self.show_retired = QCheckBox("Hiện tổ đã giải thể")
        self.not_met = QCheckBox("Chỉ tổ chưa họp trong quý")
        self.model = GroupTableModel(self)
        self.table = self._build_table()
        self.add_button, self.edit_button = QPushButton("Thêm tổ…"), QPushButton("Sửa…")
        self.retire_button = QPushButton("Giải thể…")
        writes_only(self.ctx, self.add_button, self.retire_button)  # «Sửa…» opens the form read-only
        self.count_label = QLabel()
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.export = ListExport(self.ctx, self, self.table, "Danh sách tổ nhân dân tự quản", self._scope)
        filters = flow_row(self.search, self.show_retired, self.not_met)  # wrap on a small screen
        actions = flow_row(self.add_button, self.edit_button, self.retire_button, *self.export.buttons(),
                           right=self.count_label)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(filters)
        layout.addWidget(self.table)
        layout.addWidget(actions)
        return panel

    def _scope(self) -> str:
        notes = ["kể cả tổ đã giải thể"] if self.show_retired.isChecked() else []
        if self.not_met.isChecked():
            notes.append("chỉ tổ chưa họp trong quý")
        return scope_words(search=self.search.text(), notes=notes)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(COL_GROUP, Qt.SortOrder.AscendingOrder)
        configure_list_view(table, WIDTH_SAMPLES, stretch=COL_GROUP)
        return table

    # ---- behaviour ------------------------------------------------------
    def _wire(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._reload_groups)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.show_retired.toggled.connect(lambda _on: self._reload_groups())
        self.not_met.toggled.connect(lambda _on: self._reload_groups())
        self.hamlets.hamlet_changed.connect(self._reload_groups)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter edits, as double-click does
            QShortcut(QKeySequence(key), self.table, activated=self.edit_selected,
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(self.new_group)
        self.edit_button.clicked.connect(self.edit_selected)
        self.retire_button.clicked.connect(self.delete_selected)

    def refresh(self) -> None:
        self.hamlets.reload()
        self._reload_groups()

    def _reload_groups(self) -> None:
        self.ctx.query(groups.list_groups, hamlet_id=self.hamlets.current_id(), search=self.search.text(),
                       include_retired=self.show_retired.isChecked(),
                       not_met_in=date.today() if self.not_met.isChecked() else None,
                       on_done=self._show_groups, parent=self, key=(self, "groups"))

    def _show_groups(self, rows: list[GroupRow]) -> None:
        selected = self.selected_group()
        wanted, self._wanted = self._wanted, None
        self.model.set_rows(rows)
        self.select_group(wanted or (selected.id if selected else None))
        households = sum(r.households for r in rows)
        self.count_label.setText(f"{len(rows)} tổ, {format_int(households)} hộ")
        self._update_buttons()

    def selected_group(self) -> GroupRow | None:
        return selected_row(self.table)

    def select_group(self, group_id: str | None) -> None:
        """Select the group; one just saved is selected once the list read after the save shows it."""
        self._wanted = group_id if self.model.row_of(group_id) < 0 else None
        select_row(self.table, group_id, COL_GROUP)

    def _update_buttons(self) -> None:
        row = self.selected_group()
        self.edit_button.setEnabled(row is not None)
        set_enabled(self.retire_button, row is not None and row.active)

    # ---- actions --------------------------------------------------------
    def new_record(self) -> None:
        if self.hamlets.list.hasFocus():  # Ctrl+N in the hamlet list adds a hamlet
            self.hamlets.add_hamlet()
        else:
            self.new_group()

    def new_group(self) -> None:
        hamlet = self.hamlets.current_hamlet()
        hamlet_id = hamlet.id if hamlet is not None and hamlet.valid_to is None else None
        self._open(GroupDialog(self.ctx, hamlet_id=hamlet_id, number=self._next_number(), parent=self))

    def _next_number(self) -> int:
        """The number after the highest in use in the commune (numbers are unique there)."""
        numbers = [r.number for r in self.ctx.read(groups.list_groups) if r.number]
        return max(numbers, default=0) + 1

    def edit_selected(self) -> None:
        if (row := self.selected_group()) is not None:
            self._open(GroupDialog(self.ctx, group_id=row.id, parent=self))

    def delete_selected(self) -> None:
        """Delete: in the hamlet list deletes a hamlet, elsewhere retires the group
        (both ask first: the retire dialog is the confirmation)."""
        if self.hamlets.list.hasFocus():
            self.hamlets.delete_hamlet()
        elif (row := self.selected_group()) is not None and row.active:
            self._open(RetireGroupDialog(self.ctx, row, parent=self))

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._on_dialog_saved(dialog))
        dialog.open()  # window-modal, without a nested event loop

    def _on_dialog_saved(self, dialog) -> None:
        if isinstance(dialog, GroupDialog):  # show the group just saved
            self.select_group(dialog.result_value)

    def show_link(self, what: str) -> None:
        """The start page's "groups not met this quarter": all of them, in every hamlet."""
        if what == GROUPS_NOT_MET:
            self.hamlets.select(None)
            self.search.clear()
            self.show_retired.setChecked(False)
            self.not_met.setChecked(True)
            self._reload_groups()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True
