"""Add or edit a crime-prevention model: its type (from the catalogue, which can
grow here), name, lead organisation, description, start date and status — a
paused or retired model says since when, and a retired one why."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.models import ModelStatus
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import prevention_catalogue as model_catalogue, prevention
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, ask_text, date_from_text, select_data
from gocong_desktop.gui.widgets.fold_combo import fold_search

OTHER = "Khác (ghi rõ)…"


class SchemeDialog(WriteDialog):
    def __init__(self, ctx: AppContext, *, model_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Sửa mô hình" if model_id else "Thêm mô hình", parent)
        self.model_id = model_id
        self.detail = ctx.read(prevention.model_detail, model_id) if model_id else None
        self._build()
        self._wire()
        self._load()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        type_row = self._build_type_row()
        self.name = QLineEdit()
        self.lead = fold_search(QComboBox())
        self.lead_other = QLineEdit(placeholderText="tên đơn vị chủ trì")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.start_date = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.status = fold_search(QComboBox())
        for code, label in prevention.STATUS_LABELS.items():
            self.status.addItem(label, code.value)
        self.status_date = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.status_reason = QLineEdit(placeholderText="lý do dừng mô hình")
        form = QFormLayout()
        for label, widget, field in (
                ("Loại mô hình *", type_row, "type_id"), ("Tên mô hình *", self.name, "name"),
                ("Đơn vị chủ trì *", self.lead, "lead_organisation"), ("", self.lead_other, "lead_other"),
                ("Mô tả", self.description, "description"), ("Ngày bắt đầu", self.start_date, "start_date"),
                ("Trạng thái", self.status, "status"), ("Từ ngày", self.status_date, "status_date"),
                ("Lý do dừng", self.status_reason, "status_reason")):
            self.errors.add_row(form, label, widget, field)
        self.form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Lưu"))
        self.resize(560, self.sizeHint().height())

    def _build_type_row(self) -> QWidget:
        self.type = fold_search(QComboBox())
        self.add_type_button = QPushButton("Thêm loại…")
        type_row = QWidget()
        row = QHBoxLayout(type_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.type, 1)
        row.addWidget(self.add_type_button)
        return type_row

    def _wire(self) -> None:
        self.wire_buttons()
        self.add_type_button.clicked.connect(self._on_add_type)
        self.lead.currentIndexChanged.connect(lambda _i: self._update_visibility())
        self.status.currentIndexChanged.connect(self._on_status_changed)

    # ---- data -----------------------------------------------------------
    def _fill_types(self, selected: str | None) -> None:
        self.type.clear()
        for row in self.ctx.read(model_catalogue.list_model_types, include_inactive=True):
            if row.active or row.id == selected:
                self.type.addItem(row.name, row.id)
        select_data(self.type, selected)

    def _load(self) -> None:
        d = self.detail
        self._fill_types(d.type_id if d else None)
        organisations = prevention.lead_organisations()
        for name in organisations:
            self.lead.addItem(name, name)
        self.lead.addItem(OTHER, None)
        if d is not None:
            self.name.setText(d.name)
            if not select_data(self.lead, d.lead_organisation):
                select_data(self.lead, None)
                self.lead_other.setText(d.lead_organisation)
            self.description.setPlainText(d.description or "")
            self.start_date.setText(format_date(d.start_date))
            select_data(self.status, d.status)
            self.status_date.setText(format_date(d.status_date))
            self.status_reason.setText(d.status_reason or "")
        self._update_visibility()

    def _update_visibility(self) -> None:
        self._set_row_visible(self.lead_other, self.lead.currentData() is None)
        status = self.status.currentData()
        changed = self.detail is None or status != self.detail.status
        self._set_row_visible(self.status_date, status != ModelStatus.ACTIVE or (changed and self.detail))
        self._set_row_visible(self.status_reason, status == ModelStatus.RETIRED)
        self.resize(self.width(), self.sizeHint().height())

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget.parentWidget(), bool(visible))

    def _on_status_changed(self, _index: int) -> None:
        if not self.status_date.text().strip():
            self.status_date.setText(format_date(date.today()))
        self._update_visibility()

    def _on_add_type(self) -> None:
        name = ask_text(self, "Thêm loại mô hình", "Tên loại mô hình mới:")
        if name:  # the new type is chosen once saved; a duplicate name is reported
            self.ctx.write(model_catalogue.add_model_type, name, on_done=self._fill_types, parent=self)

    # ---- saving ---------------------------------------------------------
    def submit(self) -> None:
        if self.type.currentData() is None:
            raise ValidationError("Chưa chọn loại mô hình; hãy thêm loại trước.", field="type_id")
        lead = self.lead.currentData() or self.lead_other.text()
        if not (lead or "").strip():
            raise ValidationError("Chưa nhập đơn vị chủ trì.", field="lead_other")
        self.write(prevention.save_model, model_id=self.model_id, type_id=self.type.currentData(),
                   name=self.name.text(), lead_organisation=lead, description=self.description.toPlainText(),
                   start_date=date_from_text(self.start_date.text(), field="start_date"),
                   status=self.status.currentData(),
                   status_date=date_from_text(self.status_date.text(), field="status_date"),
                   status_reason=self.status_reason.text())
