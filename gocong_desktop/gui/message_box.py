"""Message boxes that show their text as written, never as HTML.

Qt guesses a box's format from its first line: one that looks like HTML is drawn
as HTML. The texts shown here carry names from files other people made (a
package's unit name, a key card's, a server settings file's place), and a name
holding ``<br>`` or ``<!--`` could rewrite what the box says, e.g. show a
fingerprint that is not the package's. Every box of the app is made here, in plain
text (tests/gui/test_message_boxes.py keeps it so).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Icon = QMessageBox.Icon
Role = QMessageBox.ButtonRole


def plain_box(icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    """A box to add buttons to, its text in plain text."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def _show(icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str) -> None:
    box = plain_box(icon, title, text, parent)
    box.addButton("Đóng", Role.AcceptRole)
    box.exec()


def information(parent: QWidget | None, title: str, text: str) -> None:
    _show(Icon.Information, parent, title, text)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    _show(Icon.Warning, parent, title, text)


def critical(parent: QWidget | None, title: str, text: str) -> None:
    _show(Icon.Critical, parent, title, text)


def as_rich_text(text: str) -> str:
    """``text`` escaped for widgets whose format cannot be set (QInputDialog's
    label): drawn as HTML, it reads exactly as written."""
    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"  # (Qt's convertFromPlainText stops wrapping)
