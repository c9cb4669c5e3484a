"""«Xuất, in danh sách» › «Xuất Excel…» / «In danh sách…» on every list page: what the list shows —
its visible columns in their on-screen order, the rows its filters and sort
give, all of them (a paged list reads the rest first) — as a workbook, or as a
PDF shown in the preview with its Print button. Counts (right-aligned columns)
stay numbers in Excel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QMenu, QPushButton, QWidget

from gocong_desktop.core.documents.lists import ListSheet, write_list_pdf, write_list_workbook
from gocong_desktop.core.text import slug_ascii
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.documents.report_files import ask_path, run_save, safe_name
from gocong_desktop.gui.icons import icon
from gocong_desktop.gui import message_box

_COUNT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*|[0-9]+")  # "1.234" as format_int writes it
_RIGHT = Qt.AlignmentFlag.AlignRight
LOADING_RETRY_MS = 100


def _value(model: QAbstractItemModel, row: int, column: int) -> Any:
    index = model.index(row, column)
    shown = model.data(index, Qt.ItemDataRole.DisplayRole)
    if shown is None or shown == "":
        return None
    if isinstance(shown, int) and not isinstance(shown, bool):
        return shown
    text = str(shown)
    alignment = model.data(index, Qt.ItemDataRole.TextAlignmentRole)
    if alignment is not None and int(alignment) & _RIGHT.value and _COUNT.fullmatch(text):
        return int(text.replace(".", ""))
    return text


def scope_words(*filters: tuple[str, QComboBox], search: str = "", notes: Sequence[str] = ()) -> str:
    """A list's filters in words: "Ấp: Lợi An; Tổ: Tổ NDTQ số 1; tìm «nguyen»" (a combo
    on its «Tất cả…» item, whose data is None, says nothing)."""
    parts = [f"{label}: {combo.currentText()}" for label, combo in filters if combo.currentData() is not None]
    if search.strip():
        parts.append(f"tìm «{search.strip()}»")
    return "; ".join([*parts, *notes])


def sheet_from_view(view: QAbstractItemView, title: str, scope: str) -> ListSheet:
    """The rows the view's model holds, in the columns the view shows."""
    model = view.model()
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()
    shown = [header.logicalIndex(v) for v in range(header.count()) if not header.isSectionHidden(header.logicalIndex(v))]
    named = {c: str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in shown}
    cells = {c: [_value(model, r, c) for r in range(model.rowCount())] for c in shown}
    # A column with neither a name nor a value (the tick boxes of a checklist) is left out.
    columns = [c for c in shown if named[c] or any(v is not None for v in cells[c])]
    rows = tuple(zip(*(cells[c] for c in columns))) if columns else ()
    return ListSheet(title, scope, tuple(named[c] for c in columns), tuple(tuple(r) for r in rows))


class ListExport:
    """The two buttons of a list page; ``scope()`` says its filters in words."""

    def __init__(self, ctx: AppContext, parent: QWidget, view: QAbstractItemView, title: str,
                 scope: Callable[[], str] = lambda: "") -> None:
        self.ctx, self.parent, self.view, self.title, self.scope = ctx, parent, view, title, scope
        # One button with a menu: list pages' button rows must fit a 1024-pixel screen.
        self.button = QPushButton("Xuất, in danh sách")
        self.button.setIcon(icon("file-down"))
        self.button.setToolTip("Danh sách đang xem (đã lọc): lưu thành tệp Excel, hoặc xem trước và in")
        menu = QMenu(self.button)
        self.excel_action = menu.addAction("Xuất &Excel…")
        self.print_action = menu.addAction("&In danh sách…")
        self.button.setMenu(menu)
        self.excel_action.triggered.connect(lambda: self._with_every_row(self.save_excel))
        self.print_action.triggered.connect(lambda: self._with_every_row(self.print_list))

    def buttons(self) -> tuple[QPushButton]:
        return (self.button,)

    def sheet(self) -> ListSheet:
        return sheet_from_view(self.view, self.title, self.scope())

    def _with_every_row(self, then: Callable[[ListSheet], None]) -> None:
        model = self.view.model()
        if hasattr(model, "fetch_rest") and model.is_loading():  # a page being read: once it is in
            QTimer.singleShot(LOADING_RETRY_MS, self.button, lambda: self._with_every_row(then))
        elif hasattr(model, "fetch_rest"):  # a paged list: the rows not scrolled to yet, first
            model.fetch_rest(lambda: then(self.sheet()))
        else:
            then(self.sheet())

    def save_excel(self, sheet: ListSheet) -> None:
        path = ask_path(self.parent, self.ctx, safe_name(sheet.title, ".xlsx"), ".xlsx")
        if path is not None:
            run_save(self.parent, self.ctx, path, lambda _session, p: write_list_workbook(sheet, p),
                     on_saved=self._saved)

    def print_list(self, sheet: ListSheet) -> None:
        from gocong_desktop.gui.documents.pdf_preview import open_pdf  # with the PDF renderer: on first use

        open_pdf(self.ctx, self.parent, lambda session, path: write_list_pdf(session, sheet, path),
                 f"{slug_ascii(sheet.title) or 'danh-sach'}.pdf", title=f"In {sheet.title.lower()}")

    def _saved(self, path: Path) -> None:
        message_box.information(self.parent, "Đã lưu", f"Đã lưu danh sách:\n{path}")
