"""The upper office's window on its PostgreSQL database (issue 19): opened from a
``.gcserver`` settings file (or a URL), the server's password asked when nothing
gave one, then the officer's own sign-in; what only a data file has (file backups,
the file's integrity check, encryption, the office lock) is off, saying why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QInputDialog, QLabel  # noqa: E402

from gocong_desktop.core.db.location import parse_server_url  # noqa: E402
from gocong_desktop.core.db.server_file import ServerSettings, write_server_file  # noqa: E402
from gocong_desktop.core.errors import NotFoundError  # noqa: E402
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database  # noqa: E402
from gocong_desktop.gui.application import LAST_DATABASE, create_app  # noqa: E402
from gocong_desktop.gui.app import WindowKeeper, open_chosen, open_first_database  # noqa: E402
from gocong_desktop.gui.security.sign_in import SignInDialog  # noqa: E402
from gocong_desktop.gui.storage.backup_controller import ON_SERVER_LABEL, ON_SERVER_REASON  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402
from tests.pg_server import PASSWORD as SERVER_PASSWORD  # noqa: E402
from tests.pg_server import SUPERUSER  # noqa: E402

pytestmark = pytest.mark.pg

ADMIN_PASSWORD = "Mat-khau-quan-tri-9"
SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Quản trị tỉnh", password=ADMIN_PASSWORD))


@pytest.fixture
def settings(tmp_path) -> QSettings:
    create_app()
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def server_file(pg_url: str, tmp_path: Path, monkeypatch) -> Path:
    """The upper office set up on the server, named by a settings file; libpq finds no password."""
    create_office_database(pg_url, SETUP)
    url = parse_server_url(pg_url).url
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "khong-co-pgpass"))
    return write_server_file(tmp_path / "tinh.gcserver", ServerSettings(
        host=url.query["host"], port=int(url.query["port"]), database=url.database, user=SUPERUSER))


def _type_server_password(box: QInputDialog) -> None:
    assert "mật khẩu của tài khoản máy chủ «gocong»" in box.labelText()
    box.setTextValue(SERVER_PASSWORD)
    box.accept()


def _sign_in_as_admin(seen: list[str]):
    def act(box: SignInDialog) -> None:
        seen.append(box.findChildren(type(box.error))[0].parent().windowTitle())
        box.username.setText("quantri")
        box.password.setText(ADMIN_PASSWORD)
        box.ok_button.click()
    return act


def test_the_window_opens_a_server_file_and_leaves_out_what_only_a_file_has(qtbot, settings, server_file,
                                                                            tmp_path):
    seen: list[str] = []
    when_shown(QInputDialog, _type_server_password)
    when_shown(SignInDialog, _sign_in_as_admin(seen))
    db = open_first_database(settings, server_file)
    assert db is not None and db.server is not None and db.path is None
    assert db.user.username == "quantri" and seen == ["Đăng nhập – cơ quan Công an tỉnh Tiền Giang"]
    assert Path(settings.value(LAST_DATABASE)) == server_file.resolve()  # opened again next time
    keeper = WindowKeeper(settings)
    keeper.show(db)
    window = keeper.window
    qtbot.waitExposed(window)
    settle(window)
    qtbot.waitUntil(lambda: window.stack.current_page() is not None)
    texts = {a.text(): a for a in window.findChildren(type(window.new_action))}
    assert "Mã &hóa dữ liệu…" not in texts  # encryption is a data file's
    for name in ("&Sao lưu ngay", "&Khôi phục từ bản sao lưu…", "Thư mục sao &lưu…"):
        assert not texts[name].isEnabled() and texts[name].toolTip() == ON_SERVER_REASON
    assert window.backups.label.text() == ON_SERVER_LABEL
    assert window.startup_check.result is None and not window.startup_check.unclean  # no file to check
    status = " ".join(w.toolTip() for w in window.statusBar().findChildren(type(window.backups.label)))
    assert "Dữ liệu: máy chủ PostgreSQL /tmp/gcpg-" in status  # the server (here its socket's folder)
    assert "cơ sở dữ liệu «t" in status and "«gocong»" in status and SERVER_PASSWORD not in status
    assert window.grab().save(str(Path(os.environ.get("GOCONG_SHOT_DIR", tmp_path)) / "cua-so-may-chu.png"))
    window.close()
    keeper.window.ctx.tasks.wait()
    db.close()
    assert not list(tmp_path.glob("*.lock"))  # no office lock beside the settings file


def test_a_server_database_not_set_up_is_refused_saying_what_to_do(qtbot, settings, pg_url):
    with pytest.raises(NotFoundError, match="chưa được thiết lập cơ quan.*init --role upper"):
        open_chosen(pg_url, settings)


def test_a_url_is_never_remembered(qtbot, settings, server_file, pg_url):
    when_shown(SignInDialog, _sign_in_as_admin([]))
    db = open_first_database(settings, pg_url)  # the password is in the URL: nothing asked
    try:
        assert db is not None and db.user.username == "quantri"
        assert settings.value(LAST_DATABASE) is None
    finally:
        db.close()


def test_file_open_switches_from_a_data_file_to_the_server(qtbot, settings, server_file, db, monkeypatch):
    """«Mở tệp dữ liệu khác…» offers .gcserver files; the one chosen opens the server's window."""
    from PySide6.QtWidgets import QFileDialog

    offered = []

    def choose(parent, title, start, filters):
        offered.append(filters)
        return str(server_file), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    keeper = WindowKeeper(settings)
    keeper.show(db)
    first = keeper.window
    qtbot.waitExposed(first)
    when_shown(QInputDialog, _type_server_password)
    when_shown(SignInDialog, _sign_in_as_admin([]))
    first._on_open_other()
    assert "*.gcserver" in offered[0]
    window = keeper.window
    try:
        assert window is not first and window.ctx.db.server is not None and window.is_upper
        assert window.ctx.db.user.username == "quantri"
        assert Path(settings.value(LAST_DATABASE)) == server_file.resolve()
    finally:
        window.close()
        window.ctx.tasks.wait()
        window.ctx.db.close()


def _no_url(text: str) -> bool:
    return "postgresql+psycopg" not in text and "?host=" not in text and "%2F" not in text


def test_dialogs_name_the_server_as_a_place_not_as_its_url(qtbot, settings, server_file, pg_url):
    """The server password box and the sign-in dialog say «máy chủ PostgreSQL …, cơ sở
    dữ liệu «…»», never the raw URL with its driver and socket options."""
    shown: list[str] = []

    def type_password(box: QInputDialog) -> None:
        shown.append(box.labelText())
        _type_server_password(box)

    def sign_in(box: SignInDialog) -> None:
        shown.append(" ".join(label.text() for label in box.findChildren(QLabel)))
        _sign_in_as_admin([])(box)

    when_shown(QInputDialog, type_password)
    when_shown(SignInDialog, sign_in)
    db = open_first_database(settings, server_file)
    db.close()
    assert len(shown) == 2 and all(_no_url(text) for text in shown), shown
    assert all("máy chủ postgresql /tmp/gcpg-" in text.lower() and "cơ sở dữ liệu «t" in text for text in shown), shown


def test_a_server_not_set_up_is_named_as_a_place(qtbot, settings, pg_url):
    with pytest.raises(NotFoundError) as refused:
        open_chosen(pg_url, settings)
    assert _no_url(str(refused.value)) and "cơ sở dữ liệu «t" in str(refused.value)
