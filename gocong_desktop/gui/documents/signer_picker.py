"""«Người ký» for one print: the signing form (ký trực tiếp, KT., Q., TM.) and the
name, pre-filled from the office settings (Cài đặt › Người ký); what the clerk
changes here serves this print only and is never saved."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from gocong_desktop.core.services.signers import (FORM_LABELS, SignerChoice, SignerForm, SignerSettings,
                                                  form_name, signer_settings)
from gocong_desktop.core.settings.keys import SIGNER_NAME_MAX
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.fold_combo import fold_search

TIP = ("Người ký của lần in này; để trống họ tên thì in dòng trống để ký tay. Người ký mặc định đặt ở "
       "Cài đặt › Người ký.")


class SignerPicker(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings: SignerSettings | None = None
        self.form = fold_search(QComboBox())
        for form, label in FORM_LABELS.items():
            self.form.addItem(label, form)
        self.name = QLineEdit(placeholderText="họ tên người ký (để trống: ký tay)")
        self.name.setMaxLength(SIGNER_NAME_MAX * 2)  # longer is typed, then refused with its message
        for widget in (self.form, self.name):
            widget.setToolTip(TIP)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        layout.addWidget(self.name, 1)
        self.form.currentIndexChanged.connect(self._fill_name)

    def reload(self) -> None:
        """Read the settings off the UI thread; a change of them replaces this print's choice."""
        self.ctx.query(signer_settings, on_done=self.load, parent=self, key=(self, "signers"))

    def load(self, settings: SignerSettings) -> None:
        if settings == self.settings:
            return  # keep what the clerk chose for this print
        self.settings = settings
        self.form.blockSignals(True)
        self.form.setCurrentIndex(max(self.form.findData(settings.form), 0))
        self.form.blockSignals(False)
        self._fill_name()

    def _fill_name(self) -> None:
        if self.settings is not None:
            self.name.setText(form_name(self.settings, self.chosen_form()))

    def chosen_form(self) -> SignerForm:
        return SignerForm(self.form.currentData())  # Qt gives the plain text back

    def choice(self) -> SignerChoice:
        """Checked when the document is written (services/signers.py); the settings'
        signer while they are still being read."""
        if self.settings is None:
            return SignerChoice()
        return SignerChoice(self.chosen_form(), self.name.text())
