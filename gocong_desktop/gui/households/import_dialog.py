"""«Nhập từ Excel…»: a commune's existing household list taken into the register.

Pick a file; each of its columns gets a combo (guessed from the header, or as
chosen for the same header before on this PC); the preview shows what each row
would do and why a row is refused; «Nhập» imports all or nothing (or, ticked,
the good rows only) on the worker. Reading and previewing run off the UI thread.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services import household_import as hi
from gocong_desktop.core.text import format_int
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.widgets.form_parts import set_enabled, writes_only
from gocong_desktop.gui.widgets import last_folders
from gocong_desktop.gui.widgets.last_folders import last_folder, remember
from gocong_desktop.gui.widgets.rows_table import read_only_grid
from gocong_desktop.gui import message_box

FILE_FILTER = "Danh sách hộ (*.xlsx *.csv);;Excel (*.xlsx);;CSV (*.csv)"
PREVIEW_HEADERS = ["Dòng", "Chủ hộ", "Ấp", "Kết quả", "Ghi chú"]
FIELD_CHOICES = [hi.IGNORED, *(f.key for f in hi.FIELDS)]
PREFERRED_SIZE = (920, 680)
REFUSED_COLOR = QColor("#b00020")  # as a form's error (gui/widgets/form_errors.py)
PREVIEW_ROWS = 2_000  # problems first; a longer list is summed up below the table


def _load(_session, path: Path) -> tuple[hi.SourceTable, list[str]]:
    """The file read and its columns guessed (a reader thread: the session is unused)."""
    table = hi.read_table(path)
    return table, hi.mapping_for(table)


class _Relay(QObject):
    """Carries the worker's progress reports to the window (a queued signal)."""

    moved = Signal(str, int, int)


class HouseholdImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table: hi.SourceTable | None = None
        self.plan: hi.ImportPlan | None = None
        self.importing = False
        self._relay = _Relay(self)
        self._relay.moved.connect(self._on_progress)
        self.setWindowTitle("Nhập danh sách hộ gia đình từ Excel")
        self._build()
        self._fit_screen()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.path_edit = QLineEdit(readOnly=True, placeholderText="Chưa chọn tệp .xlsx hoặc .csv")
        self.choose_button = QPushButton("&Chọn tệp…")
        self.choose_button.clicked.connect(self._choose)
        top = QHBoxLayout()
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.choose_button)
        self.file_label = QLabel(wordWrap=True)
        self.columns = self._table(["Cột trong tệp", "Ví dụ", "Lấy làm"])
        self.preview = self._table(PREVIEW_HEADERS)
        self.summary = QLabel(wordWrap=True)
        self.progress = QProgressBar(visible=False)
        self.skip_refused = QCheckBox("&Bỏ qua các dòng lỗi (nhập các dòng đúng)")
        self.skip_refused.toggled.connect(lambda _on: self._update_button())
        self.import_button = QPushButton("&Nhập")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._import)
        self.close_button = close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        writes_only(self.ctx, self.import_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_refused)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.file_label)
        layout.addWidget(QLabel("Cột nào chứa thông tin gì (đã đoán theo tên cột; hãy sửa nếu sai):"))
        layout.addWidget(self.columns, 2)
        layout.addWidget(QLabel("Xem trước từng dòng:"))
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self._update_button()
        self.choose_button.setFocus()  # the first thing to do; Enter chooses the file

    def _fit_screen(self) -> None:
        """Room for the preview, never more than the screen (1024×768 at 125% included)."""
        available = self.screen().availableGeometry()
        self.resize(min(PREFERRED_SIZE[0], int(available.width() * 0.9)),
                    min(PREFERRED_SIZE[1], int(available.height() * 0.85)))

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = read_only_grid(QTableWidget(0, len(headers)), headers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # ---- reading --------------------------------------------------------
    def _choose(self) -> None:
        start = str(last_folder(self.ctx.settings, last_folders.HOUSEHOLD_LISTS))
        chosen, _filter = QFileDialog.getOpenFileName(self, "Chọn danh sách hộ gia đình", start, FILE_FILTER)
        if chosen:
            remember(self.ctx.settings, last_folders.HOUSEHOLD_LISTS, Path(chosen))
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Read ``path`` and preview it with its guessed columns (off the UI thread)."""
        self.path_edit.setText(str(path))
        self.table = self.plan = None
        self.columns.setRowCount(0)  # the last file's columns, gone with it
        self.file_label.clear()
        self._show_problem("Đang đọc tệp…")
        self.ctx.query(_load, path, on_done=self._on_loaded, on_error=self._on_failed, parent=self,
                       key=(self, "load"))

    def _on_loaded(self, loaded: tuple[hi.SourceTable, list[str]]) -> None:
        self.table, mapping = loaded
        self.file_label.setText(f"{self.table.path.name} ({self.table.description}): dòng tiêu đề "
                                f"{self.table.header_line}, {format_int(len(self.table.rows))} dòng dữ liệu.")
        self._fill_columns(mapping)
        self._replan()

    def _on_failed(self, exc: BaseException) -> None:
        self.plan = None
        if isinstance(exc, UserError):
            self._show_problem(exc.message)
        else:
            self._show_problem("")
            show_error(self, exc)

    def _fill_columns(self, mapping: list[str]) -> None:
        example = self.table.rows[0].values if self.table.rows else []
        self.columns.setRowCount(len(self.table.headers))
        for row, (header, key) in enumerate(zip(self.table.headers, mapping)):
            sample = hi.cell_text(example[row]) if row < len(example) else ""
            self.columns.setItem(row, 0, QTableWidgetItem(header))
            self.columns.setItem(row, 1, QTableWidgetItem((sample or "")[:40]))
            combo = fold_search(QComboBox())
            for choice in FIELD_CHOICES:
                combo.addItem(hi.LABELS[choice], choice)
            combo.setCurrentIndex(combo.findData(key))
            combo.currentIndexChanged.connect(lambda _i: self._replan())
            self.columns.setCellWidget(row, 2, combo)

    def mapping(self) -> list[str]:
        return [self.columns.cellWidget(row, 2).currentData() for row in range(self.columns.rowCount())]

    def set_column(self, header: str, key: str) -> None:
        """Choose ``key`` for the column named ``header`` (as a person would with its combo)."""
        row = self.table.headers.index(header)
        combo = self.columns.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData(key))

    def _replan(self) -> None:
        self.plan = None
        self._update_button()
        self.ctx.query(hi.plan_import, self.table, self.mapping(), progress=self._reporter(),
                       on_done=self._on_planned, on_error=self._on_failed, parent=self, key=(self, "plan"))

    # ---- preview --------------------------------------------------------
    def _reporter(self) -> hi.Progress:
        relay = self._relay

        def report(stage: str, done: int, total: int) -> None:  # on the worker or a reader thread
            with suppress(RuntimeError):  # the dialog was closed meanwhile
                relay.moved.emit(stage, done, total)
        return report

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{stage} dòng {format_int(done)}/{format_int(total)}…")
        self.progress.setVisible(True)

    def _on_planned(self, plan: hi.ImportPlan) -> None:
        self.progress.setVisible(False)
        self.plan = plan
        rows = sorted(plan.rows, key=lambda r: (r.action != hi.REFUSED, r.line))[:PREVIEW_ROWS]  # problems first
        self.preview.setRowCount(len(rows))
        for index, outcome in enumerate(rows):
            cells = [str(outcome.line), outcome.head_name, outcome.hamlet, outcome.action_label, outcome.message]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a reason longer than its column is read whole on hover
                if outcome.action == hi.REFUSED:
                    item.setForeground(REFUSED_COLOR)
                self.preview.setItem(index, column, item)
        more = len(plan.rows) - len(rows)
        shown = f" (bảng trên hiện {format_int(len(rows))} dòng đầu, các dòng lỗi trước)" if more > 0 else ""
        self.summary.setText(f"Sẽ {plan.summary()}{shown}.")
        self._update_button()

    def _show_problem(self, message: str) -> None:
        self.preview.setRowCount(0)
        self.summary.setText(message)
        self._update_button()

    def _update_button(self) -> None:
        ready = (self.plan is not None and not self.importing
                 and (not self.plan.refused or self.skip_refused.isChecked()))
        set_enabled(self.import_button, ready and any(r.action in (hi.ADD, hi.UPDATE) for r in self.plan.rows))

    # ---- importing ------------------------------------------------------
    def _import(self) -> None:
        if self.plan is None:
            return
        table, mapping, skip, report = self.table, self.mapping(), self.skip_refused.isChecked(), self._reporter()

        def job() -> hi.ImportReport:
            with self.ctx.db.session() as session:
                return hi.import_households(session, table, mapping, skip_refused=skip, progress=report)

        self._set_importing(True)
        # The dialog's own progress bar, not the busy box: it says how far the import is.
        self.ctx.tasks.run(job, on_done=self._on_imported, on_error=self._on_import_failed, parent=self,
                           busy_text=None)

    def _set_importing(self, importing: bool) -> None:
        """While the worker writes, nothing here can be changed and the dialog stays open."""
        self.importing = importing
        for widget in (self.choose_button, self.columns, self.skip_refused, self.close_button):
            widget.setEnabled(not importing)
        self.progress.setVisible(importing)
        self._update_button()

    def _on_import_failed(self, exc: BaseException) -> None:
        """Nothing was written (one transaction); the preview stays as it was."""
        self._set_importing(False)
        show_error(self, exc)

    def reject(self) -> None:
        if not self.importing:  # Esc or the title bar's close while writing: wait for the end
            super().reject()

    def _on_imported(self, report: hi.ImportReport) -> None:
        self._set_importing(False)
        with suppress(UserError):  # a machine file that cannot be written only forgets the columns
            hi.remember_mapping(report.plan.headers, report.plan.mapping)
        message_box.information(self, "Đã nhập danh sách hộ",
                                f"Đã nhập từ «{report.plan.file_name}»: {report.plan.summary()}.")
        self.accept()
