"""The window's start, in the order a person meets it: the application, the sign-in
box of an encrypted file, then the window (``gui/app.py``).

Behind the sign-in box lie some 0.45 s of imports on an office PC (SQLAlchemy,
SQLModel, the tables, the window and its start page). Here the box comes first and
those modules are imported on a background thread while the password is typed, so
the box shows that much sooner and the window follows the password's key derivation;
the pages' modules follow them until the password is entered.
This module and what the box needs import no database layer and no page
(tests/gui/test_launch.py); anything unusual (a file in use, a damaged slot table,
a plain file whose sign-in needs the database) takes the usual way in ``gui/app.py``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from gocong_desktop.core.db.location import is_server_location
from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.logs import setup_logging
from gocong_desktop.core.services.unlocking import needs_unlock, unlock_with_password
from gocong_desktop.core.storage.lock import DatabaseLock, acquire_lock
from gocong_desktop.gui.application import choose_database, create_app, smoke_account
from gocong_desktop.gui.page_imports import WHILE_SIGNING_IN, import_in_background

# Imported while the sign-in box waits for the password: what the window needs, then
# the pages' modules (their first visits then only build widgets), until Enter.
BEHIND_SIGN_IN = ("gocong_desktop.gui.app", *WHILE_SIGNING_IN)


@dataclass
class EarlySignIn:
    """An encrypted file unlocked from the first sign-in box: its lock (held until
    the window's own opening has taken it too) and who signed in."""

    lock: DatabaseLock
    username: str


class SignInCancelledEarly(Exception):
    """The person closed the first sign-in box: nothing opens."""


def run_gui(db_path: Path | str | None = None) -> int:
    """``db_path``: a data file, a server's URL or a ``.gcserver`` settings file; None:
    the last one opened (or the default file, or the set-up wizard)."""
    setup_logging()
    app = create_app()
    settings = QSettings()
    try:
        early = sign_in_first(settings, db_path)
    except SignInCancelledEarly:
        return 0
    try:
        from gocong_desktop.gui import app as window_app  # imported meanwhile: waits only for the rest

        db = window_app.open_first_database(settings, db_path, signed_in_as=early.username if early else None)
    finally:
        if early is not None:
            early.lock.release()  # the database holds the lock now (or nothing opened)
    if db is None:
        return 0
    return window_app.run_window(app, settings, db)


def sign_in_first(settings: QSettings, db_arg: str | Path | None) -> EarlySignIn | None:
    """The sign-in box of the encrypted file to open, before the window's modules are
    imported (they are, meanwhile); None when the usual way must ask instead."""
    path = choose_database(settings, db_arg)
    if not isinstance(path, Path) or is_server_location(path) or not path.is_file():
        return None  # nothing yet, or a server (a .gcserver file is not the data)
    try:
        lock = acquire_lock(path)  # in use, or a window still closing: the usual way says so, or waits
    except DatabaseError:
        return None
    lock.keep_file = lock.unclean  # until the window's start-up check: a crash meanwhile is seen again
    try:
        unlock = needs_unlock(path)
    except Exception:  # noqa: BLE001 - e.g. a damaged slot table: the usual way explains it
        unlock = False
    if not unlock:
        lock.release()
        return None
    entered = threading.Event()
    try:
        # The box's own module first, on this thread: the background imports then never
        # hold a module it is waiting for (or the other way round).
        from gocong_desktop.gui.security import sign_in  # noqa: F401

        import_in_background(BEHIND_SIGN_IN, stop=entered)
        username = _ask_password(settings, path)
    except BaseException:
        lock.release()
        raise
    finally:
        entered.set()  # the window's own work goes first now; it imports the pages left later
    if username is None:
        lock.release()
        raise SignInCancelledEarly(path)
    return EarlySignIn(lock, username)


def _ask_password(settings: QSettings, path: Path) -> str | None:
    """Who unlocked ``path`` with their password (or a recovery code); None: gave up."""
    if smoke := smoke_account():
        return unlock_with_password(path, *smoke)
    from gocong_desktop.gui.security.sign_in import SignInDialog, last_user

    dialog = SignInDialog(None, path=path, username=last_user(settings, path))
    return dialog.unlocked_as if dialog.exec() else None
