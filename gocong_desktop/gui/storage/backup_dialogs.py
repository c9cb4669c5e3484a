"""Backup dialogs: the list to restore from, the backup folders, the damaged-database offer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from gocong_desktop.core.storage.backup import COUNTED, BackupInfo, record_counts
from gocong_desktop.core.settings.backup_places import BackupSettings, default_base
from gocong_desktop.core.maintenance.startup import StartupCheck, damaged_message
from gocong_desktop.core.text import format_int
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui.widgets.rows_table import read_only_grid
from gocong_desktop.gui import message_box

COLUMNS = ["Thời điểm", "Lý do", "Dung lượng", *[label.capitalize() for _, label in COUNTED], "Thư mục"]
POLICY = ("Bản sao lưu được lập tự động khi đóng chương trình, mỗi ngày một lần, trước khi nâng cấp và "
          "trước khi nhập dữ liệu; mỗi bản đều được kiểm tra toàn vẹn. Giữ 7 bản hằng ngày, 4 bản hằng "
          "tuần và 12 bản hằng tháng.")


def when_text(info: BackupInfo) -> str:
    return f"{info.taken_at:%H:%M} ngày {info.taken_at:%d/%m/%Y}"


def size_text(size: int) -> str:
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


BACKUP_FILTER = "Bản sao lưu (*.gcbak *.db);;Mọi tệp (*)"


class RestoreDialog(FittedDialog):
    """The backups with their date, size and record counts; ``chosen`` is the file to restore."""

    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.backups, self.chosen = backups, None
        self.table = QTableWidget(len(backups), len(COLUMNS))
        self._fill()
        self._build()
        self.resize(900, 420)
        assign_mnemonics(self)  # Alt+letters, once every button exists

    def _build(self) -> None:
        note = QLabel("Chọn bản sao lưu cần khôi phục. Dữ liệu hiện tại được giữ lại trong một tệp riêng bên "
                      "cạnh, không bị xóa." if self.backups else "Chưa có bản sao lưu nào cho tệp dữ liệu này.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Khôi phục bản đã chọn", QDialogButtonBox.ButtonRole.AcceptRole)
        other = buttons.addButton("Chọn tệp khác…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.clicked.connect(self._on_restore)
        other.clicked.connect(self._on_other_file)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (note, self.table, QLabel(POLICY), buttons):
            layout.addWidget(widget)
        layout.itemAt(2).widget().setWordWrap(True)

    def _fill(self) -> None:
        t = self.table
        read_only_grid(t, COLUMNS)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, info in enumerate(self.backups):
            counts = record_counts(info.path)  # None: the file cannot be read
            cells = [when_text(info), info.label, size_text(info.size),
                     *[format_int(counts[label]) if counts else "?" for _, label in COUNTED], str(info.path.parent)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 2 <= col < len(cells) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(row, col, item)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        if self.backups:
            t.selectRow(0)

    def _on_restore(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.backups):
            self.chosen = self.backups[row].path
            self.accept()

    def _on_other_file(self) -> None:
        start = str(self.backups[0].path.parent) if self.backups else str(default_base())
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", start, BACKUP_FILTER)
        if chosen:
            self.chosen = Path(chosen)
            self.accept()


class BackupFolderDialog(FittedDialog):
    """The backup folder and an optional second one (another drive, a USB stick)."""

    def __init__(self, current: BackupSettings, db_stem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thư mục sao lưu")
        self.folder = QLineEdit(str(current.folder or ""))
        self.folder.setPlaceholderText(f"mặc định: {default_base()}")
        self.second = QLineEdit(str(current.second or ""))
        self.second.setPlaceholderText("không bắt buộc, ví dụ ổ đĩa khác hoặc USB")
        form = QFormLayout()
        form.addRow("Thư mục sao lưu:", self._with_browse(self.folder))
        form.addRow("Thư mục thứ hai:", self._with_browse(self.second))
        note = QLabel(f"Bản sao lưu của tệp này nằm trong thư mục con «{db_stem}». {POLICY} Nên chọn thư mục thứ "
                      "hai trên ổ đĩa khác hoặc USB: hỏng ổ đĩa của máy cũng không mất dữ liệu.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 220)

    def _with_browse(self, edit: QLineEdit) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        browse = QPushButton("Chọn…")
        browse.clicked.connect(lambda: self._browse(edit))
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return box

    def _browse(self, edit: QLineEdit) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục sao lưu", edit.text() or str(default_base()))
        if chosen:
            edit.setText(chosen)

    def settings(self) -> BackupSettings:
        text = (self.folder.text().strip(), self.second.text().strip())
        return BackupSettings(folder=Path(text[0]) if text[0] else None, second=Path(text[1]) if text[1] else None)


class DialogUi:
    """The start-up questions as message boxes (tests pass their own answers instead)."""

    def __init__(self, parent: QWidget | None = None, *, username: str = "") -> None:
        self.parent, self.username = parent, username

    def unlock(self, path: Path) -> str | None:
        from gocong_desktop.gui.security.sign_in import SignInDialog

        dialog = SignInDialog(None, path=path, username=self.username, parent=self.parent)
        return dialog.unlocked_as if dialog.exec() else None

    def offer_restore(self, check: StartupCheck) -> bool:
        box = message_box.plain_box(QMessageBox.Icon.Critical, "Dữ liệu bị hỏng", damaged_message(check), parent=self.parent)
        restore = box.addButton("Khôi phục bản sao lưu này", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
        box.addButton("Không khôi phục", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is restore

    def info(self, title: str, text: str) -> None:
        message_box.information(self.parent, title, text)

    def warn(self, title: str, text: str) -> None:
        message_box.warning(self.parent, title, text)


class BackupPasswordDialog(FittedDialog):
    """A password valid in an encrypted backup: after restoring, it is the one that opens the file."""

    def __init__(self, backup: Path, username: str, parent: QWidget | None = None) -> None:
        from gocong_desktop.gui.widgets.form_parts import ok_cancel_buttons, password_edit
        from gocong_desktop.gui.widgets.form_errors import RefusalLine
        from gocong_desktop.gui.widgets.setup_widgets import note_label

        super().__init__(parent)
        self.backup = backup
        self.setWindowTitle("Mật khẩu của bản sao lưu")
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(f"Bản sao lưu «{backup.name}» đã được mã hóa. Sau khi khôi phục, dữ liệu chỉ mở "
                                    "được bằng mật khẩu của các tài khoản <b>lúc sao lưu</b> (hoặc mã khôi phục "
                                    "lúc đó). Hãy nhập một mật khẩu như vậy để chắc chắn mở lại được:", style=""))
        form = QFormLayout()
        self.username, self.password = QLineEdit(username), password_edit()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu lúc sao lưu:", self.password)
        layout.addLayout(form)
        self.error = RefusalLine()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "Tiếp tục", self._check))
        self.password.setFocus()
        self.resize(32 * self.fontMetrics().height(), self.sizeHint().height())

    def _check(self) -> None:
        from gocong_desktop.core.errors import UserError
        from gocong_desktop.core.services.unlocking import unlock_backup_with_password

        try:
            unlock_backup_with_password(self.backup, self.username.text(), self.password.text())
        except UserError as exc:
            self.error.refuse(exc.message, self.password)
            return
        self.accept()

