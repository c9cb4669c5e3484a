"""The bundled Liberation Serif family, registered with reportlab once.

Times-like metrics as Nghị định 30 expects, full Vietnamese coverage, and the
same glyphs on every PC (reportlab's built-in Times prints boxes for ơ, ư, Đ...).
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from gocong_desktop.core.resources import resource_path

SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLD_ITALIC = "LiberationSerif-BoldItalic"
SANS = "LiberationSans"  # the window's charts (pdf/charts.py; printed ones are in the serif)
SANS_BOLD = "LiberationSans-Bold"  # characters to copy by hand (the recovery code), chart titles

_FILES = {SERIF: "LiberationSerif-Regular.ttf", SERIF_BOLD: "LiberationSerif-Bold.ttf",
          SERIF_ITALIC: "LiberationSerif-Italic.ttf", SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
          SANS: "LiberationSans-Regular.ttf", SANS_BOLD: "LiberationSans-Bold.ttf"}
_lock = threading.Lock()  # the GUI may print from a worker thread
_done = False


def font_file(name: str) -> Path:
    """The bundled TrueType file of a registered font name (``SANS``, ``SERIF_BOLD``...)."""
    return resource_path("fonts", _FILES[name])


def register_fonts(*names: str) -> str:
    """Register ``names``, or every bundled font: the four serif styles (with their
    <b>/<i> mapping) and the sans; returns the serif family name. Each file takes some
    10 ms to parse: the screen's charts, drawn as the window starts, ask for the sans only."""
    global _done
    with _lock:
        if not _done:
            known = set(pdfmetrics.getRegisteredFontNames())
            for name in names or _FILES:
                if name not in known:
                    pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
            if not names:
                for bold, italic, name in ((0, 0, SERIF), (1, 0, SERIF_BOLD), (0, 1, SERIF_ITALIC),
                                           (1, 1, SERIF_BOLD_ITALIC)):
                    addMapping(SERIF, bold, italic, name)
                _done = True
    return SERIF
