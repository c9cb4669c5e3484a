"""Choosing a review period: 6 months, 9 months, the year, or custom dates.

One widget for the evaluation form, the report dialog and the propaganda totals.
Dates are checked when a field is left (never reformatted while typing)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.review_period import (PERIOD_CHOICES, ReviewPeriod, custom_period, describe_period,
                                           period_for)
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.flow import FlowLayout
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, date_from_text, select_data
from gocong_desktop.gui.widgets.fold_combo import fold_search


class PeriodPicker(QWidget):
    changed = Signal()  # a new, valid period was chosen

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today or date.today()
        self._last: ReviewPeriod | None = None
        self._build()
        self._wire()
        self.set_period(self.default_period())

    def _build(self) -> None:
        self.choice = fold_search(QComboBox())
        for key, label in PERIOD_CHOICES:
            self.choice.addItem(label, key)
        self.year = QSpinBox(minimum=2000, maximum=2100)
        self.start = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.end = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.dates_label = QLabel()
        self.dates_label.setStyleSheet("color: #555;")
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for edit in (self.start, self.end):
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        layout = FlowLayout(self)  # wraps in a narrow dialog or page
        layout.addWidget(self.choice)
        layout.addWidget(self.year)  # reads on: "6 tháng đầu năm | 2026"
        self.from_label, self.to_label = QLabel("từ"), QLabel("đến")
        for widget in (self.from_label, self.start, self.to_label, self.end, self.dates_label):
            layout.addWidget(widget)
        self.setFocusProxy(self.choice)  # a label's Alt+letter or a dialog's first focus lands here

    def _wire(self) -> None:
        self.choice.currentIndexChanged.connect(self._on_choice_changed)
        self.year.valueChanged.connect(lambda _v: self._on_changed())
        self.start.editingFinished.connect(self._on_changed)
        self.end.editingFinished.connect(self._on_changed)

    def default_period(self) -> ReviewPeriod:
        """The review due now: the last half-year that ended (sơ kết or tổng kết)."""
        if self._today.month >= 7:
            return period_for("H1", self._today.year)
        return period_for("Y", self._today.year - 1)

    def set_period(self, period: ReviewPeriod) -> None:
        named = describe_period(period.start, period.end)
        key = next((k for k, _ in PERIOD_CHOICES if k != "custom" and
                    period_for(k, period.start.year) == named), "custom")
        for widget in (self.choice, self.year):
            widget.blockSignals(True)
        select_data(self.choice, key)
        self.year.setValue(period.start.year)
        self.start.setText(format_date(period.start))
        self.end.setText(format_date(period.end))
        for widget in (self.choice, self.year):
            widget.blockSignals(False)
        self._show_custom()
        self._on_changed()

    def period(self) -> ReviewPeriod:
        """The chosen period; ValidationError(field="period") when the dates are wrong."""
        key = self.choice.currentData()
        if key == "custom":  # dates that make a named period get its name ("6 tháng đầu năm 2024")
            start = date_from_text(self.start.text(), field="period", required=True)
            end = date_from_text(self.end.text(), field="period", required=True)
            return describe_period(start, end) if start <= end else custom_period(start, end)
        return period_for(key, self.year.value())

    def _show_custom(self) -> None:
        custom = self.choice.currentData() == "custom"
        for widget in (self.from_label, self.start, self.to_label, self.end):
            widget.setVisible(custom)
        self.year.setEnabled(not custom)
        self.dates_label.setVisible(not custom)

    def _on_choice_changed(self, _index: int) -> None:
        if self.choice.currentData() == "custom" and self._last is not None:
            self.start.setText(format_date(self._last.start))  # start from the period shown
            self.end.setText(format_date(self._last.end))
        self._show_custom()
        self._on_changed()

    def _on_changed(self) -> None:
        try:
            period = self.period()
        except UserError as exc:
            self.dates_label.setText(exc.message)
            return
        self.dates_label.setText(period.dates_text)
        self._last = period
        self.changed.emit()
