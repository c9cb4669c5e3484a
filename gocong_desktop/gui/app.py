"""Opening the database for the window (lock, sign-in, set-up wizard, another file) and
keeping the main window; the start before it is ``gui/launch.py``."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.db.location import is_server_location
from gocong_desktop.core.logs import setup_logging, unexpected_error_message
from gocong_desktop.core.services.accounts import accounts_exist
from gocong_desktop.core.services.accounts import sign_in as sign_in_as
from gocong_desktop.core.services.accounts import sign_in_unlocked
from gocong_desktop.core.services.office import find_office
from gocong_desktop.core.services.unlocking import unlock_with_password
from gocong_desktop.core.storage.lock import CLOSING, held_lock
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.storage.backup_dialogs import DialogUi
from gocong_desktop.gui.storage.db_startup import SignInCancelled, holds_office, open_guarded
from gocong_desktop.gui.storage.server_open import open_server_for_window, remembered_location
from gocong_desktop.gui.security.encrypt_dialog import encrypt_open_database, offer_encryption
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.application import LAST_DATABASE, SMOKE_QUIT_ENV, choose_database, smoke_account
from gocong_desktop.gui.main_window import MainWindow
from gocong_desktop.gui.page_imports import WHILE_SIGNING_IN, import_in_background
from gocong_desktop.gui.security.sign_in import database_key, last_user, remember_user
from gocong_desktop.gui.tasks import TaskRunner
from gocong_desktop.gui import message_box

if TYPE_CHECKING:
    from gocong_desktop.gui.setup.wizard import SetUpDone  # imported when the wizard runs: it imports much

log = logging.getLogger(__name__)


def make_context(db: Database, settings: QSettings | None = None) -> AppContext:
    return AppContext(db=db, tasks=TaskRunner(), settings=settings or QSettings())


def remember_database(settings: QSettings, path: Path) -> None:
    settings.setValue(LAST_DATABASE, str(Path(path).resolve()))
    settings.sync()


def remember_opened(settings: QSettings, db: Database, location: Path | str) -> None:
    """A data file, or the settings file that named a server (never a URL: it may hold a password)."""
    if db.path is not None:
        remember_database(settings, db.path)
    elif (kept := remembered_location(location)) is not None:
        remember_database(settings, Path(kept))


def open_chosen(location: Path | str, settings: QSettings, *, signed_in_as: str | None = None,
                parent=None) -> Database:
    """A data file (``open_set_up_database``) or a server's database (``server_open``)."""
    if is_server_location(location):
        return open_server_for_window(location, parent)
    return open_set_up_database(Path(location), settings, signed_in_as=signed_in_as)


def startup_ui(settings: QSettings, path: Path, parent=None) -> DialogUi:
    """The start-up questions as dialogs; the sign-in box starts with the user name
    last used on this database."""
    ui = DialogUi(parent, username=last_user(settings, path))
    if smoke := smoke_account():
        ui.unlock = lambda path: unlock_with_password(path, *smoke)
    return ui


def run_setup_wizard(*args, **kwargs) -> SetUpDone | None:
    """The set-up wizard, imported only when there is nothing to open (it imports much)."""
    from gocong_desktop.gui.setup.wizard import run_setup_wizard as run

    return run(*args, **kwargs)


class NotSetUp(Exception):
    """The file opened but has no office yet (e.g. an interrupted CLI init)."""


def sign_in(db: Database, settings: QSettings, parent=None) -> bool:
    """Ask who is working (making the first administrator on a database that has
    no account yet); False if the user gave up. On True ``db.user`` is set."""
    from gocong_desktop.gui.setup.first_admin import FirstAdminDialog
    from gocong_desktop.gui.security.sign_in import SignInDialog

    if smoke := smoke_account():
        sign_in_as(db, *smoke)
        return True
    with db.session() as session:
        office_name = find_office(session).display_name
        has_accounts = accounts_exist(session)
    username = last_user(settings, database_key(db))
    if not has_accounts:
        first = FirstAdminDialog(db, office_name, parent)
        if not first.exec():
            return False
        username = first.username
    dialog = SignInDialog(db, office_name, username=username, parent=parent)
    if not dialog.exec():
        return False
    remember_user(settings, database_key(db), dialog.principal.username)
    return True


