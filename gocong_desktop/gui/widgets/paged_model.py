"""A table model fed a page of rows at a time, read off the UI thread.

``load(fetch, count)`` reads the total and the first page on a reader thread;
Qt asks for more (canFetchMore/fetchMore) as the view scrolls near the end, and
the next page is read the same way. So a list of 50,000 households opens without
freezing the window and never holds more than what was scrolled to; ``total``
is the count of the whole list, for the page's figures.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QWidget

from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.list_model import ListTableModel

R = TypeVar("R")
PAGE_SIZE = 500
# (session, offset, limit or None: all, the last row read or None) -> rows; a service
# that can starts after that row (keyset), cheaper than an offset deep in a long list.
Fetch = Callable[[Any, int, int | None, Any], Sequence[Any]]
Count = Callable[[Any], int]


class PagedTableModel(ListTableModel[R]):
    loaded = Signal()  # a new total and first page are shown

    def __init__(self, ctx: AppContext, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.ctx, self.page_size = ctx, page_size
        self._fetch: Fetch | None = None
        self._total = 0
        self._loading = False  # one read at a time: a page must not overtake the first one
        self._key = ("paged", id(self))  # a new load makes a page still being read stale

    @property
    def total(self) -> int:
        return self._total

    def is_loading(self) -> bool:
        return self._loading

    def load(self, fetch: Fetch, count: Count) -> None:
        """Read the total and the first page anew (the filters changed, or the data)."""
        self._fetch, self._loading, size = fetch, True, self.page_size
        self.ctx.query(lambda s: (count(s), list(fetch(s, 0, size, None))), on_done=self._on_first,
                       on_error=self._on_failed, parent=self._widget(), key=self._key)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._loading and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._read_more(self.page_size, None)

    def fetch_rest(self, then: Callable[[], None]) -> None:
        """Read every row not read yet, then call ``then`` (e.g. to tick them all)."""
        if self.canFetchMore():
            self._read_more(None, then)
        elif not self._loading:
            then()

    def find(self, row_id: str, then: Callable[[int], None]) -> None:
        """Read on, a page at a time, until the row with ``row_id`` is in the model or the
        list ends; then ``then(row)`` (-1: not in this list, e.g. filtered out)."""
        row = self.row_of(row_id)
        if row >= 0 or not self.canFetchMore():
            then(row)
        else:
            self._read_more(self.page_size, lambda: self.find(row_id, then))

    def _read_more(self, limit: int | None, then: Callable[[], None] | None) -> None:
        fetch, offset, self._loading = self._fetch, len(self._rows), True
        last = self._rows[-1] if self._rows else None
        self.ctx.query(lambda s: list(fetch(s, offset, limit, last)), on_done=lambda rows: self._on_more(rows, then),
                       on_error=self._on_failed, parent=self._widget(), key=self._key)

    def _on_first(self, result: tuple[int, list[R]]) -> None:
        self._loading = False
        self._total, rows = result
        self.set_rows(rows)
        self.loaded.emit()

    def _on_more(self, rows: list[R], then: Callable[[], None] | None) -> None:
        self._loading = False
        if not rows:  # rows were deleted since the count: stop asking
            self._total = len(self._rows)
        else:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if then is not None:
            then()

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._total = len(self._rows)  # no endless retry as the view scrolls
        show_error(self._widget(), exc)

    def _widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None
