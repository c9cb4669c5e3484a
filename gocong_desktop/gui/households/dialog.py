"""Add or edit a household. Nothing is saved until every field is valid; the
message for a wrong field appears under that field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.access import Role
from gocong_desktop.core.db.models import Gender
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import groups, hamlets, households
from gocong_desktop.core.services.households import MAX_MEMBERS, HouseholdInput
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import WriteDialog, select_data
from gocong_desktop.gui.households.pledge_violations_dialog import PledgeViolationsDialog
from gocong_desktop.gui.widgets.fold_combo import fold_search

GENDERS = [("", None), ("Nam", Gender.MALE), ("Nữ", Gender.FEMALE)]


class HouseholdDialog(WriteDialog):
    def __init__(self, ctx: AppContext, *, household_id: str | None = None,
                 hamlet_id: str | None = None, group_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Sửa hộ gia đình" if household_id else "Thêm hộ gia đình", parent)
        self.household_id = household_id
        self.admin = ctx.db.role() == Role.ADMIN  # notes on people and violations: administrators only
        self._build()
        self.wire_buttons()
        self.hamlet.currentIndexChanged.connect(self._on_hamlet_changed)
        self._load(hamlet_id, group_id)

    @property
    def saved_id(self) -> str | None:
        return self.result_value or (self.household_id if self.result() else None)

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.head_name = QLineEdit()
        self.birth_year = QLineEdit(placeholderText="ví dụ 1975")
        self.gender = fold_search(QComboBox())
        for text, value in GENDERS:
            self.gender.addItem(text, value)
        self.address = QLineEdit(placeholderText="số nhà, đường")
        self.hamlet = fold_search(QComboBox())
        self.group = fold_search(QComboBox())
        self.members = QSpinBox(minimum=1, maximum=MAX_MEMBERS, value=1)
        self.phone = QLineEdit(placeholderText="ví dụ 0912345678")
        self.citizen_id = QLineEdit(placeholderText="12 chữ số (không bắt buộc)")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form = QFormLayout()
        rows = [("Họ tên chủ hộ *", self.head_name, "head_name"), ("Năm sinh", self.birth_year, "birth_year"),
                ("Giới tính", self.gender, "gender"), ("Địa chỉ", self.address, "address"),
                ("Ấp *", self.hamlet, "hamlet_id"), ("Tổ NDTQ", self.group, "group_id"),
                ("Số nhân khẩu *", self.members, "members"), ("Điện thoại", self.phone, "phone"),
                ("Số CCCD", self.citizen_id, "citizen_id")]
        if self.admin:
            rows.append(("Ghi chú", self.notes, "notes"))
        for label, widget, field in rows:
            self.errors.add_row(form, label, widget, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self.household_id and self.admin:  # violations are sensitive: only on the household's own detail
            self.violations_button = QPushButton("Vi phạm cam kết…")
            self.violations_button.clicked.connect(self._on_violations)
            layout.addWidget(self.violations_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.make_buttons("Lưu"))
        self.resize(480, self.sizeHint().height())

    # ---- data -----------------------------------------------------------
    def _load(self, hamlet_id: str | None, group_id: str | None) -> None:
        for row in self.ctx.read(hamlets.list_hamlets):
            self.hamlet.addItem(row.name, row.id)
        if self.household_id:
            data = self.ctx.read(households.household_input, self.household_id)
            hamlet_id, group_id = data.hamlet_id, data.group_id
            self._fill(data)
        select_data(self.hamlet, hamlet_id)
        self._on_hamlet_changed()
        select_data(self.group, group_id)

    def _fill(self, data: HouseholdInput) -> None:
        self.head_name.setText(data.head_name)
        self.birth_year.setText(str(data.birth_year) if data.birth_year else "")
        select_data(self.gender, data.gender)
        self.address.setText(data.address or "")
        self.members.setValue(data.members)
        self.phone.setText(data.phone or "")
        self.citizen_id.setText(data.citizen_id or "")
        self.notes.setPlainText(data.notes or "")

    def _on_hamlet_changed(self, _index: int = 0) -> None:
        self.group.clear()
        self.group.addItem("— chưa xếp tổ —", None)
        if hamlet_id := self.hamlet.currentData():
            for row in self.ctx.read(groups.group_choices, hamlet_id=hamlet_id):
                self.group.addItem(row.name, row.id)

    def _on_violations(self) -> None:
        self.violations_dialog = PledgeViolationsDialog(self.ctx, self.household_id, self.head_name.text(),
                                                        parent=self)
        self.violations_dialog.open()

    def form_input(self) -> HouseholdInput:
        year_text = self.birth_year.text().strip()
        if year_text and not year_text.isdigit():
            raise ValidationError("Năm sinh phải là số, ví dụ 1975.", field="birth_year")
        return HouseholdInput(
            head_name=self.head_name.text(), hamlet_id=self.hamlet.currentData(),
            group_id=self.group.currentData(), birth_year=int(year_text) if year_text else None,
            gender=self.gender.currentData(), address=self.address.text(),
            members=self.members.value(), phone=self.phone.text(),
            citizen_id=self.citizen_id.text(), notes=self.notes.toPlainText() if self.admin else None)

    # ---- saving ---------------------------------------------------------
    def submit(self) -> None:
        data = self.form_input()
        self.ctx.read(households.validate, data)  # checks only; nothing is written if invalid
        if self.household_id:
            self.write(households.update_household, self.household_id, data)
        else:
            self.write(households.create_household, data)
