"""Small pieces shared by the two halves of the Sync page (commune and upper office)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from gocong_desktop.core.sync.peers import KeyRegistration
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.form_parts import confirm
from gocong_desktop.gui import message_box


def show_lines(parent: QWidget | None, title: str, lines: list[str]) -> None:
    """A result box: one line per fact (tests replace this function)."""
    box = message_box.plain_box(QMessageBox.Icon.Information, title, "\n".join(lines), parent=parent)
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
        f"Tệp {what} này tự ghi là của {sender_name or 'một đơn vị chưa biết'}. Tên này do tệp tự khai, "
        "chưa kiểm chứng: đơn vị gửi chưa đăng ký khóa ở đây.\n\n"
        f"Dấu vân tay khóa:\n{fingerprint}\n\n"
        "Hãy so sánh với dấu vân tay trên phiếu đăng ký khóa của đơn vị đó. "
        "Chỉ tin cậy khi hai dãy giống hệt nhau.",
        "Giống hệt, tin cậy đơn vị này",
    )


def confirm_key_change(parent: QWidget | None, change: KeyRegistration) -> bool:
    """A key card that replaces a registered key (or, at a commune, the upper
    office): both fingerprints shown, taken only when the administrator is sure."""
    old, new = change.previous, change.peer
    return confirm(
        parent,
        "Thay khóa đã đăng ký",
        f"Đã đăng ký: {old.display_name}\nDấu vân tay cũ:\n{old.fingerprint}\n\n"
        f"Tệp khóa này: {new.display_name}\nDấu vân tay mới:\n{new.fingerprint}\n\n"
        "Chỉ thay khi dấu vân tay mới giống hệt dấu vân tay trên phiếu đăng ký khóa mới (có chữ ký, "
        "đóng dấu) của đơn vị đó. Từ nay, "
        + ("gói sẽ được mã hóa cho khóa mới và biên nhận được kiểm tra bằng khóa mới."
           if new.role == "upper" else "chỉ nhận gói ký bằng khóa mới.")
        + " Việc thay khóa được ghi vào nhật ký thay đổi.",
        "Thay khóa",
    )


def confirm_undo_import(parent: QWidget | None, sender_name: str, sequence: int | None) -> bool:
    """Asked before an import is undone (what it brought is taken out again)."""
    return confirm(
        parent,
        "Hoàn tác lần nhập",
        f"Hoàn tác lần nhập gói số {sequence} của {sender_name}?\n\n"
        "Mọi bản ghi gói này đã thêm, sửa hoặc xóa sẽ trở lại như trước khi nhập, các xung đột gói này tạo ra "
        "được xóa; nhật ký thay đổi vẫn giữ nguyên. Nếu một gói nhập sau đã sửa các bản ghi đó, phần mềm sẽ "
        "từ chối và cho biết gói nào cần hoàn tác trước. Có thể nhập lại gói này sau.",
        "Hoàn tác lần nhập",
    )
