"""Hộ gia đình: the household register, searched as you type."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import groups, hamlets, households
from gocong_desktop.core.text import format_date, format_int, parse_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import ask_item, ask_text, confirm, fill_filter_combo, writes_only
from gocong_desktop.gui.documents.list_export import ListExport, scope_words
from gocong_desktop.gui.households.dialog import HouseholdDialog
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.households.table import (COL_ADDRESS, COL_BIRTH, COL_CID, COL_GROUP, COL_NAME, COL_PHONE,
                                                 HouseholdTableModel)
from gocong_desktop.gui.widgets.rows_table import configure_list_view, select_row, selected_row
from gocong_desktop.gui.widgets.flow import flow_row, labelled
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.fold_combo import fold_search

SEARCH_DEBOUNCE_MS = 250
HEADER_STATE_KEY = "households/header"
# Each column fits these whatever rows are shown first (then its contents, capped).
# The address gives way first on a small screen (cut, whole in its tooltip), so that the
# phone and citizen-ID columns stay in view.
WIDTH_SAMPLES = {COL_NAME: "Nguyễn Thị Ngọc Bích", COL_BIRTH: "0000", COL_ADDRESS: "Số 12, đường liên",
                 COL_GROUP: "Tổ NDTQ số 00", COL_PHONE: "0000 000 000", COL_CID: "000000000000"}


class HouseholdsPage(Page):
    TABLES = table_set("household", "self_managed_group", "admin_unit")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._saved_id: str | None = None  # to select once the list is read again
        self._build()
        self._wire()
        self.remember_layout(HEADER_STATE_KEY, self.table.horizontalHeader())

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Tìm theo tên, địa chỉ, điện thoại (không cần dấu)…")
        self.search.setClearButtonEnabled(True)
        self.hamlet_filter = fold_search(QComboBox())
        self.group_filter = fold_search(QComboBox())
        self.show_moved = QCheckBox("Hiện hộ đã chuyển đi")
        self.count_label = QLabel()
        self.model = HouseholdTableModel(self.ctx, self)
        self.table = self._build_table()
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        filters = flow_row(self.search, labelled("Ấp:", self.hamlet_filter), labelled("Tổ:", self.group_filter),
                           self.show_moved)
        self.add_button = QPushButton("Thêm hộ")
        self.edit_button = QPushButton("Sửa")
        self.move_button = QPushButton("Chuyển tổ…")
        self.moved_out_button = QPushButton("Chuyển đi…")
        self.delete_button = QPushButton("Xóa")
        self.import_button = QPushButton("Nhập từ Excel…")
        writes_only(self.ctx, self.add_button, self.move_button, self.moved_out_button, self.delete_button,
                    self.import_button)
        self.export = ListExport(self.ctx, self, self.table, "Danh sách hộ gia đình", self._scope)
        actions = flow_row(self.add_button, self.edit_button, self.move_button, self.moved_out_button,
                           self.delete_button, self.import_button, *self.export.buttons(), right=self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(actions)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        # Qt's header starts in descending order; start in Vietnamese name order.
        table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        configure_list_view(table, WIDTH_SAMPLES, stretch=COL_ADDRESS)
        return table

    # ---- behaviour ------------------------------------------------------
    def _wire(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.hamlet_filter.currentIndexChanged.connect(self._on_hamlet_filter_changed)
        self.group_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.show_moved.toggled.connect(lambda _on: self._apply_filters())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())  # Enter
        self.add_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.move_button.clicked.connect(self._on_move)
        self.moved_out_button.clicked.connect(self._on_moved_out)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_list)
        self.model.loaded.connect(self._show_count)

    def refresh(self) -> None:
        self.ctx.query(hamlets.list_hamlets, on_done=self._on_hamlets, parent=self,
                       key=(self, "hamlets"))

    def _on_hamlets(self, rows: list) -> None:
        fill_filter_combo(self.hamlet_filter, "Tất cả các ấp", [(h.name, h.id) for h in rows])
        self._fill_group_filter()

    def _fill_group_filter(self) -> None:
        self.ctx.query(groups.group_choices, hamlet_id=self.hamlet_filter.currentData(), on_done=self._on_groups,
                       parent=self, key=(self, "groups"))

    def _on_groups(self, rows: list) -> None:
        fill_filter_combo(self.group_filter, "Tất cả các tổ", [(g.name, g.id) for g in rows])
        self._apply_filters()

    def _on_hamlet_filter_changed(self, _index: int) -> None:
        self._fill_group_filter()  # then the list

    def _apply_filters(self) -> None:
        query = self.model.query
        query.search = self.search.text()
        query.hamlet_id = self.hamlet_filter.currentData()
        query.group_id = self.group_filter.currentData()
        query.include_moved = self.show_moved.isChecked()
        self.model.reload(query)

    def _show_count(self) -> None:
        self.count_label.setText(f"{format_int(self.model.total)} hộ")
        saved, self._saved_id = self._saved_id, None
        if saved:
            self.model.find(saved, lambda _row: select_row(self.table, saved))

    def _scope(self) -> str:
        moved = ["kể cả hộ đã chuyển đi"] if self.show_moved.isChecked() else []
        return scope_words(("Ấp", self.hamlet_filter), ("Tổ", self.group_filter), search=self.search.text(),
                           notes=moved)

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    # ---- record actions -------------------------------------------------
    def selected(self) -> households.HouseholdRow | None:
        return selected_row(self.table)

    def new_record(self) -> None:
        self._run(HouseholdDialog(self.ctx, hamlet_id=self.hamlet_filter.currentData(),
                                  group_id=self.group_filter.currentData(), parent=self))

    def import_list(self) -> None:
        from gocong_desktop.gui.households.import_dialog import HouseholdImportDialog  # with the xlsx reader

        HouseholdImportDialog(self.ctx, parent=self).exec()

    def edit_selected(self) -> None:
        if row := self.selected():
            self._run(HouseholdDialog(self.ctx, household_id=row.id, parent=self))

    def _run(self, dialog: HouseholdDialog) -> None:
        """The household saved is selected and scrolled to once the list is read again
        (``accepted`` comes after the write announced its change: the next load is the new list)."""
        dialog.accepted.connect(lambda: setattr(self, "_saved_id", dialog.saved_id))
        dialog.exec()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if confirm(self, "Xóa hộ gia đình",
                   f"Xóa hộ {row.head_name}?\nNếu hộ chỉ chuyển nơi ở, hãy dùng «Chuyển đi» "
                   "để giữ lịch sử.", "Xóa"):
            self.ctx.write(households.delete_household, row.id, parent=self)

    def _on_move(self) -> None:
        row = self.selected()
        if row is None:
            return
        options = [g for g in self.ctx.read(groups.list_groups) if g.id != row.group_id]
        labels = [f"{g.name} – ấp {g.hamlet_name}" for g in options]
        choice = ask_item(self, "Chuyển tổ", f"Chuyển hộ {row.head_name} sang:", labels)
        if choice in labels:
            target = options[labels.index(choice)]
            self.ctx.write(households.move_household, row.id, target.id, parent=self)

    def _on_moved_out(self) -> None:
        row = self.selected()
        if row is None:
            return
        text = ask_text(self, "Hộ chuyển đi", f"Ngày hộ {row.head_name} chuyển đi (ngày/tháng/năm):",
                        format_date(date.today()))
        if text is None:
            return
        try:
            when = parse_date(text)
        except UserError as exc:
            show_error(self, exc)
            return
        self.ctx.write(households.mark_moved_out, row.id, when, parent=self)
