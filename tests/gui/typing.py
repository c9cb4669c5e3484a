"""Typing Vietnamese into real widgets as a keyboard or an input method does.

qtbot.keyClicks aborts the interpreter on non-ASCII text, so each character
goes as its own QKeyEvent, or the whole text as an input-method commit (how
Unikey/EVKey deliver it)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str, *, input_method: bool = False) -> None:
    widget.setFocus()
    if input_method:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
        return
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else Qt.Key.Key_unknown
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch))
