"""Cài đặt › Người ký: who signs the office's documents, for each signing form (ký
trực tiếp, KT., Q., TM.) the title line(s) and the name, with the block as it
will print for the form chosen. Checked by the signers service (the CLI's rule)."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.signers import FIELD_LABELS, FORM_LABELS, SignerForm, SignerSettings, block_for
from gocong_desktop.core.settings.keys import SIGNER_TITLE_MAX
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.widgets.form_errors import FieldErrors

TEXT_FIELDS = [f.name for f in fields(SignerSettings) if f.name != "form"]


class SignerSettingsForm(QWidget):
    def __init__(self, errors: FieldErrors, default_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_title = default_title
        layout = QFormLayout(self)
        self.form = fold_search(QComboBox())
        for form, label in FORM_LABELS.items():
            self.form.addItem(label, form)
        errors.add_row(layout, "Hình thức ký thường dùng", self.form, "signer.form")
        self.edits: dict[str, QLineEdit] = {}
        for name in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setMaxLength(SIGNER_TITLE_MAX * 2)  # longer is typed, then refused with its message
            self.edits[name] = edit
            label = FIELD_LABELS[name]
            errors.add_row(layout, label[:1].upper() + label[1:], edit, f"signer.{name}")
            edit.textChanged.connect(self._show_preview)
        self.edits["head_title"].setPlaceholderText(f"để trống: «{default_title}»")
        self.edits["head_title"].textChanged.connect(self._show_deputy_placeholder)
        self.edits["body"].setPlaceholderText("ví dụ: Ban Chỉ đạo phong trào Toàn dân bảo vệ an ninh Tổ quốc xã")
        self.edits["body_title"].setPlaceholderText("ví dụ: Trưởng ban")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        layout.addRow("Văn bản sẽ in:", self.preview)
        self.form.currentIndexChanged.connect(self._show_preview)
        self._show_deputy_placeholder()

    def load(self, settings: SignerSettings) -> None:
        self.form.setCurrentIndex(max(self.form.findData(settings.form), 0))
        for name, edit in self.edits.items():
            edit.setText(getattr(settings, name))
        self._show_preview()

    def chosen(self) -> SignerSettings:
        """As typed; the service checks and normalises it when saving."""
        return SignerSettings(form=SignerForm(self.form.currentData()),  # Qt gives the plain text back
                              **{name: edit.text() for name, edit in self.edits.items()})

    def _show_deputy_placeholder(self) -> None:
        head = self.edits["head_title"].text().strip() or self.default_title
        self.edits["deputy_title"].setPlaceholderText(f"để trống: «Phó {head}»")

    def _show_preview(self) -> None:
        try:
            block = block_for(self.chosen(), self.default_title)
        except ValidationError as exc:
            self.preview.setText(exc.message)
            return
        lines = [block.title.upper(), block.position.upper(), block.name or "(để trống, ký tay)"]
        self.preview.setText("\n".join(line for line in lines if line))
