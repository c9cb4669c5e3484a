"""Mô hình: the crime-prevention models with their sites and rating history,
evaluations with the evidence beside the form, the criteria set, the
propaganda register, and the review report (PDF or Excel)."""

from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import prevention
from gocong_desktop.core.services.prevention import ModelRow
from gocong_desktop.core.services.start_page import MODELS_DUE
from gocong_desktop.core.text import format_date, sort_key
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.prevention.criteria_dialog import CriteriaDialog
from gocong_desktop.gui.prevention.evaluation_dialog import EvaluationDialog
from gocong_desktop.gui.widgets.form_parts import set_enabled, writes_only
from gocong_desktop.gui.prevention.scheme_dialog import SchemeDialog
from gocong_desktop.gui.prevention.site_dialog import SiteDialog
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.prevention.scheme_detail import SchemeDetail
from gocong_desktop.gui.prevention.propaganda_panel import PropagandaPanel
from gocong_desktop.core.documents.reports import write_evaluation_record
from gocong_desktop.gui.documents.report_files import ReportDialog, ask_path, run_save, safe_name
from gocong_desktop.gui.widgets.flow import flow_row, labelled
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table, select_row, selected_row
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.documents.list_export import ListExport, scope_words

SEARCH_DEBOUNCE_MS = 200
DUE = "due"  # the status filter's "Đến hạn đánh giá": not a status, a question (prevention.model_due)
HEADER_KEY, SPLITTER_KEY = "models/header", "models/splitter"
MODEL_COLUMNS: list[Column[ModelRow]] = [
    Column("Mô hình", lambda r: r.name, sample="Người dân tự quản về ANTT khu dân cư ấp Lợi An"),
    Column("Loại", lambda r: r.type_name, sample="Ánh sáng phòng chống tội phạm"),
    Column("Đơn vị chủ trì", lambda r: r.lead_organisation, sample="Hội Cựu chiến binh"),
    Column("Trạng thái", lambda r: prevention.STATUS_LABELS.get(r.status, r.status), sample="Đang hoạt động"),
    Column("Số điểm", lambda r: r.sites, sort=lambda r: r.sites, right=True),
    Column("Xếp loại gần nhất", lambda r: r.last_rating, sort=lambda r: sort_key(r.last_rating or "~")),
    Column("Bắt đầu", lambda r: format_date(r.start_date), sort=lambda r: str(r.start_date or "")),
]


