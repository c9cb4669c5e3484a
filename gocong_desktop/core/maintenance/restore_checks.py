"""Whose backup is it? Checked before a restore replaces the database.

A backup of another office (another unit id), or of the other role (a commune's
data over the upper office's, or the reverse), would switch the office's
identity, its sync keys and its accounts: it is refused unless an administrator
types that office's name (``confirm_office``). And a restore never leaves a
protected file open to all: when the current database has accounts, a backup
without an active administrator is refused, whatever was typed (carrying the
current accounts over instead would mix two databases' accounts; refusing is
the simpler safe choice).

Both files are read through read-only connections: a refusal changes nothing.
"""

from __future__ import annotations

from gocong_desktop.core.sqlite import cipher
from dataclasses import dataclass
from pathlib import Path

from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.text import fold
from gocong_desktop.core.db.access import Role, file_has_accounts
from gocong_desktop.core.sqlite.raw import connect_readonly

_ROLE_WORDS = {"upper": "cơ quan cấp trên", "commune": "cấp xã"}
_UNCHANGED = "Chưa khôi phục, dữ liệu giữ nguyên."


@dataclass(frozen=True)
class OfficeIdentity:
    unit_id: str
    role: str  # OfficeRole: "commune" or "upper"
    unit_name: str
    unit_type: str

    @property
    def display_name(self) -> str:
        return f"{self.unit_type} {self.unit_name}"


class OtherOfficeBackup(ConflictError):
    """The backup is another office's (or role's): restoring it needs that office's
    name typed by an administrator. ``reason`` is the message without the CLI hint."""

    def __init__(self, reason: str, *, office: OfficeIdentity) -> None:
        super().__init__(f"{reason} Chỉ khi chắc chắn, quản trị viên hãy gõ đúng tên đơn vị của bản sao lưu để "
                         f"xác nhận (dòng lệnh: --confirm-office \"{office.display_name}\"). {_UNCHANGED}")
        self.reason, self.office, self.office_name = reason, office, office.display_name

    def confirmed_by(self, typed: str | None) -> bool:
        return office_name_matches(typed, self.office)


def _query(path: Path, sql: str) -> tuple | None:
    """The first row of ``sql`` in the file at ``path``; None when it cannot be read."""
    try:
        con = connect_readonly(path)
        try:
            return con.execute(sql).fetchone()
        finally:
            con.close()
    except cipher.Error:  # no such table (made before it existed), damaged, not a database
        return None


def read_identity(path: Path) -> OfficeIdentity | None:
    """The office a database (or backup) belongs to; None when not set up or unreadable."""
    row = _query(path, "SELECT o.unit_id, o.role, u.name, u.unit_type FROM office o "
                       "JOIN admin_unit u ON u.id = o.unit_id WHERE o.id = 1")
    return OfficeIdentity(*row) if row else None


def has_active_admin(path: Path) -> bool:
    return _query(path, f"SELECT 1 FROM account WHERE active AND role = '{Role.ADMIN.value}' LIMIT 1") is not None


def office_name_matches(typed: str | None, office: OfficeIdentity) -> bool:
    """"xã Bình Nhì" or "Bình Nhì", in any case, with or without marks."""
    return bool(fold(typed)) and fold(typed) in (fold(office.display_name), fold(office.unit_name))


def check_backup_owner(db_path: Path, backup: Path, *, confirm_office: str | None = None,
                       name: str | None = None) -> None:
    """Refuse a backup of another office or role (unless ``confirm_office`` names
    it) and one that would leave a protected database without an administrator.
    ``name``: the file the person chose, when ``backup`` is the database read out of it."""
    current, incoming = read_identity(db_path), read_identity(backup)
    name = name or backup.name
    if current is not None and (incoming is None or (incoming.unit_id, incoming.role) !=
                                (current.unit_id, current.role)):
        if incoming is None:
            raise ConflictError(f"Bản sao lưu «{name}» chưa thiết lập đơn vị nào; khôi phục nó sẽ xóa mất "
                                f"dữ liệu của {current.display_name}. {_UNCHANGED}")
        if not office_name_matches(confirm_office, incoming):
            raise OtherOfficeBackup(_other_office(name, current, incoming, confirm_office), office=incoming)
    if file_has_accounts(db_path) and not has_active_admin(backup):
        raise ConflictError(f"Bản sao lưu «{name}» không có tài khoản quản trị viên nào đang dùng, còn dữ "
                            "liệu hiện tại có tài khoản bảo vệ: khôi phục nó sẽ để dữ liệu không ai quản trị "
                            f"(hoặc ai cũng tự tạo được quản trị viên). Không khôi phục bản này. {_UNCHANGED}")


def _other_office(name: str, current: OfficeIdentity, incoming: OfficeIdentity, typed: str | None) -> str:
    wrong = f"Tên đã gõ «{typed}» không khớp. " if typed else ""
    role = f" ({_ROLE_WORDS.get(incoming.role, incoming.role)})" if incoming.role != current.role else ""
    return (f"{wrong}Bản sao lưu «{name}» là dữ liệu của {incoming.display_name}{role}, không phải của "
            f"{current.display_name} đang dùng tệp này. Khôi phục sẽ thay cả đơn vị, khóa đồng bộ và tài "
            "khoản của tệp.")
