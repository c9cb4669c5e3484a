"""Vi phạm cam kết of one household: sensitive (DOMAIN.md §4), so they are
shown here, on the household's own detail, and nowhere in the lists."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services import pledge_violations as violations
from gocong_desktop.core.services.pledge_violations import ViolationRow
from gocong_desktop.core.services.pledges import default_template_text
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.columns import fit_columns
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.form_errors import FieldErrors
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, confirm, date_from_text, make_default
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui.widgets.rows_table import read_only_grid

HEADERS = ["Ngày", "Nội dung vi phạm", "Ghi chú"]


class PledgeViolationsDialog(FittedDialog):
    def __init__(self, ctx: AppContext, household_id: str, head_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.household_id = ctx, household_id
        self.errors = FieldErrors()
        self._rows: list[ViolationRow] = []
        self._writing = False  # a save or deletion is on its way
        self.setWindowTitle(f"Vi phạm cam kết – hộ {head_name}")
        self._build()
        self._wire()
        self._reload()
        assign_mnemonics(self)  # Alt+letters, once every button exists

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        notice = QLabel("Thông tin nhạy cảm: chỉ hiện ở đây, không đưa vào danh sách; "
                        "không gửi cấp trên trừ khi đơn vị đã chọn gửi.")
        notice.setWordWrap(True)
        self.table = self._build_table()
        self.delete_button = QPushButton("Xóa vi phạm đã chọn")
        self.when = QLineEdit(format_date(date.today()), placeholderText=DATE_PLACEHOLDER)
        self.item = fold_search(QComboBox())  # items are long sentences: keep the dialog a sane width
        self.item.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(40)
        self.note = QLineEdit()
        self.add_button = QPushButton("Ghi vi phạm")
        form = QFormLayout()
        self.errors.add_row(form, "Ngày vi phạm *", self.when, "violation_date")
        self.errors.add_row(form, "Nội dung đã cam kết", self.item, "item_number")
        self.errors.add_row(form, "Ghi chú", self.note, "note")
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_box.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        layout = QVBoxLayout(self)
        for part in (notice, self.table):
            layout.addWidget(part)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.close_box)
        make_default(self.add_button, "Ghi vi phạm")  # Enter records; it pressed «Xóa…», the first button
        self.resize(720, 480)

    @staticmethod
    def _build_table() -> QTableWidget:
        table = read_only_grid(QTableWidget(0, len(HEADERS)), HEADERS)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        fit_columns(table, 1)  # the violation's text takes the room left
        return table

    def _wire(self) -> None:
        self.add_button.clicked.connect(self._on_add)
        self.delete_button.clicked.connect(self._on_delete)
        self.close_box.rejected.connect(self.reject)
        self.when.editingFinished.connect(self._fill_items)

    # ---- data -----------------------------------------------------------
    def _reload(self) -> None:
        self._rows = self.ctx.read(violations.list_violations, self.household_id)
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            item = f"{row.item_number}. {row.item_text or ''}".strip() if row.item_number else ""
            for c, value in enumerate((format_date(row.violation_date), item, row.note or "")):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(r, c, cell)
        self.delete_button.setEnabled(bool(self._rows))
        self._fill_items()

    def _fill_items(self) -> None:
        """The items the household pledged in the year of the date typed."""
        try:
            when = date_from_text(self.when.text(), field="violation_date")
        except UserError:
            when = None
        year = (when or date.today()).year
        items = self.ctx.read(violations.pledge_items, self.household_id, year) or list(
            default_template_text().items)
        self.item.clear()
        self.item.addItem("— không chỉ rõ —", None)
        for n, text in enumerate(items, start=1):
            self.item.addItem(f"{n}. {text}", n)

    # ---- slots ----------------------------------------------------------
    def _on_add(self) -> None:
        if self._writing:  # Enter pressed again in a field: the save is already on its way
            return
        self.errors.clear()
        try:
            when = date_from_text(self.when.text(), field="violation_date", required=True)
        except UserError as exc:
            self.errors.show(exc)
            return
        self._write(violations.record_violation, self.household_id, violation_date=when,
                    item_number=self.item.currentData(), note=self.note.text(), on_done=self._on_saved)

    def _on_saved(self, _result: object) -> None:
        self.note.clear()
        self._reload()

    def _on_delete(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self._writing or not rows or not confirm(self, "Xóa vi phạm", "Xóa vi phạm đã chọn?", "Xóa"):
            return
        row = self._rows[rows[0].row()]
        self._write(violations.delete_violation, row.id, on_done=lambda _r: self._reload())

    def _write(self, fn, *args, on_done, **kwargs) -> None:
        """One write at a time: «Ghi vi phạm» and «Xóa…» are off until it is done, saved or
        refused (a double click, or Enter pressed twice, records one violation)."""
        def done(result: object) -> None:
            self._set_writing(False)
            on_done(result)

        self._set_writing(True)
        self.ctx.write(fn, *args, on_done=done, on_error=self._on_failed, parent=self, **kwargs)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_writing(False)
        if not (isinstance(exc, UserError) and self.errors.show(exc)):
            show_error(self, exc)

    def _set_writing(self, writing: bool) -> None:
        self._writing = writing
        self.add_button.setEnabled(not writing)
        self.delete_button.setEnabled(not writing and bool(self._rows))
