"""Tab "Nội dung & biểu quyết": the agenda items listed on the left, the chosen
one edited on the right (each item keeps its own editor in a stack)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QGridLayout, QLabel, QListWidget, QPushButton, QSplitter, QStackedWidget,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.services.meeting_drafts import AgendaDraft, MeetingDraft, present_count
from gocong_desktop.gui.widgets.form_parts import confirm
from gocong_desktop.gui.meetings.agenda_item import AgendaItemEditor

NO_TITLE = "(chưa có tiêu đề)"
EMPTY_TEXT = "Chưa có nội dung nào. Bấm «Thêm nội dung» để ghi nội dung đầu tiên."


class AgendaTab(QWidget):
    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.people: list[tuple[str, str]] = []
        self.names: dict[str, str] = {}
        self.editors: list[AgendaItemEditor] = []
        self.present = 0  # households marked present (the attendance tab tells changes)
        self._read_only = False
        self._build()
        self._wire()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.list = QListWidget()
        self.add_button = QPushButton("Thêm nội dung")
        self.remove_button = QPushButton("Xóa")
        self.up_button, self.down_button = QPushButton("Lên"), QPushButton("Xuống")
        self.stack = QStackedWidget()
        self.empty_label = QLabel(EMPTY_TEXT, wordWrap=True)
        self.stack.addWidget(self.empty_label)
        buttons = QGridLayout()  # two by two: the list stays narrow and the item's form gets the room
        for i, button in enumerate((self.add_button, self.remove_button, self.up_button, self.down_button)):
            buttons.addWidget(button, i // 2, i % 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(buttons)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.fontMetrics().horizontalAdvance("Thêm nội dung  Xuống") + 60, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _wire(self) -> None:
        self.list.currentRowChanged.connect(self._on_current_changed)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))

    # ---- data -----------------------------------------------------------
    def load(self, d: MeetingDraft) -> None:
        self.people = [(a.household_id, a.household_name) for a in d.attendance]
        self.names = dict(self.people)
        self.present = present_count(d.attendance)
        for editor in self.editors:
            self.stack.removeWidget(editor)
            editor.deleteLater()
        self.editors = []
        self.list.clear()
        for item in d.agenda:
            self._append(item)
        self.list.setCurrentRow(0 if self.editors else -1)
        self._update_buttons()

    def collect(self, d: MeetingDraft, owners: dict[int, object]) -> None:
        d.agenda = [editor.draft(owners) for editor in self.editors if not editor.is_empty()]

    def set_present(self, present: int) -> None:
        """Attendance changed: every item's votes are checked against the new count."""
        self.present = present
        for editor in self.editors:
            editor.set_present(present)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for editor in self.editors:
            editor.set_read_only(read_only)
        self._update_buttons()

    def current_editor(self) -> AgendaItemEditor | None:
        row = self.list.currentRow()
        return self.editors[row] if 0 <= row < len(self.editors) else None

    # ---- behaviour ------------------------------------------------------
    def add_item(self) -> AgendaItemEditor:
        editor = self._append(None)
        self.list.setCurrentRow(len(self.editors) - 1)
        editor.title.setFocus()
        self.edited.emit()
        return editor

    def _append(self, item: AgendaDraft | None) -> AgendaItemEditor:
        editor = AgendaItemEditor(self.people)
        editor.set_present(self.present)
        if item is not None:
            editor.load(item, self.names)
        editor.set_read_only(self._read_only)
        editor.edited.connect(self.edited)
        editor.title_changed.connect(lambda _t, e=editor: self._relabel())
        self.editors.append(editor)
        self.stack.addWidget(editor)
        self.list.addItem("")
        self._relabel()
        return editor

    def _relabel(self) -> None:
        for row, editor in enumerate(self.editors):
            self.list.item(row).setText(f"{row + 1}. {editor.title.text().strip() or NO_TITLE}")

    def _update_buttons(self) -> None:
        writable = not self._read_only
        row, count = self.list.currentRow(), len(self.editors)
        self.add_button.setEnabled(writable)
        self.remove_button.setEnabled(writable and row >= 0)
        self.up_button.setEnabled(writable and row > 0)
        self.down_button.setEnabled(writable and 0 <= row < count - 1)

    # ---- slots ----------------------------------------------------------
    def _on_current_changed(self, row: int) -> None:
        self.stack.setCurrentWidget(self.editors[row] if 0 <= row < len(self.editors) else self.empty_label)
        self._update_buttons()

    def _on_add(self) -> None:
        self.add_item()

    def _on_remove(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        title = self.editors[row].title.text().strip() or NO_TITLE
        if not self.editors[row].is_empty() and not confirm(self, "Xóa nội dung", f"Xóa nội dung «{title}» "
                                                            "cùng các ý kiến và biểu quyết của nó?", "Xóa"):
            return
        editor = self.editors.pop(row)
        self.stack.removeWidget(editor)
        editor.deleteLater()
        self.list.takeItem(row)
        self._relabel()
        self._on_current_changed(self.list.currentRow())
        self.edited.emit()

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self.editors):
            return
        self.editors.insert(target, self.editors.pop(row))
        self.list.insertItem(target, self.list.takeItem(row))
        self._relabel()
        self.list.setCurrentRow(target)
        self.edited.emit()
