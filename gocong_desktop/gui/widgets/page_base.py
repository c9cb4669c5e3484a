"""What every page of the main window offers the window's menus and shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtWidgets import QWidget

from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.gui.context import AppContext


class Page(QWidget):
    """A page refreshes itself when a finished task wrote a table it shows
    (``TABLES``, made with ``changes.table_set``, its panels' included); while
    hidden it only remembers that it is stale, and refreshes when shown."""

    TABLES: frozenset[str] = frozenset()
    # (navigation title, what to show there): the window shows that page and calls its
    # ``show_link(what)`` (the start page's to-do items; pages never call each other).
    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._remembered: dict[str, object] = {}
        ctx.tasks.data_changed.connect(self._on_data_changed)

    def remember_layout(self, key: str, widget: object) -> None:
        """Restore ``widget``'s saved layout now (a header's column widths, a
        splitter's sizes) and save it again when the window closes."""
        state = self.ctx.settings.value(key)
        if isinstance(state, QByteArray):
            widget.restoreState(state)
        self._remembered[key] = widget

    def _on_data_changed(self, written: ChangeSet) -> None:
        if written.touches(*self.TABLES):
            self._stale = True
            if self.isVisible():
                self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.refresh_if_stale()

    # ---- what the window's actions call; pages override what they support --
    def refresh(self) -> None:
        pass

    def supports(self, action: str) -> bool:
        """Whether this page does something for ``action`` ("new_record", "edit_selected",
        "delete_selected"): the Edit menu greys out what the page would ignore."""
        return getattr(type(self), action) is not getattr(Page, action)

    def new_record(self) -> None:
        """Ctrl+N."""

    def edit_selected(self) -> None:
        """Enter / double-click."""

    def delete_selected(self) -> None:
        """Delete: always asks first."""

    def save_state(self) -> None:
        """The window is closing: store the remembered layouts (QSettings).
        Pages that override this call ``super().save_state()``."""
        for key, widget in self._remembered.items():
            self.ctx.settings.setValue(key, widget.saveState())

    def focus_search(self) -> bool:
        """Ctrl+F; False when the page has no search box."""
        return False

    def show_link(self, what: str) -> None:
        """Show what another page asked for (``open_requested``): a to-do kind of
        ``services/start_page.py``, filtering the list to the records it counts."""
