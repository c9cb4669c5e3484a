"""Keyboard helpers shared by windows with tabs and rows added while typing:
Ctrl+Tab/Ctrl+PgDn between tabs, focus moved into the tab shown, and rows
added at run time put where they appear in the Tab order."""

from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QWidget

NEXT_TAB_KEYS = ("Ctrl+Tab", "Ctrl+PgDown")
PREVIOUS_TAB_KEYS = ("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp")  # Shift+Tab comes as Backtab


def tab_switching(tabs: QTabWidget, scope: QWidget) -> None:
    """Ctrl+Tab/Ctrl+PgDn show the next tab, Ctrl+Shift+Tab/Ctrl+PgUp the previous one,
    from anywhere in ``scope`` (a text box or a grid would otherwise take the key)."""
    for keys, step in ((NEXT_TAB_KEYS, 1), (PREVIOUS_TAB_KEYS, -1)):
        for key in keys:
            QShortcut(QKeySequence(key), scope, context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                      activated=lambda step=step: _step_tab(tabs, step))


def _step_tab(tabs: QTabWidget, step: int) -> None:
    count = tabs.count()
    for offset in range(1, count + 1):
        index = (tabs.currentIndex() + step * offset) % count
        if tabs.isTabEnabled(index) and tabs.isTabVisible(index):
            tabs.setCurrentIndex(index)
            focus_first(tabs.widget(index))
            return


def focus_first(page: QWidget) -> None:
    """Put the cursor in the first field of ``page`` a Tab would reach."""
    widget = page.nextInFocusChain()
    while widget is not page and page.isAncestorOf(widget):
        if widget.isVisibleTo(page) and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            return
        widget = widget.nextInFocusChain()


def focusable_before(widget: QWidget) -> QWidget | None:
    """The widget Tab reaches just before ``widget`` and its children, if any."""
    current = widget.previousInFocusChain()
    while current is not widget:
        if current.focusPolicy() & Qt.FocusPolicy.TabFocus and not widget.isAncestorOf(current):
            return current
        current = current.previousInFocusChain()
    return None


def place_in_tab_order(before: QWidget | None, widgets: Iterable[QWidget], after: QWidget) -> None:
    """``widgets`` (made after the window was built) right after ``before`` and
    before ``after`` in the Tab order: new widgets otherwise join the end of the
    window's chain, and Tab from them skips the fields below to the window's buttons.
    Qt ignores widgets that take no focus (a label) here."""
    chain = [w for w in (before, *widgets, after) if w is not None]
    for previous, widget in zip(chain, chain[1:]):
        QWidget.setTabOrder(previous, widget)
