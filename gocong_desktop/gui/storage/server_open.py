"""Opening the upper office's database on a PostgreSQL server in the window (issue 19):
named by a ``postgresql://`` URL or by a ``.gcserver`` settings file.

None of what guards a data file applies there, each for a reason: no office lock
(the server serialises writers, and several officers work at once), no key slots
to unlock (the server's accounts guard the data), no integrity check of a file
and no file copies as backups (the server's tools do both: pg_dump). The server's
password, when nothing supplied one (PGPASSWORD, ~/.pgpass), is asked here; then
the sign-in dialog asks for the officer's own account, as for a file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.db.location import ServerAddress, is_url
from gocong_desktop.core.db.server_file import is_server_file
from gocong_desktop.core.db.server_login import open_location
from gocong_desktop.core.errors import NotFoundError
from gocong_desktop.gui.storage.db_startup import holds_office
from gocong_desktop.gui.message_box import as_rich_text

NOT_SET_UP = ("{where} chưa được thiết lập cơ quan. Quản trị viên hãy chạy "
              "«gocong-desktop init --role upper --db … --admin TÊN» trước.")


def open_server_for_window(location: str | Path | ServerAddress, parent: QWidget | None = None) -> Database:
    """The server's database, set up (an office) and not signed in yet."""
    db = open_location(location, ask=lambda address: ask_server_password(address, parent))
    if not holds_office(db):
        raise NotFoundError(NOT_SET_UP.format(where=_sentence(db.place)))
    return db


def ask_server_password(address: ServerAddress, parent: QWidget | None = None) -> str | None:
    """The PostgreSQL login's password (not the officer's own): None when given up."""
    user = address.url.username or "người dùng của hệ điều hành"
    # the place and user come from a settings file: shown as written, never as HTML
    text, ok = QInputDialog.getText(parent, "Mật khẩu máy chủ PostgreSQL",
                                    as_rich_text(f"{_sentence(address.place)} cần mật khẩu của tài khoản "
                                                 f"máy chủ «{user}»\n(do quản trị viên máy chủ cấp; "
                                                 "khác với mật khẩu đăng nhập chương trình):"),
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def remembered_location(location: str | Path | ServerAddress) -> str | None:
    """What the app may remember to open next time: a settings file's path, never a
    URL (it may hold a password)."""
    if isinstance(location, (str, Path)) and not is_url(str(location)) and is_server_file(location):
        return str(Path(location).expanduser().resolve())
    return None
