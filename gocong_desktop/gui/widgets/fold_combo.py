"""Combo boxes that find items the way search does (core/text.fold: đ = d, marks and case
ignored). Qt matches typed letters exactly, so "loi" typed without marks skipped «Lợi An»
and left «Long Hòa» picked: a household was saved in the wrong hamlet.

``fold_search(combo)``: typing letters on a closed or open combo picks the first item whose
folded text starts with what was typed (else contains it), as Qt's own keyboard search does.
``searchable_picker(combo)``: an editable combo for long lists (535 groups): typed words
filter a popup; a pick sets the item; leaving the box keeps only a real item."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QApplication, QComboBox, QCompleter, QListView

from gocong_desktop.core.text import fold, search_tokens


def matching_row(texts: list[str], typed: str, current: int, *, fresh: bool) -> int | None:
    """The row keyboard search moves to: after ``current`` for a fresh search (pressing
    the same letter again goes on to the next item), from it while a word is typed."""
    key = fold(typed)
    if not key or not texts:
        return None
    if len(key) > 1 and len(set(key)) == 1:  # "lll": cycle through the items starting with l
        key, fresh = key[0], True
    start = current + 1 if fresh and current >= 0 else max(current, 0)
    order = [(start + step) % len(texts) for step in range(len(texts))]
    folded = {row: fold(texts[row]) for row in order}
    for accept in (str.startswith, str.__contains__):
        for row in order:
            if accept(folded[row], key):
                return row
    return None


class FoldingListView(QListView):
    """A combo's popup list whose keyboard search folds; QComboBox also calls it for
    letters typed while the popup is closed."""

    def __init__(self) -> None:
        super().__init__()
        self._typed = ""
        self._since_last_key = QElapsedTimer()

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 (Qt's name)
        model, root = self.model(), self.rootIndex()
        if model is None or not model.rowCount(root):
            return
        elapsed = self._since_last_key.restart() if self._since_last_key.isValid() else None
        if not self._since_last_key.isValid():
            self._since_last_key.start()
        fresh = not search or elapsed is None or elapsed > QApplication.keyboardInputInterval()
        self._typed = search if fresh else self._typed + search
        column = self.modelColumn()
        texts = [str(model.index(row, column, root).data() or "") for row in range(model.rowCount(root))]
        current = self.currentIndex().row() if self.currentIndex().isValid() else -1
        row = matching_row(texts, self._typed, current, fresh=fresh)
        if row is not None:
            self.setCurrentIndex(model.index(row, column, root))


def fold_search(combo: QComboBox) -> QComboBox:
    """``combo`` with folding keyboard search (returned, to wrap a constructor call)."""
    combo.setView(FoldingListView())
    return combo


class FoldFilterModel(QSortFilterProxyModel):
    """Rows where every typed word begins a word of the folded text ("9" is «Tổ 9», not «Tổ 19»)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = search_tokens(text)
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 (Qt's name)
        words = fold(str(self.sourceModel().index(row, 0, parent).data() or "")).split()
        return all(any(word.startswith(typed) for word in words) for typed in self._words)


def searchable_picker(combo: QComboBox) -> QComboBox:
    """Make ``combo`` editable with a folding popup completer. The typed text is never
    replaced while typing (input methods such as Unikey rewrite it); on leaving the box,
    a single match is picked, anything else shows the current item again."""
    fold_search(combo)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    matches = FoldFilterModel(combo)
    matches.setSourceModel(combo.model())
    completer = QCompleter(matches, combo)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    combo.setCompleter(completer)
    completer.popup().setUniformItemSizes(True)

    def on_typed(text: str) -> None:
        matches.set_query(text)
        if text.strip() and matches.rowCount():
            completer.complete()

    def on_left() -> None:
        if combo.currentIndex() >= 0 and combo.currentText() == combo.itemText(combo.currentIndex()):
            return
        matches.set_query(combo.currentText())
        if matches.rowCount() == 1:
            combo.setCurrentIndex(matches.mapToSource(matches.index(0, 0)).row())
        combo.setEditText(combo.itemText(combo.currentIndex()) if combo.currentIndex() >= 0 else "")

    combo.lineEdit().textEdited.connect(on_typed)
    combo.lineEdit().editingFinished.connect(on_left)
    combo.lineEdit().setPlaceholderText("Gõ để tìm, không cần dấu")
    return combo

