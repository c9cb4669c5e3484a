"""The bundled Liberation Sans is the UI font, so every PC shows the same
(and a PC without system fonts does not draw boxes)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from gocong_desktop.core.resources import resource_path

UI_FAMILY = "Liberation Sans"
_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
TEXT_SCALES = (100, 125, 150)


def load_bundled_fonts() -> list[str]:
    families: set[str] = set()
    for family in ("LiberationSans", "LiberationSerif"):
        for style in _STYLES:
            font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", f"{family}-{style}.ttf")))
            if font_id >= 0:
                families.update(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(families)


def apply_ui_font(app: QApplication, scale_percent: int = 100) -> None:
    font = QFont(UI_FAMILY)
    font.setPointSizeF(10 * scale_percent / 100)
    app.setFont(font)
