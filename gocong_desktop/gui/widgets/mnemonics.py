"""Alt+letter for every push button, tab and field label of a window, none twice.

A text that already has its "&" keeps it; the others get the first free letter
that starts a word, else any free ASCII letter in them (Alt+đ cannot be typed on
a Vietnamese keyboard). Widgets on different tabs of a tab widget never show at
once, so each tab may reuse the letters of the others, not the window's own."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QTabWidget, QWidget

SKIP = "mnemonic_skip"  # a dynamic property: rows' «Xóa» buttons, repeated on every row
_MARKED = re.compile(r"&([^&])")


def mnemonic_of(text: str) -> str | None:
    """The letter after a single "&" (lower case), None without one."""
    match = _MARKED.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def with_mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with "&" before its first free letter (word starts first); unchanged if none is free."""
    candidates = [i for i, ch in enumerate(text) if ch.isascii() and ch.isalnum()]
    starts = [i for i in candidates if i == 0 or not text[i - 1].isalnum()]
    for i in (*starts, *candidates):
        if text[i].lower() not in taken:
            taken.add(text[i].lower())
            return f"{text[:i]}&{text[i:]}"
    return text


def retext(button: QAbstractButton, text: str) -> None:
    """A text that changes with the data («Mở đợt…» / «Bổ sung hộ…»): the button keeps
    the Alt+letter it was given where the new text has it (no other: it could be
    another's)."""
    letter = mnemonic_of(button.text())
    button.setText(with_mnemonic(text, set(_ALL_LETTERS - {letter})) if letter else text)


_ALL_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def assign_mnemonics(root: QWidget, taken: Iterable[str] = ()) -> set[str]:
    """Give ``root``'s buttons, buddy labels and tabs letters; the letters used, with ``taken``."""
    used = set(taken) | {m for button in _own(root, QAbstractButton) if (m := mnemonic_of(button.text()))}
    texts = list(_texts(root))
    used |= {m for text, _set in texts if (m := mnemonic_of(text))}
    for text, set_text in texts:
        if mnemonic_of(text) is None and "&" not in text:
            set_text(with_mnemonic(text, used))
    for tabs in _own(root, QTabWidget):
        for index in range(tabs.count()):
            assign_mnemonics(tabs.widget(index), used)
    return used


def _texts(root: QWidget) -> Iterable[tuple[str, Callable[[str], None]]]:
    """(text, setter) of what takes a mnemonic in ``root``, outside its tab widgets' pages: push
    buttons (a check box's text is its label, read as it is), buddy labels, tabs."""
    for button in _own(root, QPushButton):
        if button.text() and not button.property(SKIP):
            yield button.text(), button.setText
    for label in _own(root, QLabel):
        buddy = label.buddy()
        plain = label.textFormat() != Qt.TextFormat.RichText
        if buddy is not None and _takes_focus(buddy) and label.text() and plain:
            yield label.text(), label.setText
    for tabs in _own(root, QTabWidget):
        for index in range(tabs.count()):
            yield tabs.tabText(index), lambda text, tabs=tabs, index=index: tabs.setTabText(index, text)


def _takes_focus(widget: QWidget) -> bool:
    """A buddy the label's letter can move to (a box with its field as focus proxy)."""
    return widget.focusPolicy() != Qt.FocusPolicy.NoFocus or widget.focusProxy() is not None


def _own(root: QWidget, kind: type) -> list:
    """Widgets of ``kind`` under ``root`` but not on a page of a tab widget under it."""
    pages = [tabs.widget(i) for tabs in root.findChildren(QTabWidget) for i in range(tabs.count())]
    return [w for w in root.findChildren(kind)
            if not any(page is not w and page.isAncestorOf(w) for page in pages if page is not root)]
