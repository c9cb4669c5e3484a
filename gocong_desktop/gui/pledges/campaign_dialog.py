"""Open a year's pledge campaign: every active household gets a pledge "chưa ký"
under the chosen template version."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gocong_desktop.core.services import pledges
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text
from gocong_desktop.gui.widgets.fold_combo import fold_search

DEFAULT_TEMPLATE = "Mẫu mặc định của chương trình"


class OpenCampaignDialog(WriteDialog):
    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Mở đợt cam kết năm {year}", parent)
        self.year = year
        self._build()
        self.wire_buttons()

    def _build(self) -> None:
        self.template = fold_search(QComboBox())
        templates = self.ctx.read(pledges.list_templates)
        for t in templates:  # newest first: this year's latest version is the usual choice
            self.template.addItem(f"{t.label} – {len(t.items)} nội dung", t.id)
        self.template.addItem(DEFAULT_TEMPLATE, None)
        self.opened_on = QLineEdit(format_date(date.today()), placeholderText=DATE_PLACEHOLDER)
        explanation = QLabel(f"Mọi hộ đang cư trú sẽ có bản cam kết năm {self.year} ở trạng thái «chưa ký». "
                             "Hộ thêm sau sẽ tự động vào đợt này.")
        explanation.setWordWrap(True)
        form = QFormLayout()
        self.errors.add_row(form, "Mẫu cam kết", self.template, "template_id")
        self.errors.add_row(form, "Ngày mở đợt *", self.opened_on, "opened_on")
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Mở đợt"))
        self.resize(520, self.sizeHint().height())

    def submit(self) -> None:
        opened_on = date_from_text(self.opened_on.text(), field="opened_on", required=True)
        self.write(pledges.open_campaign, self.year, template_id=self.template.currentData(),
                   opened_on=opened_on)
