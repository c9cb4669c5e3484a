"""The application object and the database it starts on; shared by the start
(``gui/launch.py``) and the window's opening (``gui/app.py``). Light: no database layer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gocong_desktop.core.db.location import is_server_location
from gocong_desktop.core.paths import default_database_path
from gocong_desktop.core.resources import resource_path
from gocong_desktop.gui.fonts import apply_ui_font, load_bundled_fonts, saved_text_scale
from gocong_desktop.gui.gc_pauses import collect_on_ui_thread
from gocong_desktop.gui.i18n import install_vietnamese
from gocong_desktop.gui.widgets.roomy_tabs import install_roomy_tabs

LAST_DATABASE = "app/last_database"
# For developers only (installer/smoke_test.py): close the main window this many ms after it opens.
SMOKE_QUIT_ENV = "GOCONG_SMOKE_QUIT_AFTER_MS"
# ... and sign in as "user:password" without the dialog (the password is still checked).
SMOKE_SIGN_IN_ENV = "GOCONG_SMOKE_SIGN_IN"


def smoke_account() -> tuple[str, str] | None:
    """(user name, password) of ``SMOKE_SIGN_IN_ENV``, or None when it is not set."""
    if smoke := os.environ.get(SMOKE_SIGN_IN_ENV):
        username, _, password = smoke.partition(":")
        return username, password
    return None


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("gocong_desktop")
    app.setApplicationName("gocong_desktop")
    install_vietnamese(app)
    install_roomy_tabs(app)
    collect_on_ui_thread(app)
    app.setWindowIcon(QIcon(str(resource_path("icons", "gocong.png"))))
    load_bundled_fonts()
    apply_ui_font(app, saved_text_scale(QSettings()))
    return app


def choose_database(settings: QSettings, db_arg: str | Path | None = None, *,
                    default: Path | None = None) -> Path | str | None:
    """The database to open at start, or None when the set-up wizard must run:
    ``--db`` if it exists (a server's, named by a URL or a settings file: as given);
    else the last one opened; else the default file."""
    if db_arg and is_server_location(db_arg):
        return db_arg  # opened, or refused saying why: never the set-up wizard
    if db_arg:
        path = Path(db_arg).expanduser()
        return path if path.exists() else None
    last = settings.value(LAST_DATABASE)
    if last and Path(str(last)).is_file():
        return Path(str(last))
    default = default or default_database_path()
    return default if default.exists() else None
