"""Small pieces shared by the two halves of the Sync page (commune and upper office)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.text import format_date
from .dialogs.form_parts import confirm


def show_lines(parent: QWidget | None, title: str, lines: list[str]) -> None:
    """A result box: one line per fact (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, "\n".join(lines), parent=parent)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def choose_folder(parent: QWidget | None, title: str) -> str | None:
    folder = QFileDialog.getExistingDirectory(parent, title)
    return folder or None


def format_when(value: datetime | str | None) -> str:
    """dd/mm/yyyy hh:mm for datetimes (or ISO text); empty when unknown."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{format_date(value.date())} {value.hour:02d}:{value.minute:02d}"


def format_decimal(value: float, digits: int = 1) -> str:
    """Vietnamese decimal comma: 2,5."""
    return f"{value:.{digits}f}".replace(".", ",")


def confirm_sender(parent: QWidget | None, sender_name: str | None, fingerprint: str, what: str) -> bool:
    """An office not registered yet: trust it only when its fingerprint matches its
    key registration sheet (asked once; afterwards it is registered)."""
    return confirm(
        parent,
        "Đơn vị chưa đăng ký khóa",
        f"Tệp {what} này do {sender_name or 'một đơn vị chưa biết'} gửi, chưa đăng ký khóa.\n\n"
        f"Dấu vân tay khóa:\n{fingerprint}\n\n"
        "Hãy so sánh với dấu vân tay trên phiếu đăng ký khóa của đơn vị đó. "
        "Chỉ tin cậy khi hai dãy giống hệt nhau.",
        "Giống hệt, tin cậy đơn vị này",
    )
