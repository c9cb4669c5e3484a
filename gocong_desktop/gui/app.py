"""Application start: fonts, settings, opening the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.db.engine import Database, open_database
from ..core.errors import UserError
from ..core.paths import default_database_path
from .errors import show_error
from .fonts import apply_ui_font, load_bundled_fonts
from .main_window import MainWindow


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName("gocong_desktop")
    app.setApplicationName("gocong_desktop")
    load_bundled_fonts()
    apply_ui_font(app)
    return app


def _offer_demo(path: Path) -> Database | None:
    """First run without a database: offer demo data (the set-up wizard comes later)."""
    answer = QMessageBox.question(
        None, "Chưa có dữ liệu",
        f"Chưa có cơ sở dữ liệu tại:\n{path}\n\nTạo dữ liệu mẫu (xã Bình Tân) để xem thử?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return None
    from ..core.demo import generate_demo

    generate_demo(path)
    return open_database(path)


def open_or_offer(path: Path) -> Database | None:
    try:
        return open_database(path)
    except UserError:
        if path.exists():
            raise
    return _offer_demo(path)


def run_gui(db_path: Path | None = None) -> int:
    app = create_app()
    path = Path(db_path) if db_path else default_database_path()
    try:
        db = open_or_offer(path)
    except Exception as exc:
        show_error(None, exc, title="Không mở được dữ liệu")
        return 1
    if db is None:
        return 0
    window = MainWindow(db, QSettings())
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
