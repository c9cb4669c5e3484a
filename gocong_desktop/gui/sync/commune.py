"""The commune's half of the Sync page: export a package to a folder or USB
stick, import the upper office's receipt, and the list of packages sent."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.sync import ExportRow, ExportSummary, ReceiptResult, export_package, import_receipt, list_exports
from gocong_desktop.core.services.privacy import PERSONAL_FIELDS, sync_personal_fields, travel_lines
from gocong_desktop.core.sync.receipts import EXTENSION as RECEIPT_EXTENSION
from gocong_desktop.core.text import format_int
from gocong_desktop.gui.widgets.flow import flow_row
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import set_enabled, writes_only
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table
from gocong_desktop.gui.sync.common import choose_folder, format_when, show_lines

STATUS = {"exported": "Đã xuất", "delivered": "Đã giao"}

COLUMNS: list[Column[ExportRow]] = [
    Column("Gói số", lambda r: r.sequence, sort=lambda r: r.sequence, right=True, sample="Gói số 0"),
    Column(
        "Ngày xuất", lambda r: format_when(r.created_at), sort=lambda r: r.sequence, sample="30/06/2024 10:00"
    ),
    Column(
        "Phạm vi",
        lambda r: "Toàn bộ" if r.full else f"Từ sau gói số {r.since_sequence}",
        sample="Từ sau gói số 000",
    ),
    Column(
        "Số bản ghi",
        lambda r: format_int(r.records),
        sort=lambda r: r.records,
        right=True,
        sample="Số bản ghi",
    ),
    Column("Mã hóa", lambda r: "Có" if r.encrypted else "Không", sample="Mã hóa"),
    Column("Trạng thái", lambda r: STATUS.get(r.status, r.status), sample="Trạng thái"),
    Column("Ngày giao", lambda r: format_when(r.delivered_at), sample="30/06/2024 10:00"),
    Column("Tệp", lambda r: r.file_name or "", sample="tan-binh-xa-binh-tan-000000.gcsync"),
]


def _privacy_and_exports(session) -> tuple:
    return sync_personal_fields(session), list_exports(session)


class CommuneSyncPanel(QWidget):
    TABLES = table_set("sync_package", "app_setting")  # the packages sent; the personal fields they carry
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_summary: ExportSummary | None = None
        self.last_receipt: ReceiptResult | None = None
        self.export_button = QPushButton("Xuất gói đồng bộ…")
        self.full_export = QCheckBox("Xuất toàn bộ")
        self.full_export.setToolTip("Gửi lại toàn bộ dữ liệu thay vì chỉ những thay đổi từ gói trước.")
        self.receipt_button = QPushButton("Nhập biên nhận…")
        writes_only(ctx, self.export_button, self.full_export, self.receipt_button)
        self.model: RowsTableModel[ExportRow] = RowsTableModel(COLUMNS, parent=self)
        self.table = make_table(self.model, stretch=len(COLUMNS) - 1)  # the last, free text, takes the room
        self.count_label = QLabel()
        self.privacy_label = QLabel()
        self.privacy_label.setWordWrap(True)
        actions = flow_row(self.export_button, self.full_export, self.receipt_button, right=self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(actions)
        layout.addWidget(self.privacy_label)
        layout.addWidget(
            QLabel("Các gói đã xuất (mang lên cơ quan cấp trên; «Đã giao» khi đã nhập biên nhận):", wordWrap=True)
        )
        layout.addWidget(self.table)
        self.export_button.clicked.connect(self.export)
        self.receipt_button.clicked.connect(self.import_receipt)

    def refresh(self) -> None:
        self.ctx.query(_privacy_and_exports, on_done=self._show, parent=self, key=(self, "exports"))

    def _show(self, loaded: tuple) -> None:
        sent, rows = loaded
        self._show_privacy(sent)
        self.model.set_rows(rows)
        delivered = sum(r.status == "delivered" for r in rows)
        self.count_label.setText(f"{format_int(len(rows))} gói, {format_int(delivered)} đã giao")

    def _show_privacy(self, sent: set[str]) -> None:
        """Which personal fields the next package carries; the columns in the tooltip."""
        labels = {side: [label for key, (label, _d, _c) in PERSONAL_FIELDS.items() if (key in sent) == side]
                  for side in (True, False)}
        self.privacy_label.setText(
            "Thông tin cá nhân gửi kèm: " + ("; ".join(labels[True]) or "không có") + ".\n"
            "Giữ lại tại đơn vị, không gửi: " + ("; ".join(labels[False]) or "không có")
            + ". (Quản trị viên đổi ở Hệ thống › Cài đặt.)")
        travels, home = travel_lines(sent)
        self.privacy_label.setToolTip("Gửi đi:\n  " + "\n  ".join(travels or ["(không có)"])
                                      + "\nGiữ lại:\n  " + "\n  ".join(home or ["(không có)"]))

    # ---- export -----------------------------------------------------------
    def export(self) -> None:
        folder = choose_folder(self, "Chọn thư mục hoặc USB để lưu gói đồng bộ")
        if folder is None:
            return
        full, db = self.full_export.isChecked(), self.ctx.db
        self.export_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda: export_package(db, folder, full=full),
            on_done=self._on_exported,
            on_error=self._on_failed,
            parent=self,
            busy_text="Đang xuất gói đồng bộ…",
        )

    def _on_exported(self, summary: ExportSummary) -> None:
        set_enabled(self.export_button, True)
        self.full_export.setChecked(False)
        self.last_summary = summary
        show_lines(self, "Đã xuất gói đồng bộ", [f"Tệp: {summary.path}", *summary.lines()])

    def _on_failed(self, exc: BaseException) -> None:
        set_enabled(self.export_button, True)
        show_error(self, exc)

    # ---- receipts ---------------------------------------------------------
    def import_receipt(self) -> None:
        """Checked against the upper office's key registered from its key card;
        a receipt never registers a key (refused with what to do instead)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Chọn biên nhận của cơ quan cấp trên", "", f"Biên nhận (*{RECEIPT_EXTENSION});;Mọi tệp (*)"
        )
        if not path:
            return
        db = self.ctx.db
        self.ctx.tasks.run(
            lambda: import_receipt(db, path),
            on_done=self._on_receipt,
            on_error=lambda exc: show_error(self, exc),
            parent=self,
        )

    def _on_receipt(self, result: ReceiptResult) -> None:
        self.last_receipt = result
        show_lines(self, "Đã nhập biên nhận", [result.message])
