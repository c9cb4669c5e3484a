"""Nhật ký thay đổi: browse the audit log, filtered by who, what kind, record and dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QVBoxLayout, QWidget)

from gocong_desktop.core.db.ids import short_id
from gocong_desktop.core.services import audit_log
from gocong_desktop.core.services.audit_log import AuditRow
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

COLUMNS = [
    Column[AuditRow]("Thời điểm", lambda r: r.at.astimezone().strftime("%d/%m/%Y %H:%M:%S"),
                     sort=lambda r: r.at, sample="29/11/2026 15:42:30"),
    Column[AuditRow]("Người thực hiện", lambda r: r.actor, sample="Người thực hiện"),
    Column[AuditRow]("Thao tác", lambda r: r.action_label, sample="Xác nhận gói"),
    Column[AuditRow]("Loại dữ liệu", lambda r: r.table_label, sample="Đơn vị hành chính"),
    Column[AuditRow]("Mã bản ghi", lambda r: short_id(r.record_id), sample="0000000000"),
    Column[AuditRow]("Thay đổi", lambda r: r.changes),
]
CHANGES_COLUMN = len(COLUMNS) - 1
DEFAULT_DAYS = 30
_ALL = "(tất cả)"


class AuditLogDialog(FittedDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Nhật ký thay đổi")
        self.resize(1000, 560)
        self._build()
        self._wire()
        self.refresh()
        assign_mnemonics(self)  # Alt+letters, once every button exists

    def _build(self) -> None:
        self.actor = fold_search(QComboBox())
        self.kind = fold_search(QComboBox())
        self.actor.addItem(_ALL, None)
        for name in self.ctx.read(audit_log.actors):
            self.actor.addItem(name, name)
        self.kind.addItem(_ALL, None)
        for name in self.ctx.read(audit_log.table_names):
            self.kind.addItem(audit_log.table_label(name), name)
        self.record = QLineEdit(placeholderText="Mã bản ghi (hoặc một phần của mã)")
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-DEFAULT_DAYS), calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.until = QDateEdit(today, calendarPopup=True, displayFormat="dd/MM/yyyy")
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(QLabel("đến"))
        dates.addWidget(self.until)
        dates.addStretch(1)
        form = QFormLayout()
        form.addRow("Người thực hiện", self.actor)
        form.addRow("Loại dữ liệu", self.kind)
        form.addRow("Bản ghi", self.record)
        form.addRow("Từ ngày", dates)
        self.model = RowsTableModel(COLUMNS, parent=self)
        self.table = make_table(self.model, stretch=CHANGES_COLUMN)  # the what, not the when, gets the room
        self.count = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.actor.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.record.textChanged.connect(self.refresh)
        self.since.dateChanged.connect(self.refresh)
        self.until.dateChanged.connect(self.refresh)
        self.buttons.rejected.connect(self.reject)

    def refresh(self) -> None:
        """Read the entries again off the UI thread (each keystroke in a filter starts a read)."""
        self.ctx.query(audit_log.list_entries, actor=self.actor.currentData(),
                       table_name=self.kind.currentData(), record_id=self.record.text().strip() or None,
                       since=_day(self.since.date()), until=_day(self.until.date()),
                       on_done=self._show, parent=self, key=(self, "entries"))

    def _show(self, rows: list) -> None:
        self.model.set_rows(rows)
        more = " (chỉ hiện các mục mới nhất; hãy thu hẹp bộ lọc)" if len(rows) >= audit_log.MAX_ROWS else ""
        self.count.setText(f"{len(rows)} mục{more}")


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def show_audit_log(ctx: AppContext, parent: QWidget | None = None) -> None:
    AuditLogDialog(ctx, parent).exec()