class PreventionPage(Page):
    # The models with their type, sites and last rating; the selected one's detail; propaganda.
    TABLES = (table_set("prevention_model", "model_type", "model_site", "evaluation")
              | SchemeDetail.TABLES | PropagandaPanel.TABLES)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog = None  # the open dialog, if any (tests reach it here)
        self._wanted: str | None = None  # a model to select once listed (see select_model)
        self._build()
        self._wire()
        self.remember_layout(HEADER_KEY, self.table.horizontalHeader())
        self.remember_layout(SPLITTER_KEY, self.splitter)

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.propaganda = PropagandaPanel(self.ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_models_tab(), "Mô hình phòng, chống tội phạm")
        self.tabs.addTab(self.propaganda, "Tuyên truyền")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _build_models_tab(self) -> QWidget:
        self.detail = SchemeDetail(self.ctx)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self._build_list())
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([300, 260])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self._build_filters())
        layout.addWidget(self.splitter, 1)
        return tab

    def _build_filters(self) -> QWidget:
        self.search = QLineEdit(placeholderText="Tìm theo tên mô hình (không cần dấu)…")
        self.search.setClearButtonEnabled(True)
        self.status_filter = fold_search(QComboBox())
        self.status_filter.addItem("Tất cả trạng thái", None)
        for code, label in prevention.STATUS_LABELS.items():
            self.status_filter.addItem(label, code.value)
        self.status_filter.addItem("Đến hạn đánh giá", DUE)
        self.criteria_button = QPushButton("Bộ tiêu chí…")
        self.report_button = QPushButton("Báo cáo sơ kết/tổng kết…")
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        report = QWidget()  # the documents at the line's right end
        buttons = QHBoxLayout(report)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.criteria_button)
        buttons.addWidget(self.report_button)
        return flow_row(self.search, labelled("Trạng thái:", self.status_filter), right=report)

    def _build_list(self) -> QWidget:
        self.model = RowsTableModel(MODEL_COLUMNS, dim=lambda r: r.status != "active")
        self.table = make_table(self.model)
        self.add_button, self.edit_button = QPushButton("Thêm mô hình…"), QPushButton("Sửa…")
        self.evaluate_button = QPushButton("Đánh giá…")
        writes_only(self.ctx, self.add_button, self.evaluate_button)  # «Sửa…» opens the form read-only
        self.count_label = QLabel()
        self.export = ListExport(self.ctx, self, self.table, "Danh sách mô hình phòng, chống tội phạm",
                                 lambda: scope_words(("Trạng thái", self.status_filter), search=self.search.text()))
        actions = flow_row(self.add_button, self.edit_button, self.evaluate_button, *self.export.buttons(),
                           right=self.count_label)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(actions)
        return panel

    # ---- behaviour ------------------------------------------------------
    def _wire(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._reload_models)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._reload_models())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_model_selected())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.add_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.evaluate_button.clicked.connect(self._on_evaluate)
        self.criteria_button.clicked.connect(lambda: self._open(lambda: CriteriaDialog(self.ctx, parent=self)))
        self.report_button.clicked.connect(lambda: self._open(lambda: ReportDialog(self.ctx, parent=self)))
        self.detail.connect_actions(add_site=self._on_add_site, edit_site=self._on_edit_site,
                                    replicate=self._on_replicate, record=self._on_record)

    def refresh(self) -> None:
        self._reload_models()
        self.propaganda.reload()

    def _reload_models(self) -> None:
        status = self.status_filter.currentData()
        due = status == DUE  # active models not evaluated for the last half-year (prevention.model_due)
        self.ctx.query(prevention.list_models, search=self.search.text(), status=None if due else status,
                       due_on=date.today() if due else None,
                       on_done=self._show_models, parent=self, key=(self, "models"))

    def _show_models(self, rows: list[ModelRow]) -> None:
        selected = self.selected_model()
        wanted, self._wanted = self._wanted, None
        self.model.set_rows(rows)
        self.select_model(wanted or (selected.id if selected else None))
        active = sum(1 for r in rows if r.status == "active")
        self.count_label.setText(f"{len(rows)} mô hình, {active} đang hoạt động")
        self._on_model_selected()

    def selected_model(self) -> ModelRow | None:
        return selected_row(self.table)

    def select_model(self, model_id: str | None) -> None:
        """Select the model; one just saved is selected once the list read after the save shows it."""
        self._wanted = model_id if self.model.row_of(model_id) < 0 else None
        select_row(self.table, model_id)

    def _on_model_selected(self) -> None:
        row = self.selected_model()
        self.edit_button.setEnabled(row is not None)
        set_enabled(self.evaluate_button, row is not None)
        self.detail.show_model(row.id if row else None)

    def _open(self, make: Callable[[], QDialog]) -> QDialog | None:
        """Make and show a dialog; one that cannot load (no criteria set yet...) says why."""
        try:
            self.dialog = make()
        except UserError as exc:
            show_error(self, exc)
            return None
        self.dialog.open()  # window-modal, without a nested event loop
        return self.dialog

    # ---- actions --------------------------------------------------------
    def new_record(self) -> None:
        if self.tabs.currentWidget() is self.propaganda:
            self.propaganda.add_activity()
            return
        if (dialog := self._open(lambda: SchemeDialog(self.ctx, parent=self))) is not None:
            dialog.accepted.connect(lambda: self.select_model(dialog.result_value))

    def edit_selected(self) -> None:
        if (row := self.selected_model()) is not None:
            self._open(lambda: SchemeDialog(self.ctx, model_id=row.id, parent=self))

    def _on_evaluate(self) -> None:
        if (row := self.selected_model()) is not None:
            self._open(lambda: EvaluationDialog(self.ctx, model_id=row.id, model_name=row.name, parent=self))

    def _on_add_site(self) -> None:
        if self.detail.model_id:
            self._open(lambda: SiteDialog(self.ctx, model_id=self.detail.model_id, parent=self))

    def _on_edit_site(self) -> None:
        if (site := self.detail.selected_site()) is not None:
            self._open(lambda: SiteDialog(self.ctx, model_id=site.model_id, site=site, parent=self))

    def _on_replicate(self) -> None:
        if (site := self.detail.selected_site()) is not None:
            self._open(lambda: SiteDialog(self.ctx, model_id=site.model_id, site=site, replicate=True,
                                          parent=self))

    def _on_record(self) -> None:
        evaluation = self.detail.selected_evaluation()
        if evaluation is None:
            return
        name = safe_name(f"Biên bản đánh giá {evaluation.model_name} {format_date(evaluation.period_end)}"
                         .replace("/", "-"), ".pdf")
        if (path := ask_path(self, self.ctx, name, ".pdf")) is not None:
            run_save(self, self.ctx, path, lambda session, p: write_evaluation_record(session, evaluation.id, p))

    def show_link(self, what: str) -> None:
        """The start page's "models due for evaluation"."""
        if what == MODELS_DUE:
            self.tabs.setCurrentIndex(0)
            self.search.clear()
            self.status_filter.setCurrentIndex(self.status_filter.findData(DUE))
            self._reload_models()

    def focus_search(self) -> bool:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()
        return True
