"""Under the models list: the selected model's sites (add, edit, replicate) and
the history of its ratings over time (with the evaluation record of each)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import prevention_sites as model_sites, prevention
from gocong_desktop.core.services.prevention_sites import SiteRow
from gocong_desktop.core.services.prevention import EvaluationRow
from gocong_desktop.core.services.review_period import describe_period
from gocong_desktop.core.text import format_date, format_decimal, format_int
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import set_enabled, writes_only
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table, selected_row

SITE_COLUMNS: list[Column[SiteRow]] = [
    Column("Địa bàn", lambda r: r.place, sample="Đường liên ấp Lợi An dài 1.300 m"),
    Column("Số hộ", lambda r: format_int(r.households) if r.households else "", sort=lambda r: r.households,
           right=True),
    Column("Nguồn lực", lambda r: r.resources_text, sample="12 camera, 40 đèn"),
    Column("Từ ngày", lambda r: format_date(r.start_date), sort=lambda r: str(r.start_date),
           sample="30/06/2024"),
    Column("Ghi chú", lambda r: r.note),
]


def period_label(row: EvaluationRow) -> str:
    label = describe_period(row.period_start, row.period_end).label
    return label[:1].upper() + label[1:]  # "Năm 2025" at the start of a cell


HISTORY_COLUMNS: list[Column[EvaluationRow]] = [
    Column("Kỳ đánh giá", period_label, sort=lambda r: r.period_end, sample="6 tháng đầu năm 2024"),
    Column("Điểm", lambda r: format_decimal(r.total_score), sort=lambda r: r.total_score,
           right=True, sample="100,0"),
    Column("Xếp loại", lambda r: r.rating, sort=lambda r: r.total_score, sample="Trung bình"),
    Column("Kiến nghị", lambda r: prevention.RECOMMENDATION_LABELS.get(r.recommendation, r.recommendation),
           sample="Nhân rộng"),
    Column("Ngày đánh giá", lambda r: format_date(r.evaluated_on), sort=lambda r: r.evaluated_on,
           sample="30/06/2024"),
    Column("Người đánh giá", lambda r: r.evaluator),
]


def trend_text(rows: list[EvaluationRow]) -> str:
    """Oldest first: "6 tháng đầu năm 2024: Khá → năm 2024: Tốt"."""
    steps = [f"{period_label(r)}: <b>{r.rating}</b>" for r in sorted(rows, key=lambda r: r.period_end)]
    return "Diễn biến xếp loại: " + " → ".join(steps) if steps else "Chưa có lần đánh giá nào."


def _group(title: str, table, label: QLabel | None, buttons: list[QPushButton]) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    if label is not None:
        layout.addWidget(label)
    layout.addWidget(table, 1)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    return box


def _sites_and_history(session, model_id: str | None) -> tuple:
    if not model_id:
        return [], []
    return model_sites.list_sites(session, model_id), prevention.list_evaluations(session, model_id=model_id)


class SchemeDetail(QWidget):
    """Both panels side by side; the page wires the buttons to its dialogs."""

    # The sites (hamlet names, households chosen) and the rating history.
    TABLES = table_set("model_site", "model_site_household", "admin_unit", "evaluation", "prevention_model")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model_id: str | None = None
        self.sites = RowsTableModel(SITE_COLUMNS)
        self.history = RowsTableModel(HISTORY_COLUMNS)
        self.sites_table, self.history_table = make_table(self.sites), make_table(self.history)
        self.add_site_button, self.edit_site_button = QPushButton("Thêm điểm…"), QPushButton("Sửa điểm…")
        self.replicate_button = QPushButton("Nhân rộng sang điểm mới…")
        self.record_button = QPushButton("Biên bản đánh giá…")
        writes_only(ctx, self.add_site_button, self.replicate_button)  # «Sửa điểm…» opens the form read-only
        self.trend = QLabel(wordWrap=True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_group("Điểm triển khai", self.sites_table, None,
                                [self.add_site_button, self.edit_site_button, self.replicate_button]), 1)
        layout.addWidget(_group("Lịch sử đánh giá", self.history_table, self.trend, [self.record_button]), 1)
        for table in (self.sites_table, self.history_table):
            table.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.update_buttons()

    def show_model(self, model_id: str | None) -> None:
        """Show the model's sites and evaluations (read off the UI thread)."""
        self.model_id = model_id
        self.ctx.query(_sites_and_history, model_id, on_done=self._show, parent=self, key=(self, "detail"))

    def _show(self, loaded: tuple) -> None:
        sites, history = loaded
        model_id = self.model_id
        self.sites.set_rows(sites)
        self.history.set_rows(history)
        self.trend.setText(trend_text(history) if model_id else "Chọn một mô hình để xem điểm và lịch sử.")
        self.update_buttons()

    def selected_site(self) -> SiteRow | None:
        return selected_row(self.sites_table)

    def selected_evaluation(self) -> EvaluationRow | None:
        return selected_row(self.history_table)

    def update_buttons(self) -> None:
        has_site = self.selected_site() is not None
        set_enabled(self.add_site_button, self.model_id is not None)
        self.edit_site_button.setEnabled(has_site)
        set_enabled(self.replicate_button, has_site)
        self.record_button.setEnabled(self.selected_evaluation() is not None)

    def connect_actions(self, *, add_site: Callable[[], None], edit_site: Callable[[], None],
                        replicate: Callable[[], None], record: Callable[[], None]) -> None:
        self.add_site_button.clicked.connect(add_site)
        self.edit_site_button.clicked.connect(edit_site)
        self.replicate_button.clicked.connect(replicate)
        self.record_button.clicked.connect(record)
        self.sites_table.doubleClicked.connect(lambda _index: edit_site())
