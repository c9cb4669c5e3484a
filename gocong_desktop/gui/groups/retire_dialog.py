"""Giải thể a group: asks the date and, when it still has households, the group
that takes them (same hamlet first). It doubles as the confirmation."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gocong_desktop.core.services import groups
from gocong_desktop.core.services.groups import GroupRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text
from gocong_desktop.gui.widgets.fold_combo import fold_search

NO_TARGET = "— không có tổ nào khác đang hoạt động —"


def target_groups(rows: list[GroupRow], group: GroupRow) -> list[GroupRow]:
    """Other active groups, those of the same hamlet first (the usual merge)."""
    others = [r for r in rows if r.id != group.id and r.active]
    return sorted(others, key=lambda r: r.hamlet_id != group.hamlet_id)  # stable: keeps number order


class RetireGroupDialog(WriteDialog):
    def __init__(self, ctx: AppContext, group: GroupRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Giải thể tổ", parent)
        self.group = group
        self._build()
        self.wire_buttons()

    def _build(self) -> None:
        self.when = QLineEdit(format_date(date.today()), placeholderText=DATE_PLACEHOLDER)
        self.target = fold_search(QComboBox())
        form = QFormLayout()
        form.addRow("Tổ", QLabel(f"{self.group.name} – {self.group.hamlet_name}"))
        self.errors.add_row(form, "Ngày giải thể *", self.when, "when")
        if self.group.households:
            self._fill_targets()
            self.errors.add_row(form, "Chuyển các hộ sang *", self.target, "move_households_to")
        layout = QVBoxLayout(self)
        layout.addWidget(self._explanation())
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Giải thể"))
        self.resize(500, self.sizeHint().height())

    def _explanation(self) -> QLabel:
        n = self.group.households
        text = (f"Tổ còn {n} hộ đang sinh hoạt; các hộ này sẽ được chuyển sang tổ được chọn."
                if n else "Tổ không còn hộ nào.")
        label = QLabel(text + " Tổ đã giải thể vẫn được giữ cùng các biên bản họp của tổ.")
        label.setWordWrap(True)
        return label

    def _fill_targets(self) -> None:
        rows = target_groups(self.ctx.read(groups.list_groups), self.group)
        for row in rows:
            self.target.addItem(f"{row.name} – {row.hamlet_name} ({row.households} hộ)", row.id)
        if not rows:
            self.target.addItem(NO_TARGET, None)

    def submit(self) -> None:
        when = date_from_text(self.when.text(), field="when", required=True)
        self.write(groups.retire_group, self.group.id, when=when,
                   move_households_to=self.target.currentData() if self.group.households else None)
