"""Đồng bộ: this office's key (fingerprint, key card, registration sheet) and,
by role, the commune's packages to the upper office or the upper office's
imports, conflicts and comparison of its communes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFileDialog, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.db.access import Role
from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.sync import KeyCard, PeerInfo, import_key_card, list_peers, office_card, write_key_card
from gocong_desktop.core.sync.keys import CARD_EXTENSION
from gocong_desktop.core.sync.peers import KeyRegistration, preview_key_card
from gocong_desktop.core.documents.key_sheet import write_key_sheet
from gocong_desktop.gui.widgets.flow import flow_row, labelled
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.sync.own_key_actions import OwnKeyActions
from gocong_desktop.gui.sync.common import choose_folder, confirm_key_change, show_lines
from gocong_desktop.gui.sync.commune import CommuneSyncPanel
from gocong_desktop.gui.sync.upper import UpperSyncPanel
from gocong_desktop.gui.widgets.page_base import Page


class SyncPage(Page):
    KEY_TABLES = table_set("office", "sync_key", "sync_peer")  # this office's key, the keys registered

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.is_upper = ctx.read(lambda s: get_office(s).role == OfficeRole.UPPER)
        self.panel: CommuneSyncPanel | UpperSyncPanel = (
            UpperSyncPanel(ctx, self) if self.is_upper else CommuneSyncPanel(ctx, self)
        )
        self.TABLES = self.KEY_TABLES | self.panel.TABLES
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_keys())
        layout.addWidget(self.panel, 1)

    def _build_keys(self) -> QGroupBox:
        box = QGroupBox("Khóa của đơn vị")
        self.office_label = QLabel()
        self.fingerprint_label = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.fingerprint_label.setFont(font)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.peers_label = QLabel(textFormat=Qt.TextFormat.PlainText)  # names from key cards
        self.peers_label.setWordWrap(True)
        self.card_button = QPushButton("Xuất tệp khóa…")
        self.sheet_button = QPushButton("In phiếu đăng ký khóa (PDF)…")
        self.import_key_button = QPushButton(
            "Nhập tệp khóa của xã…" if self.is_upper else "Nhập khóa của cơ quan cấp trên…"
        )
        # Whom packages and receipts are trusted from: administrators. The key card
        # and sheet are files anyone may save.
        if self.ctx.db.role() != Role.ADMIN:
            self.import_key_button.setEnabled(False)
            self.import_key_button.setToolTip("Chỉ quản trị viên mới được nhập hoặc thay khóa của đơn vị khác.")
        buttons = flow_row(self.card_button, self.sheet_button, self.import_key_button)
        role = OfficeRole.UPPER if self.is_upper else OfficeRole.COMMUNE
        self.own_keys = OwnKeyActions(self.ctx, role, self.export_key_card, box)
        layout = QVBoxLayout(box)
        layout.addWidget(flow_row(self.office_label, labelled("Dấu vân tay:", self.fingerprint_label)))
        layout.addWidget(self.peers_label)
        layout.addWidget(buttons)
        layout.addWidget(self.own_keys)
        self.card_button.clicked.connect(self.export_key_card)
        self.sheet_button.clicked.connect(self.print_key_sheet)
        self.import_key_button.clicked.connect(self.import_key)
        return box

    def refresh(self) -> None:
        # On the writer, not a reader: the first time, the office's keys are made here.
        self.ctx.write(office_card, on_done=self._show_card, on_error=self._show_no_card, parent=self)
        self.ctx.query(list_peers, on_done=lambda peers: self.peers_label.setText(self._peers_text(peers)),
                       parent=self, key=(self, "peers"))
        self.panel.refresh()

    def _show_card(self, card: KeyCard) -> None:
        self.office_label.setText(
            f"<b>{card.display_name}</b> – "
            + ("cơ quan cấp trên" if self.is_upper else "gửi gói lên cơ quan cấp trên")
        )
        self.fingerprint_label.setText(card.fingerprint)

    def _show_no_card(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):  # not the expected "no keys yet"
            show_error(self, exc)
            return
        self.office_label.setText(exc.message)  # no keys yet, and this account may not make them
        self.fingerprint_label.setText("")

    def _peers_text(self, peers: list[PeerInfo]) -> str:
        if self.is_upper:
            communes = [p.display_name for p in peers if p.role == OfficeRole.COMMUNE]
            if communes:
                return "Các xã đã đăng ký khóa: " + ", ".join(communes)
            return (
                "Chưa xã nào đăng ký khóa: khi nhập gói đầu tiên của một xã, "
                "hãy so dấu vân tay với phiếu đăng ký."
            )
        upper = next((p for p in peers if p.role == OfficeRole.UPPER), None)
        if upper is None:
            return (
                "Chưa nhập khóa của cơ quan cấp trên: gói vẫn được ký nhưng chưa được mã hóa, và chưa nhập "
                "được biên nhận. Quản trị viên hãy nhập tệp khóa do cơ quan cấp trên cấp."
            )
        return (
            f"Cơ quan cấp trên: {upper.display_name} (dấu vân tay {upper.fingerprint}); "
            "gói được mã hóa cho cơ quan này."
        )

    # ---- key actions -----------------------------------------------------
    def export_key_card(self) -> None:
        folder = choose_folder(self, "Chọn thư mục (hoặc USB) để lưu tệp khóa")
        if folder is not None:
            self.ctx.write(
                write_key_card,
                folder,
                parent=self,
                on_done=lambda path: show_lines(
                    self,
                    "Đã xuất tệp khóa",
                    [f"Tệp: {path}", "Gửi tệp này kèm phiếu đăng ký khóa đã ký, đóng dấu."],
                ),
            )

    def print_key_sheet(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Lưu phiếu đăng ký khóa", "phieu-dang-ky-khoa.pdf", "Tệp PDF (*.pdf)"
        )
        if not path:
            return
        path = path if path.lower().endswith(".pdf") else path + ".pdf"
        def job() -> None:
            with self.ctx.db.session() as session:
                write_key_sheet(session, path)

        self.ctx.tasks.run(
            job,
            parent=self,
            on_done=lambda _r: show_lines(
                self,
                "Đã lưu phiếu đăng ký khóa",
                [f"Tệp: {path}", "In, ký tên, đóng dấu và gửi kèm tệp khóa."],
            ),
        )

    def import_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Chọn tệp khóa", "", f"Tệp khóa (*{CARD_EXTENSION});;Mọi tệp (*)"
        )
        if not path:
            return
        try:  # what it would do first: a change of a registered key is confirmed with both fingerprints
            change: KeyRegistration = self.ctx.read(preview_key_card, path)
        except UserError as exc:
            show_error(self, exc)
            return
        if change.is_change and not confirm_key_change(self, change):
            return
        self.ctx.write(
            import_key_card,
            path,
            replace=change.is_change,
            parent=self,
            on_error=lambda exc: show_error(self, exc),
            on_done=lambda done: show_lines(
                self,
                "Đã thay khóa" if done.is_change else "Đã nhập tệp khóa",
                [*done.lines(), "Việc này đã được ghi vào nhật ký thay đổi."],
            ),
        )