def open_set_up_database(path: Path, settings: QSettings | None = None, *,
                         signed_in_as: str | None = None) -> Database:
    """Open ``path`` (signed in already when it is encrypted: its password opened it;
    or as ``signed_in_as``, the administrator the set-up wizard has just created)."""
    if path.is_file() and path.stat().st_size == 0:
        raise NotSetUp(path)  # an empty file (from a file picker): set this very file up
    # Lock, sign-in, schema; the start-up check runs once the window is shown (MainWindow).
    settings = settings or QSettings()
    db = open_guarded(path, startup_ui(settings, path), check_now=False)
    if db.user is None and signed_in_as:
        _carry_sign_in(db, signed_in_as)
    if db.user is not None:
        remember_user(settings, database_key(db), db.user.username)
    if not holds_office(db):
        raise NotSetUp(path)
    return db


def _carry_sign_in(db: Database, username: str) -> None:
    """Sign in the administrator the wizard has just created: this process made the file
    and holds its key for them. Otherwise (e.g. a plain file) the sign-in box asks."""
    try:
        sign_in_unlocked(db, username)
    except UserError:
        return


def open_first_database(settings: QSettings, db_arg: str | Path | None = None, *,
                        signed_in_as: str | None = None) -> Database | None:
    """Open the database to work on, running the wizard when there is none;
    None if the user gave up. A refused file never ends in a traceback.
    ``signed_in_as``: who unlocked the chosen file already (``launch.sign_in_first``)."""
    path = choose_database(settings, db_arg)
    signed_in = threading.Event()
    # The start page's services and the pages, imported while the user signs in; not when
    # the first sign-in box has done so, or was answered before they loaded: then the
    # window's own work goes first (it imports the pages left once shown).
    if path is not None and signed_in_as is None:
        import_in_background(WHILE_SIGNING_IN, stop=signed_in)
    try:
        return _open_first(settings, db_arg, path, signed_in_as)
    finally:
        signed_in.set()


def _open_first(settings: QSettings, db_arg: str | Path | None, path: Path | str | None,
                signed_in_as: str | None) -> Database | None:
    prefill = Path(db_arg).expanduser() if db_arg and not is_server_location(db_arg) else None
    while True:
        if path is None:
            if (done := run_setup_wizard(database_path=prefill)) is None:
                return None
            path, signed_in_as = done.path, done.signed_in_as
        try:
            db = open_chosen(path, settings, signed_in_as=signed_in_as)
        except NotSetUp:
            prefill, path, signed_in_as = path, None, None  # set this very file up
            continue
        except SignInCancelled:
            return None
        except Exception as exc:
            path, signed_in_as = ask_for_other_file(exc, path), None
            if path is None:
                return None
            continue
        remember_opened(settings, db, path)
        if db.user is None and not sign_in(db, settings):
            db.close()
            return None
        return offer_encryption(db)


