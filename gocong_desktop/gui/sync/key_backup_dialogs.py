"""This office's own key pairs (administrators, Sync page): export the key
backup, import it on a new PC, rotate the keys.

Each is a small form that writes through ``ctx.write``; a message about one
field (the file, the passphrase) appears under it and the form stays open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.sync.escrow import (EXTENSION, MIN_PASSPHRASE, KeyBackupInfo, check_passphrase, default_name, describe_key_backup,
                                export_office_keys, import_office_keys)
from gocong_desktop.core.sync.key_store import next_steps, rotate_office_keys
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import WriteDialog, password_edit
from gocong_desktop.gui.sync.common import format_when

FILTER = f"Tệp khóa dự phòng (*{EXTENSION});;Mọi tệp (*)"
PASSPHRASE_HINT = f"Ít nhất {MIN_PASSPHRASE} ký tự: vài từ dễ nhớ ghép lại"
EXPORT_WARNING = (
    "Tệp này chứa khóa riêng của đơn vị, khóa bằng cụm mật khẩu. <b>Quên cụm mật khẩu thì tệp không dùng được "
    "— không ai khôi phục được.</b> Cất tệp (ví dụ trên USB riêng) và cụm mật khẩu (ghi giấy, niêm phong) ở hai "
    "nơi an toàn khác nhau: ai có cả hai thì đọc được các gói gửi cho đơn vị.")


def _note(text: str, style: str = "color: #555;") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def _finish(dialog: WriteDialog, layout: QVBoxLayout, ok_text: str) -> None:
    layout.addWidget(dialog.make_buttons(ok_text))
    dialog.wire_buttons()
    dialog.resize(max(560, dialog.sizeHint().width()), dialog.sizeHint().height())


class _FileRow(QWidget):
    """A file path typed or chosen with «Chọn…»; focus goes to the text."""

    def __init__(self, choose) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.choose_button = QPushButton("Chọn…")
        self.choose_button.setAutoDefault(False)  # Enter in the form means OK, never «choose again»
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.choose_button)
        self.setFocusProxy(self.edit)
        self.choose_button.clicked.connect(choose)

    def path(self) -> str:
        path = self.edit.text().strip()
        if not path:
            raise ValidationError("Chưa chọn tệp.", field="path")
        return path


class ExportKeyBackupDialog(WriteDialog):
    """Write the key backup; ``result_value`` is the file written."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Xuất khóa dự phòng", parent)
        self.file = _FileRow(self._choose)
        self.file.edit.setText(str(Path.home() / ctx.read(default_name)))
        self.passphrase, self.confirm = password_edit(PASSPHRASE_HINT), password_edit()
        form = QFormLayout()
        self.errors.add_row(form, "Lưu vào tệp *", self.file, "path")
        self.errors.add_row(form, "Cụm mật khẩu *", self.passphrase, "passphrase")
        self.errors.add_row(form, "Nhập lại cụm mật khẩu *", self.confirm, "confirm")
        layout = QVBoxLayout(self)
        layout.addWidget(_note(EXPORT_WARNING, "color: #8a4b00;"))
        layout.addLayout(form)
        _finish(self, layout, "Xuất")
        self.passphrase.setFocus()

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp khóa dự phòng", self.file.edit.text(), FILTER)
        if path:
            self.file.edit.setText(path)

    def submit(self) -> None:
        path = self.file.path()
        check_passphrase(self.passphrase.text(), self.confirm.text())  # at once, before the slow work
        self.write(export_office_keys, path, self.passphrase.text(), self.confirm.text())


def describe(info: KeyBackupInfo) -> str:
    return (f"Tệp khóa dự phòng của <b>{info.office.display_name}</b>, tạo lúc {format_when(info.created_at)}; "
            f"dấu vân tay khóa: {info.fingerprint}")


class ImportKeyBackupDialog(WriteDialog):
    """Restore this office's keys from its backup; ``result_value`` is a ``KeyChange``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Nhập khóa dự phòng", parent)
        self.file = _FileRow(self._choose)
        self._described = ""
        self.about = _note("")
        self.passphrase = password_edit()
        form = QFormLayout()
        self.errors.add_row(form, "Tệp khóa dự phòng *", self.file, "path")
        form.addRow("", self.about)
        self.errors.add_row(form, "Cụm mật khẩu *", self.passphrase, "passphrase")
        layout = QVBoxLayout(self)
        layout.addWidget(_note(
            "Dùng khi máy cũ của đơn vị bị hỏng hoặc mất: khóa trong tệp trở thành khóa của đơn vị, các gói đã "
            "mã hóa cho khóa đó lại đọc được. Khóa đang dùng được giữ lại để vẫn đọc được gói mã hóa cho nó. "
            "Việc này được ghi vào nhật ký thay đổi."))
        layout.addLayout(form)
        _finish(self, layout, "Nhập")
        self.file.edit.editingFinished.connect(self._describe)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp khóa dự phòng", "", FILTER)
        if path:
            self.errors.clear()  # a message about the previous file
            self.file.edit.setText(path)
            self._describe()
            self.passphrase.setFocus()

    def _describe(self) -> None:
        """Whose file it is, as soon as it is chosen (no passphrase needed)."""
        path = self.file.edit.text().strip()
        if path == self._described:  # focus left the field, the file is the same
            return
        self._described = path
        self.about.setText("")
        if not path:
            return
        try:
            self.about.setText(describe(describe_key_backup(path)))
        except UserError as exc:
            self.show_error(exc)

    def submit(self) -> None:
        self.write(import_office_keys, self.file.path(), self.passphrase.text())

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, UserError) and exc.field is None:  # what is wrong with the file
            exc = UserError(exc.message, field="path")
        super().show_error(exc)


class RotateKeysDialog(WriteDialog):
    """New key pairs for this office, the steps explained first; ``result_value`` is a ``KeyChange``."""

    def __init__(self, ctx: AppContext, role: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Đổi cặp khóa", parent)
        other = "từng xã" if role == OfficeRole.UPPER else "cơ quan cấp trên"
        steps = [
            "Đơn vị sẽ có cặp khóa mới, với dấu vân tay mới. Nên đổi khi nghi khóa bị lộ (mất máy, mất bản sao "
            "lưu hoặc tệp khóa dự phòng).",
            "Khóa cũ được giữ lại: các gói đã mã hóa cho khóa cũ vẫn nhập được." if role == OfficeRole.UPPER else
            "Nên đợi cơ quan cấp trên nhập xong các gói đã gửi: gói ký bằng khóa cũ không được nhận sau khi cơ "
            "quan cấp trên đã nhập tệp khóa mới.",
            f"Sau khi đổi: {next_steps(role)}",
            f"In phiếu đăng ký khóa mới, ký, đóng dấu và gửi kèm tệp khóa mới cho {other}.",
            "Xuất lại tệp khóa dự phòng: tệp dự phòng làm trước đây không có khóa mới.",
        ]
        layout = QVBoxLayout(self)
        for n, step in enumerate(steps, start=1):
            layout.addWidget(_note(f"{n}. {step}", ""))
        layout.addWidget(_note("Việc đổi khóa được ghi vào nhật ký thay đổi."))
        _finish(self, layout, "Đổi cặp khóa")

    def submit(self) -> None:
        self.write(rotate_office_keys)
