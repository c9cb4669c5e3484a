"""The bundled Liberation Sans is the UI font, so every PC shows the same
(and a PC without system fonts does not draw boxes)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from gocong_desktop.core.resources import resource_path

UI_FAMILY = "Liberation Sans"
_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
# Xem › Cỡ chữ: the app font in percent of 10 pt, remembered per PC (QSettings).
TEXT_SIZES = {"&Bình thường": 100, "&Lớn": 125, "&Rất lớn": 150}
TEXT_SCALE_KEY = "view/text_scale"


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


def saved_text_scale(settings: QSettings) -> int:
    """The size chosen on this PC; «Bình thường» for anything else found there."""
    try:
        scale = int(settings.value(TEXT_SCALE_KEY, 100))
    except (TypeError, ValueError):
        return 100
    return scale if scale in TEXT_SIZES.values() else 100
