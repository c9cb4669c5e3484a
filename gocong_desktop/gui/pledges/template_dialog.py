"""Edit the pledge text for a year. Saving makes a new version: pledges already
signed keep the text they were signed under."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from gocong_desktop.core.services import pledges
from gocong_desktop.core.services.pledges import TemplateInfo
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import WriteDialog


def items_from_text(text: str) -> list[str]:
    """One commitment per line; a typed "1." or "2)" in front is dropped (the
    form numbers the items itself)."""
    items = []
    for line in text.splitlines():
        line = line.strip()
        head, _, rest = line.partition(" ")
        if rest and head.rstrip(".)").isdigit() and head[-1:] in ".)":
            line = rest.strip()
        if line:
            items.append(line)
    return items


class PledgeTemplateDialog(WriteDialog):
    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Mẫu bản cam kết năm {year}", parent)
        self.year = year
        self._campaign = ctx.read(pledges.get_campaign, year)
        self._build()
        self.wire_buttons()
        self._fill(ctx.read(pledges.template_for_editing, year))

    def _build(self) -> None:
        self.based_on = QLabel()
        self.title_edit = QLineEdit()
        self.subtitle = QLineEdit()
        self.items = QPlainTextEdit()
        self.items.setMinimumHeight(260)
        self.apply = QCheckBox(f"Dùng cho đợt cam kết năm {self.year} (các hộ chưa ký nhận mẫu mới)")
        self.apply.setChecked(True)
        self.apply.setVisible(self._campaign is not None)
        form = QFormLayout()
        form.addRow("Dựa trên", self.based_on)
        self.errors.add_row(form, "Tiêu đề *", self.title_edit, "title")
        self.errors.add_row(form, "Trích yếu", self.subtitle, "subtitle")
        self.errors.add_row(form, "Nội dung cam kết *\n(mỗi dòng một nội dung)", self.items, "items")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.apply)
        layout.addWidget(self.make_buttons("Lưu thành bản mới"))
        self.resize(720, self.sizeHint().height())

    def _fill(self, template: TemplateInfo) -> None:
        self.based_on.setText(template.label if template.id else "Mẫu mặc định của chương trình")
        self.title_edit.setText(template.title)
        self.subtitle.setText(template.subtitle or "")
        self.items.setPlainText("\n".join(template.items))

    def submit(self) -> None:
        self.write(pledges.revise_template, year=self.year, title=self.title_edit.text(),
                   subtitle=self.subtitle.text(), items=items_from_text(self.items.toPlainText()),
                   apply_to_campaign=self._campaign is not None and self.apply.isChecked())
