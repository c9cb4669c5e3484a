"""The propaganda register (tab of the Models page): broadcasts, loudspeaker rounds,
residents' meetings and leaflets over a period, their totals per kind (what the
upper office asks for), and recording a new activity."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import hamlets, prevention, propaganda
from gocong_desktop.core.services.propaganda import KIND_LABELS, KIND_UNITS, ActivityRow
from gocong_desktop.core.services.review_period import period_for
from gocong_desktop.core.text import format_date, format_int
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, confirm, date_from_text, writes_only
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.period_picker import PeriodPicker
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table, select_row, selected_row
from gocong_desktop.gui.widgets.fold_combo import fold_search

NONE = "— không —"
COLUMNS: list[Column[ActivityRow]] = [
    Column("Ngày", lambda r: format_date(r.activity_date), sort=lambda r: r.activity_date,
           sample="30/06/2024"),
    Column("Hình thức", lambda r: r.kind_label, sample="Loa tuyên truyền lưu động"),
    Column("Số lượng", lambda r: f"{format_int(r.count)} {KIND_UNITS.get(r.kind, '')}",
           sort=lambda r: r.count, right=True, sample="1.000 lượt"),
    Column("Ấp", lambda r: r.hamlet_name, sample="Thạnh Hòa Đông"),
    Column("Mô hình", lambda r: r.model_name, sample="Camera an ninh ấp Lợi An"),
    Column("Nội dung", lambda r: r.note),
]


class PropagandaDialog(WriteDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Ghi nhận hoạt động tuyên truyền", parent)
        self.kind = fold_search(QComboBox())
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code.value)
        self.day = QLineEdit(format_date(date.today()), placeholderText=DATE_PLACEHOLDER)
        self.count = QSpinBox(minimum=1, maximum=1_000_000)
        self.hamlet, self.model = fold_search(QComboBox()), fold_search(QComboBox())
        self.hamlet.addItem(NONE, None)
        for row in ctx.read(hamlets.list_hamlets):
            self.hamlet.addItem(row.name, row.id)
        self.model.addItem(NONE, None)
        for row in ctx.read(prevention.list_models, status="active"):
            self.model.addItem(row.name, row.id)
        self.note = QLineEdit(placeholderText="nội dung tuyên truyền")
        form = QFormLayout()
        for label, widget, field in (("Hình thức *", self.kind, "kind"), ("Ngày *", self.day, "activity_date"),
                                     ("Số lượng *", self.count, "count"), ("Ấp", self.hamlet, "hamlet_id"),
                                     ("Thuộc mô hình", self.model, "model_id"), ("Nội dung", self.note, "note")):
            self.errors.add_row(form, label, widget, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Lưu"))
        self.wire_buttons()
        self.resize(520, self.sizeHint().height())

    def submit(self) -> None:
        self.write(propaganda.record_activity, kind=self.kind.currentData(),
                   activity_date=date_from_text(self.day.text(), field="activity_date", required=True),
                   count=self.count.value(), hamlet_id=self.hamlet.currentData(),
                   model_id=self.model.currentData(), note=self.note.text())


def _activities_and_totals(session, since, until) -> tuple:
    return (propaganda.list_activities(session, since=since, until=until),
            propaganda.totals(session, since=since, until=until))


class PropagandaPanel(QWidget):
    TABLES = table_set("propaganda_activity", "admin_unit", "prevention_model")
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: PropagandaDialog | None = None
        self._saved_id: str | None = None  # an activity just recorded: selected once listed
        self.period = PeriodPicker()
        self.period.set_period(period_for("Y", date.today().year))  # this year's entries, new ones included
        self.model = RowsTableModel(COLUMNS)
        self.table = make_table(self.model, stretch=len(COLUMNS) - 1)  # the last, free text, takes the room
        self.totals = QLabel(wordWrap=True)
        self.add_button, self.delete_button = QPushButton("Ghi nhận…"), QPushButton("Xóa")
        writes_only(ctx, self.add_button, self.delete_button)
        top = QHBoxLayout()
        top.addWidget(QLabel("Kỳ:"))
        top.addWidget(self.period, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.period.changed.connect(self.reload)
        self.add_button.clicked.connect(self.add_activity)
        self.delete_button.clicked.connect(self._on_delete)

    def reload(self) -> None:
        try:
            period = self.period.period()
        except UserError:
            return  # the picker shows what is wrong
        self.ctx.query(_activities_and_totals, period.start, period.end, parent=self, key=(self, "activities"),
                       on_done=lambda loaded: self._show(period, *loaded))

    def _show(self, period, rows: list, done: dict) -> None:
        self.model.set_rows(rows)
        if self._saved_id:
            select_row(self.table, self._saved_id)
            self._saved_id = None
        parts = [f"{label}: <b>{format_int(done.get(code, 0))}</b> {KIND_UNITS[code]}"
                 for code, label in KIND_LABELS.items()]
        self.totals.setText(f"Tổng {period.label}: " + "; ".join(parts))

    def add_activity(self) -> None:
        self.dialog = PropagandaDialog(self.ctx, parent=self)
        self.dialog.accepted.connect(lambda: setattr(self, "_saved_id", self.dialog.result_value))
        self.dialog.open()

    def _on_delete(self) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        if confirm(self, "Xóa hoạt động tuyên truyền",
                   f"Xóa «{row.kind_label}» ngày {format_date(row.activity_date)}?", "Xóa"):
            self.ctx.write(propaganda.delete_activity, row.id, parent=self,
                           on_error=lambda exc: show_error(self, exc))
