"""The hamlet list of the "Tổ tự quản" page: choose the hamlet whose groups are
shown, and add, rename, retire or delete hamlets."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import hamlets
from gocong_desktop.core.services.hamlets import HamletRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.flow import FlowLayout
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import confirm, set_enabled, writes_only
from gocong_desktop.gui.groups.hamlet_dialogs import AddHamletsDialog, RenameHamletDialog, RetireHamletDialog

ALL_HAMLETS = "Tất cả các ấp"
RETIRED_COLOR = QColor("#777777")
ROW_ROLE = Qt.ItemDataRole.UserRole


def hamlet_label(row: HamletRow) -> str:
    name = row.name if row.unit_type == "ấp" else f"{row.unit_type.capitalize()} {row.name}"
    if row.valid_to is not None:
        return f"{name} (hết hiệu lực {format_date(row.valid_to)})"
    return f"{name} · {row.groups} tổ"


class HamletPanel(QWidget):
    TABLES = table_set("admin_unit", "self_managed_group")  # the hamlets, with their groups counted
    hamlet_changed = Signal()  # the chosen hamlet (or "all") changed

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog = None  # the open dialog, if any (tests reach it here)
        self._wanted: str | None = None  # a hamlet to choose once listed (see select)
        self._build()
        self._wire()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.list = QListWidget()
        self.show_retired = QCheckBox("Hiện ấp đã hết hiệu lực")
        self.add_button = QPushButton("Thêm ấp…")
        self.rename_button = QPushButton("Đổi tên…")
        self.retire_button = QPushButton("Cho hết hiệu lực…")
        self.delete_button = QPushButton("Xóa")
        writes_only(self.ctx, self.add_button, self.rename_button, self.retire_button, self.delete_button)
        buttons = FlowLayout()  # wraps in a narrow panel: the groups' list keeps the width
        for button in (self.add_button, self.rename_button, self.retire_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Ấp</b>")
        title.setMinimumHeight(QLineEdit().sizeHint().height())  # level with the group search box
        layout.addWidget(title)
        layout.addWidget(self.list)
        layout.addWidget(self.show_retired)
        layout.addLayout(buttons)

    def _wire(self) -> None:
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.rename_hamlet())
        self.show_retired.toggled.connect(lambda _on: self._on_show_retired())
        self.add_button.clicked.connect(self.add_hamlet)
        self.rename_button.clicked.connect(self.rename_hamlet)
        self.retire_button.clicked.connect(self.retire_hamlet)
        self.delete_button.clicked.connect(self.delete_hamlet)

    # ---- data -----------------------------------------------------------
    def reload(self) -> None:
        """Refill the list (read off the UI thread), keeping the chosen hamlet; emits
        ``hamlet_changed`` only when that hamlet is no longer listed (the page reloads)."""
        self.ctx.query(hamlets.list_hamlets, include_retired=self.show_retired.isChecked(), on_done=self._fill,
                       parent=self, key=(self, "hamlets"))

    def _fill(self, rows: list[HamletRow]) -> None:
        before = self.current_id()
        current, self._wanted = self._wanted or before, None
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItem(ALL_HAMLETS)
        font = self.list.item(0).font()
        font.setBold(True)
        self.list.item(0).setFont(font)
        for row in rows:
            item = QListWidgetItem(hamlet_label(row))
            item.setData(ROW_ROLE, row)
            item.setToolTip(row.display_name)
            if row.valid_to is not None:
                item.setForeground(QBrush(RETIRED_COLOR))
            self.list.addItem(item)
        found = next((i for i in range(1, self.list.count()) if self._row(i).id == current), 0)
        self.list.setCurrentRow(found)
        self.list.blockSignals(False)
        self._update_buttons()
        if self.current_id() != before:  # a hamlet just added, or the chosen one is gone
            self.hamlet_changed.emit()

    def _row(self, index: int) -> HamletRow | None:
        item = self.list.item(index)
        return item.data(ROW_ROLE) if item is not None else None

    def current_hamlet(self) -> HamletRow | None:
        return self._row(self.list.currentRow())

    def current_id(self) -> str | None:
        row = self.current_hamlet()
        return row.id if row is not None else None

    def select(self, hamlet_id: str | None) -> None:
        """Choose the hamlet; one just added is chosen once the list read after the save shows it."""
        found = next((i for i in range(1, self.list.count()) if self._row(i).id == hamlet_id), 0)
        self._wanted = hamlet_id if not found else None
        self.list.setCurrentRow(found)

    def _update_buttons(self) -> None:
        row = self.current_hamlet()
        for button in (self.rename_button, self.delete_button):
            set_enabled(button, row is not None)
        set_enabled(self.retire_button, row is not None and row.valid_to is None)

    # ---- actions (buttons, and the page's Ctrl+N / Delete) ----------------
    def add_hamlet(self) -> None:
        dialog = AddHamletsDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.select(dialog.result_value[0]))  # show the new one
        self._open(dialog)

    def rename_hamlet(self) -> None:
        if (row := self.current_hamlet()) is not None:
            self._open(RenameHamletDialog(self.ctx, row, self))

    def retire_hamlet(self) -> None:
        row = self.current_hamlet()
        if row is not None and row.valid_to is None:
            self._open(RetireHamletDialog(self.ctx, row, self))

    def delete_hamlet(self) -> None:
        row = self.current_hamlet()
        if row is None or not confirm(self, "Xóa ấp", f"Xóa ấp {row.name}?\n\nChỉ xóa được ấp chưa có "
                                      "tổ nào (ví dụ ấp nhập nhầm); ấp đã có tổ thì hãy cho hết hiệu lực.",
                                      "Xóa"):
            return
        self.ctx.write(hamlets.delete_hamlet, row.id, parent=self)

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop

    # ---- slots ----------------------------------------------------------
    def _on_current_changed(self, *_items) -> None:
        self._update_buttons()
        self.hamlet_changed.emit()

    def _on_show_retired(self) -> None:
        self.reload()
        self.hamlet_changed.emit()
