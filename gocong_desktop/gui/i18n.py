"""Qt's own strings in Vietnamese: text-box menus, standard buttons, Qt's file and print dialogs.

PySide6 ships no Vietnamese catalogue; resources/i18n/qtbase_vi.ts is ours, compiled to
.qm at build time (installer/translations.py, run by the Makefile and the PyInstaller spec)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from gocong_desktop.core.resources import resource_path

log = logging.getLogger(__name__)
# Shown by dialogs that have no title of their own (the busy dialog) and after window titles
# (Qt appends it to a title that does not already end with it: the main window's does).
APP_DISPLAY_NAME = "Phong trào Toàn dân bảo vệ ANTQ"
TRANSLATOR_NAME = "qtbase_vi"


def qt_catalogue_path() -> Path:
    return resource_path("i18n", "qtbase_vi.qm")


def install_vietnamese(app: QApplication, catalogue: Path | None = None) -> QTranslator | None:
    """Vietnamese locale and Qt's strings, once per application; must run before any widget
    is built (widgets translate their texts when built). None when the catalogue is missing."""
    QLocale.setDefault(QLocale("vi_VN"))
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    installed = app.findChild(QTranslator, TRANSLATOR_NAME)
    if installed is not None:
        return installed
    translator = QTranslator(app)
    path = catalogue or qt_catalogue_path()
    if not translator.load(str(path)):
        log.warning("Qt's Vietnamese catalogue %s is missing: run `make translations`", path)
        translator.deleteLater()
        return None
    translator.setObjectName(TRANSLATOR_NAME)
    app.installTranslator(translator)
    return translator
