"""The upper office's half of the Sync page: import packages (a preview per
file, then "Nhập"), confirm an unknown commune's fingerprint once, undo an
import, write receipts, resolve conflicts, and compare the communes side by side."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.sync import (
    ImportResult,
    import_packages,
    list_conflicts,
    list_imports,
    resolve_conflict,
    write_receipt,
)
from gocong_desktop.core.sync.importer import DRY_RUN, REFUSED, batch_summary, package_files
from gocong_desktop.core.sync.manifest import EXTENSION
from gocong_desktop.core.sync.undo import UndoResult, undo_import
from gocong_desktop.core.sync.unit_figures import refresh_unit_figures
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.core.text import format_int, phrase_at_word_start
from gocong_desktop.gui.widgets.flow import flow_row
from gocong_desktop.gui.context import AppContext
from gocong_desktop.core.upper.commune_records import commune_records
from gocong_desktop.core.documents.reports import write_aggregate_report
from gocong_desktop.core.upper.dashboard import CommuneRow, commune_dashboard
from gocong_desktop.gui.sync.commune_records_dialog import CommuneRecordsDialog
from gocong_desktop.gui.widgets.form_parts import ask_item, set_enabled, writes_only
from gocong_desktop.gui.sync.preview_dialog import SyncPreviewDialog
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets import last_folders
from gocong_desktop.gui.widgets.last_folders import ask_save_path
from gocong_desktop.gui.widgets.period_picker import PeriodPicker
from gocong_desktop.gui.documents.report_files import FILTERS, run_save, safe_name
from gocong_desktop.gui.widgets.rows_table import RowsTableModel, make_table, selected_row
from gocong_desktop.gui.sync.common import choose_folder, confirm_sender, confirm_undo_import, show_lines
from gocong_desktop.gui.sync.upper_tables import CONFLICT_COLUMNS, DASHBOARD_COLUMNS, IMPORT_COLUMNS
from gocong_desktop.gui.documents.list_export import ListExport

log = logging.getLogger(__name__)


def ask_period(parent: QWidget, title: str) -> ReviewPeriod | None:
    """The period of a report, chosen with the shared picker; None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    picker = PeriodPicker()
    form = QFormLayout(dialog)
    form.addRow("Kỳ báo cáo:", picker)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tiếp tục…")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        try:
            return picker.period()
        except UserError as exc:
            show_error(dialog, exc)
    return None


def preview_package(parent: QWidget, result: ImportResult) -> bool:
    """Show the dry run of one package; True when the user chose "Nhập"."""
    return SyncPreviewDialog(result, parent).exec() == QDialog.DialogCode.Accepted


def _dashboard_imports_conflicts(session) -> tuple:
    return commune_dashboard(session), list_imports(session), list_conflicts(session)


