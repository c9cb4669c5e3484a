"""The main window's pages, each built (and its module imported) the first time
it is asked for: the window shows its start page without paying for the others."""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtWidgets import QStackedWidget, QWidget

from gocong_desktop.gui.icons import decorate_buttons
from gocong_desktop.gui.widgets.form_parts import viewer_wording
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.widgets.page_base import Page


class PageStack(QStackedWidget):
    """One slot per navigation entry, holding an empty stand-in until its page is
    built. A page built late loads current data when shown (``Page`` starts
    stale), and hears of changes only from then on: nothing is lost meanwhile."""

    def __init__(self, factories: Sequence[Callable[[], Page]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factories = list(factories)
        self._built: dict[int, Page] = {}
        self.reserved_letters: set[str] = set()  # the window's menus' Alt+letters, never a page's
        for _factory in self._factories:
            self.addWidget(QWidget())

    def page(self, row: int) -> Page:
        """The page in ``row``, built now if it was not yet."""
        if (page := self._built.get(row)) is None:
            page = self._factories[row]()
            decorate_buttons(page)  # one picture per deed, the same on every page
            viewer_wording(page)
            # Alt+letters for its buttons and fields: a list's page is worked from the keyboard
            # too (only the page shown takes its letters, so pages may share them)
            assign_mnemonics(page, self.reserved_letters)
            stand_in = super().widget(row)
            self.insertWidget(row, page)
            if self.currentWidget() is stand_in:  # else Qt would show a neighbour while swapping
                self.setCurrentWidget(page)
            self.removeWidget(stand_in)
            stand_in.deleteLater()
            self._built[row] = page
        return page

    def widget(self, index: int) -> QWidget | None:
        """The page at ``index``, built now if need be: code that walks the stack
        sees pages, never a stand-in."""
        return self.page(index) if 0 <= index < len(self._factories) else super().widget(index)

    def show_page(self, row: int) -> Page:
        page = self.page(row)
        self.setCurrentIndex(row)
        return page

    def is_built(self, row: int) -> bool:
        return row in self._built

    def current_page(self) -> Page | None:
        """The page shown, or None while its stand-in is (it failed to build)."""
        return self._built.get(self.currentIndex())

    def built_pages(self) -> list[Page]:
        """The pages built so far, in navigation order."""
        return [self._built[row] for row in sorted(self._built)]