def ask_for_other_file(exc: BaseException, path: Path | str) -> Path | None:
    """Say why ``path`` cannot be opened; another file to try, or None to quit."""
    from gocong_desktop.gui.setup.storage import DB_FILTER

    if isinstance(exc, UserError):
        message = exc.message
    else:
        log.error("cannot open %s", path, exc_info=exc)
        message = unexpected_error_message(setup_logging())
    while True:
        box = message_box.plain_box(QMessageBox.Icon.Warning, "Không mở được dữ liệu", message)
        choose = box.addButton("Chọn tệp khác…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not choose:
            return None
        start = "" if is_server_location(path) and not Path(path).is_file() else str(Path(path).parent)
        chosen, _ = QFileDialog.getOpenFileName(None, "Chọn tệp dữ liệu", start, DB_FILTER)
        if chosen:
            return Path(chosen)


class WindowKeeper:
    """Keeps the one main window, and replaces it when the user switches to
    another database (the old window finishes its work and closes first)."""

    def __init__(self, settings: QSettings, *, close_in_background: bool = False) -> None:
        self.settings = settings
        self.window: MainWindow | None = None
        # run_gui: closing the last window leaves its backup to the process (finish_in_background)
        self.close_in_background = close_in_background

    def show(self, db: Database) -> None:
        old = self.window
        self.window = MainWindow(make_context(db, self.settings))
        self.window.close_in_background = self.close_in_background
        self.window.database_requested.connect(self.switch_to)
        self.window.set_up_done.connect(lambda done: self.switch_to(done.path, done.signed_in_as))
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.encrypt_requested.connect(self.encrypt)
        if old is not None:
            old.finish_work()  # its backup made before its database closes
            old.close()
            if old.ctx.db is not db:
                old.ctx.db.close()
        self.window.show()

    def sign_out(self) -> None:
        """Hide the data, then ask who signs in next; giving up closes the app."""
        old = self.window
        db = old.ctx.db
        old.finish_work()  # pending saves, layout, backup: as when closing
        old.hide()
        db.user = None
        if sign_in(db, self.settings):
            self.show(db)
        else:
            old.close()

    def encrypt(self) -> None:
        """Encrypt the open plain file; the window is rebuilt on the file opened again."""
        old = self.window
        db = encrypt_open_database(old.ctx.db, old, before_close=old.finish_work)
        if db is not old.ctx.db:
            self.show(db)

    def switch_to(self, path: Path, signed_in_as: str | None = None) -> None:
        try:
            db = open_chosen(path, self.settings, signed_in_as=signed_in_as, parent=self.window)
        except SignInCancelled:
            return
        except NotSetUp:
            message_box.warning(self.window, "Chưa thiết lập",
                                f"Tệp «{path}» chưa được thiết lập đơn vị. Hãy dùng "
                                "«Thiết lập đơn vị mới…» để thiết lập.")
            return
        except Exception as exc:
            show_error(self.window, exc, title="Không mở được dữ liệu")
            return
        if db.user is None and not sign_in(db, self.settings, self.window):
            db.close()
            if self.window is not None and db.path is not None and self.window.ctx.db.path == db.path:
                self.window.close()  # the file was replaced (restored): the window must not go on with it
            return
        remember_opened(self.settings, db, path)
        self.show(offer_encryption(db, self.window))


def run_window(app: QApplication, settings: QSettings, db: Database) -> int:
    """The main window on ``db`` (opened by ``gui/launch.run_gui``) until it closes."""
    keeper = WindowKeeper(settings, close_in_background=True)
    keeper.show(db)
    if delay := os.environ.get(SMOKE_QUIT_ENV):
        QTimer.singleShot(int(delay), lambda: _smoke_close(keeper.window))
    try:
        return app.exec()
    finally:
        finish_in_background(keeper.window)


def finish_in_background(window: MainWindow) -> None:
    """After the window closed: the backup on close and a running start-up check end,
    then the database closes and its lock goes (another window waits for that)."""
    from gocong_desktop.gui.storage.startup_check import wait_for_checks

    window.finish_work(wait=False)  # no-op if the window closed itself already
    if window.ctx.db.path is not None and (lock := held_lock(window.ctx.db.path)) is not None:
        lock.mark(CLOSING)  # another window waits for this, rather than being refused (a server has no lock)
    window.ctx.tasks.wait(-1)
    wait_for_checks()
    window.ctx.db.close()


def _smoke_close(window: MainWindow) -> None:
    """Close the window as a user would (pending saves finish, state is kept)."""
    log.info("smoke test: main window «%s» shown (visible=%s); closing", window.windowTitle(),
             window.isVisible())
    window.close()