class UpperSyncPanel(QWidget):
    # The communes compared (their records' figures), the packages imported, the conflicts.
    TABLES = table_set("sync_peer", "sync_package", "sync_conflict", "admin_unit", "self_managed_group",
                       "household", "meeting", "attendance", "pledge", "prevention_model", "evaluation")
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figures_checked = False
        self.ctx = ctx
        self.trusted: set[str] = set()  # fingerprints confirmed in this session
        self.last_results: list[ImportResult] = []
        self.last_lines: list[str] = []
        self._skipped: list[str] = []  # files the user chose not to import after the preview
        self._queue: list[Path] = []
        self._build()

    def _build(self) -> None:
        self.import_files_button = QPushButton("Nhập gói…")
        self.import_folder_button = QPushButton("Nhập cả thư mục…")
        self.receipt_button = QPushButton("Ghi biên nhận…")
        self.receipt_button.setToolTip("Biên nhận có chữ ký cho các gói đã nhập của một xã, để mang về xã.")
        self.aggregate_button = QPushButton("Báo cáo tổng hợp các xã…")
        self.aggregate_button.setToolTip("Số liệu của các xã trong một kỳ, ra PDF hoặc Excel.")
        self.dashboard = RowsTableModel(DASHBOARD_COLUMNS, parent=self)
        self.imports = RowsTableModel(IMPORT_COLUMNS, parent=self)
        self.conflicts = RowsTableModel(CONFLICT_COLUMNS, parent=self)
        self.dashboard_table = make_table(self.dashboard)
        self.imports_table = make_table(self.imports)
        self.conflicts_table = make_table(self.conflicts, stretch=len(CONFLICT_COLUMNS) - 1)
        self.keep_local_button = QPushButton("Giữ bản hiện có")
        self.keep_incoming_button = QPushButton("Nhận bản mới")
        self.keep_local_button.setToolTip("Giữ bản cơ quan này có trước khi nhập gói (với «Xã đã mất khi khôi "
                                          "phục»: đưa lại thay đổi xã đã mất).")
        self.keep_incoming_button.setToolTip("Nhận bản trong gói (với «Xã đã mất khi khôi phục»: bản này đã được "
                                             "áp dụng, chỉ đánh dấu đã xem).")
        self.undo_import_button = QPushButton("Hoàn tác lần nhập…")
        self.undo_import_button.setToolTip("Trả mọi bản ghi của gói đã chọn về như trước khi nhập (có thể nhập "
                                           "lại gói sau).")
        self.summary_label = QLabel()
        writes_only(self.ctx, self.import_files_button, self.import_folder_button, self.receipt_button,
                    self.keep_local_button, self.keep_incoming_button,
                    self.undo_import_button)  # the report and comparison read
        self.export = ListExport(self.ctx, self, self.dashboard_table, "Danh sách các xã gửi số liệu")
        actions = flow_row(self.import_files_button, self.import_folder_button, self.receipt_button,
                           self.aggregate_button, *self.export.buttons(), right=self.summary_label)
        conflicts_page = QWidget()
        conflicts_layout = QVBoxLayout(conflicts_page)
        conflicts_layout.addWidget(
            QLabel("Bản ghi có hai nội dung cần người xem lại (cột «Vì sao»): chọn bản giữ lại.", wordWrap=True)
        )
        conflicts_layout.addWidget(self.conflicts_table)
        resolve = QHBoxLayout()
        resolve.addWidget(self.keep_local_button)
        resolve.addWidget(self.keep_incoming_button)
        resolve.addStretch(1)
        conflicts_layout.addLayout(resolve)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._dashboard_page(), "So sánh các xã")
        self.tabs.addTab(self._imports_page(), "Gói đã nhập")
        self.tabs.addTab(conflicts_page, "Xung đột")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(actions)
        layout.addWidget(self.tabs)
        self.import_files_button.clicked.connect(self.import_files)
        self.import_folder_button.clicked.connect(self.import_folder)
        self.receipt_button.clicked.connect(self.write_receipt)
        self.aggregate_button.clicked.connect(self.aggregate_report)
        self.dashboard_table.setToolTip("Nhấp đúp vào một xã để xem hồ sơ của xã (chỉ xem).")
        self.dashboard_table.doubleClicked.connect(lambda index: self.open_commune(index.row()))
        self.keep_local_button.clicked.connect(lambda: self.resolve_selected("local"))
        self.undo_import_button.clicked.connect(self.undo_selected_import)
        self.keep_incoming_button.clicked.connect(lambda: self.resolve_selected("incoming"))

    def _dashboard_page(self) -> QWidget:
        """The communes compared, with a search box (a province has a hundred of them)."""
        self._communes: list[CommuneRow] = []
        self.commune_search = QLineEdit(placeholderText="Tìm xã (không cần dấu)…")
        self.commune_search.setClearButtonEnabled(True)
        self.commune_search.textChanged.connect(lambda _text: self._show_communes())
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.commune_search)
        layout.addWidget(self.dashboard_table)
        return page

    def _show_communes(self) -> None:
        query = self.commune_search.text()
        shown = [r for r in self._communes if phrase_at_word_start(query, r.name)]
        self.dashboard.set_rows(shown)
        filtered = bool(query.strip()) and bool(self._communes)
        self.tabs.setTabText(0, f"So sánh các xã ({format_int(len(shown))}/{format_int(len(self._communes))})"
                             if filtered else "So sánh các xã")

    def _imports_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.imports_table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page

    def refresh(self) -> None:
        self.ctx.query(_dashboard_imports_conflicts, on_done=self._show, parent=self, key=(self, "dashboard"))

    def _show(self, loaded: tuple) -> None:
        communes, imports, conflicts = loaded
        self._keep_figures_current()
        self._communes = list(communes)
        self._show_communes()
        self.imports.set_rows(imports)
        self.conflicts.set_rows(conflicts)
        self.tabs.setTabText(2, f"Xung đột ({format_int(len(conflicts))})" if conflicts else "Xung đột")
        set_enabled(self.keep_local_button, bool(conflicts))
        set_enabled(self.keep_incoming_button, bool(conflicts))
        self.summary_label.setText(
            f"{format_int(len(communes))} xã, {format_int(self.imports.rowCount())} gói "
            f"đã nhập, {format_int(len(conflicts))} xung đột chưa xử lý"
        )

    def _keep_figures_current(self) -> None:
        """Once a window: communes whose kept figures are of another quarter are
        counted again in the background (no busy box), so later dashboards are quick."""
        if self._figures_checked or not self.ctx.can_write():
            return
        self._figures_checked = True
        db = self.ctx.db

        def job() -> int:
            with db.session() as session:
                return refresh_unit_figures(session)
        self.ctx.tasks.run(job, busy_text=None, on_error=lambda exc: log.warning("figures not kept", exc_info=exc))

    # ---- import: one file at a time, preview, then apply -------------------
    def import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, "Chọn các gói đồng bộ", "", f"Gói đồng bộ (*{EXTENSION});;Mọi tệp (*)"
        )
        if paths:
            self.start_import(paths)

    def import_folder(self) -> None:
        folder = choose_folder(self, "Chọn thư mục (hoặc USB) chứa các gói đồng bộ")
        if folder is not None:
            self.start_import([folder])

    def start_import(self, paths: list[str | Path]) -> None:
        # File names end with the package number: sorted, each commune's packages come in order.
        files = sorted(package_files(paths), key=lambda p: (p.name, str(p)))
        self.last_results, self.last_lines, self._skipped = [], [], []
        if not files:
            show_lines(self, "Nhập gói đồng bộ", [f"Không có tệp {EXTENSION} nào trong thư mục đã chọn."])
            return
        self._queue = files
        self._set_busy(True)
        self._next()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.import_files_button, self.import_folder_button, self.receipt_button):
            set_enabled(button, not busy)

    def _next(self) -> None:
        if self._queue:
            self._run(self._queue[0], dry_run=True)
        else:
            self._set_busy(False)
            show_lines(self, "Kết quả nhập gói", [self._summary(), *self.last_lines])

    def _summary(self) -> str:
        """Every file accounted for: imported, already there, refused, skipped."""
        skipped = f" Bỏ qua {len(self._skipped)} tệp ({', '.join(self._skipped)})." if self._skipped else ""
        return batch_summary(self.last_results) + skipped

    def _run(self, path: Path, *, dry_run: bool) -> None:
        db, trust = self.ctx.db, tuple(self.trusted)
        self.ctx.tasks.run(
            lambda: import_packages(db, [path], trust=trust, dry_run=dry_run)[0],
            on_done=self._on_preview if dry_run else self._record,
            on_error=self._on_crash,
            parent=self,
            busy_text="Đang kiểm tra gói…" if dry_run else "Đang nhập gói…",
        )

    def _on_preview(self, result: ImportResult) -> None:
        fingerprint = result.fingerprint
        if (
            result.status == REFUSED
            and result.error_code == "unknown_sender"
            and fingerprint
            and fingerprint not in self.trusted
        ):
            if confirm_sender(self, result.sender_name, fingerprint, "gói"):
                self.trusted.add(fingerprint)
                self._next()  # the same file again, now trusted
                return
        if result.status != DRY_RUN:
            self._record(result)
        elif preview_package(self, result):
            self._run(result.path, dry_run=False)
        else:
            self._queue.pop(0)
            self._skipped.append(result.path.name)
            self.last_lines.append(f"{result.path.name}: không nhập (người dùng bỏ qua)")
            self._next()

    def _record(self, result: ImportResult) -> None:
        self._queue.pop(0)
        self.last_results.append(result)
        self.last_lines += result.lines()
        self._next()

    def _on_crash(self, exc: BaseException) -> None:
        self._queue.clear()
        self._set_busy(False)
        show_error(self, exc)

    def open_commune(self, row: int) -> CommuneRecordsDialog:
        """The commune's records, read-only (double-click on the dashboard)."""
        commune = self.dashboard.row_at(row)
        dialog = CommuneRecordsDialog(commune.name, self.ctx.read(commune_records, commune.unit_id), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.show()
        return dialog

    # ---- the aggregate report across communes ------------------------------
    def aggregate_report(self) -> None:
        period = ask_period(self, "Báo cáo tổng hợp các xã")
        if period is None:
            return
        name = safe_name(f"Báo cáo tổng hợp các xã {period.label}", ".pdf")
        chosen = ask_save_path(self, self.ctx.settings, last_folders.REPORTS, title="Lưu báo cáo tổng hợp",
                               name=name, filters=f"{FILTERS['.pdf']};;{FILTERS['.xlsx']}")
        if chosen is None:
            return
        path, chosen_filter = chosen
        if path.suffix.lower() not in FILTERS:
            path = path.with_name(path.name + (".xlsx" if chosen_filter == FILTERS[".xlsx"] else ".pdf"))
        run_save(self, self.ctx, path, lambda session, p: write_aggregate_report(session, period, p))

    # ---- receipts and conflicts --------------------------------------------
    def _choose_commune(self) -> CommuneRow | None:
        row = selected_row(self.dashboard_table) if self.tabs.currentIndex() == 0 else None
        if row is not None:
            return row
        options = [r for r in self._communes if r.last_sequence is not None]
        if not options:
            show_lines(self, "Ghi biên nhận", ["Chưa nhập gói nào của xã nào."])
            return None
        labels = [r.name for r in options]
        choice = ask_item(self, "Ghi biên nhận", "Biên nhận cho xã:", labels)
        return options[labels.index(choice)] if choice in labels else None

    def write_receipt(self) -> None:
        commune = self._choose_commune()
        if commune is None:
            return
        folder = choose_folder(self, f"Chọn thư mục (hoặc USB) để lưu biên nhận cho {commune.name}")
        if folder is None:
            return
        db, unit_id = self.ctx.db, commune.unit_id
        self.ctx.tasks.run(
            lambda: write_receipt(db, folder, unit_id=unit_id),
            on_done=lambda path: show_lines(
                self,
                "Đã ghi biên nhận",
                [
                    f"Tệp: {path}",
                    f"Mang tệp này về {commune.name} và chọn «Nhập biên nhận…» trên trang Đồng bộ.",
                ],
            ),
            parent=self,
        )

    # ---- undo of an import ---------------------------------------------------
    def undo_selected_import(self) -> None:
        row = selected_row(self.imports_table)
        if row is None:
            show_lines(self, "Hoàn tác lần nhập", ["Hãy chọn một gói trong danh sách «Gói đã nhập»."])
            return
        if not confirm_undo_import(self, row.sender_name, row.sequence):
            return
        # Its own write transaction, as the import (foreign keys are set outside one).
        db, package_uuid = self.ctx.db, row.package_uuid
        self.ctx.tasks.run(
            lambda: undo_import(db, package_uuid),
            on_done=self._on_undone,
            on_error=lambda exc: show_error(self, exc),
            parent=self,
            busy_text="Đang hoàn tác lần nhập…",
        )

    def _on_undone(self, result: UndoResult) -> None:
        show_lines(self, "Đã hoàn tác lần nhập", [result.message])

    def resolve_selected(self, keep: str) -> None:
        row = selected_row(self.conflicts_table)
        if row is None:
            show_lines(self, "Xử lý xung đột", ["Hãy chọn một xung đột trong danh sách."])
            return
        self.ctx.write(resolve_conflict, row.id, keep=keep, parent=self)
