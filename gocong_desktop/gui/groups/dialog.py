"""Add or edit a Tổ NDTQ. Nothing is saved until every field is valid; the
message for a wrong field appears under that field and the dialog stays open."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
                               QWidget)

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import groups, hamlets, households
from gocong_desktop.core.services.groups import GroupDetails, default_group_name
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text, select_data
from gocong_desktop.gui.widgets.fold_combo import fold_search

NO_OFFICER = "— chưa chọn —"


class GroupDialog(WriteDialog):
    def __init__(self, ctx: AppContext, *, group_id: str | None = None, hamlet_id: str | None = None,
                 number: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Sửa tổ tự quản" if group_id else "Thêm tổ tự quản", parent)
        self.group_id = group_id
        self.details: GroupDetails | None = ctx.read(groups.group_details, group_id) if group_id else None
        self._build()
        self._wire()
        self._load(hamlet_id, number)

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.hamlet = fold_search(QComboBox())
        self.number = QLineEdit(placeholderText="ví dụ 5")
        self.name = QLineEdit()
        self.founded = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.leader, self.deputy = fold_search(QComboBox()), fold_search(QComboBox())
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form = QFormLayout()
        rows = [("Ấp *", self.hamlet, "hamlet_id"), ("Số tổ", self.number, "number"),
                ("Tên tổ", self.name, "name"), ("Ngày thành lập", self.founded, "founded_date")]
        if self.group_id:  # officers are households of the group: none before it exists
            rows += [("Tổ trưởng", self.leader, "leader_household_id"),
                     ("Tổ phó", self.deputy, "deputy_household_id")]
        for label, widget, field in [*rows, ("Ghi chú", self.notes, "notes")]:
            self.errors.add_row(form, label, widget, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if not self.group_id:
            hint = QLabel("Tổ trưởng, tổ phó được chọn khi sửa tổ, sau khi đã xếp hộ vào tổ.")
            hint.setStyleSheet("color: #555;")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addWidget(self.make_buttons("Lưu"))
        self.resize(480, self.sizeHint().height())

    def _wire(self) -> None:
        self.wire_buttons()
        self.number.textChanged.connect(self._on_number_changed)

    # ---- data -----------------------------------------------------------
    def _load(self, hamlet_id: str | None, number: int | None) -> None:
        d = self.details
        if d is not None:
            hamlet_id, number = d.hamlet_id, d.number
        self._fill_hamlets(hamlet_id)
        self.number.setText("" if number is None else str(number))
        self._on_number_changed()
        if d is None:
            return
        # A stored default name is left empty, so renumbering renames the group too.
        self.name.setText("" if d.number and d.name == default_group_name(d.number) else d.name)
        self.founded.setText(format_date(d.founded_date))
        self.notes.setPlainText(d.notes or "")
        self._fill_officers(d)

    def _fill_hamlets(self, hamlet_id: str | None) -> None:
        for row in self.ctx.read(hamlets.list_hamlets, include_retired=True):
            if row.valid_to is None or row.id == hamlet_id:
                self.hamlet.addItem(row.name, row.id)
        select_data(self.hamlet, hamlet_id)
        if self.details is not None and self.ctx.read(households.count_households, group_id=self.group_id):
            # save_group does not move the households' hamlet along with the group.
            self.hamlet.setEnabled(False)
            self.hamlet.setToolTip("Tổ đang có hộ: hãy chuyển các hộ sang tổ khác trước khi đổi ấp.")

    def _fill_officers(self, d: GroupDetails) -> None:
        members = self.ctx.read(households.list_households, group_id=d.id)
        for combo, current in ((self.leader, d.leader_household_id), (self.deputy, d.deputy_household_id)):
            combo.addItem(NO_OFFICER, None)
            for h in members:
                combo.addItem(f"{h.head_name} – {h.address}" if h.address else h.head_name, h.id)
            select_data(combo, current)

    def _on_number_changed(self, _text: str = "") -> None:
        text = self.number.text().strip()
        self.name.setPlaceholderText(default_group_name(int(text)) if text.isdigit() else "Tổ NDTQ số …")

    # ---- saving ---------------------------------------------------------
    def _typed_number(self) -> int | None:
        text = self.number.text().strip()
        if text and not (text.isascii() and text.isdigit()):
            raise ValidationError("Số tổ phải là số, ví dụ 5.", field="number")
        return int(text) if text else None

    def submit(self) -> None:
        if self.hamlet.currentData() is None:
            raise ValidationError("Chưa chọn ấp. Hãy thêm ấp trước.", field="hamlet_id")
        values = dict(
            hamlet_id=self.hamlet.currentData(), number=self._typed_number(), name=self.name.text(),
            founded_date=date_from_text(self.founded.text(), field="founded_date"),
            notes=self.notes.toPlainText(), group_id=self.group_id)
        if self.group_id:
            values.update(leader_household_id=self.leader.currentData(),
                          deputy_household_id=self.deputy.currentData())
        self.write(groups.save_group, **values)
