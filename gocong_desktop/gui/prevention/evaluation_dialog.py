"""Evaluating a model for a review period: a score per criterion of the latest
criteria set, the total and rating computed as the scores change, the
recommendation, evaluator and notes — and, beside the form, the evidence the
registers hold for that period and the model's sites."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.services import prevention
from gocong_desktop.core.services.evidence import model_evidence
from gocong_desktop.core.services.prevention_catalogue import CriteriaSetInfo, latest_criteria_set
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.scrolling import scrolling
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.prevention.evidence_panel import EvidencePanel
from gocong_desktop.gui.widgets.period_picker import PeriodPicker
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text
from gocong_desktop.gui.widgets.fold_combo import fold_search

EVALUATOR_KEY = "models/evaluator"
CHOOSE = "— chọn —"
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)  # "7,5"


class EvaluationDialog(WriteDialog):
    def __init__(self, ctx: AppContext, *, model_id: str, model_name: str,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(ctx, f"Đánh giá mô hình – {model_name}", parent)
        self.model_id, self.model_name = model_id, model_name
        self.today = today or date.today()
        self.criteria: CriteriaSetInfo = ctx.read(latest_criteria_set)
        self.scores: dict[str, QDoubleSpinBox] = {}
        self._build()
        self._wire()
        self._on_scores_changed()
        self._on_period_changed()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.period = PeriodPicker(today=self.today)
        self.evaluated_on = QLineEdit(format_date(self.today), placeholderText=DATE_PLACEHOLDER)
        self.total_label = QLabel()
        self.total_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.recommendation = fold_search(QComboBox())
        self.recommendation.addItem(CHOOSE, None)
        for code, label in prevention.RECOMMENDATION_LABELS.items():
            self.recommendation.addItem(label, code.value)
        self.evaluator = QLineEdit(str(self.ctx.settings.value(EVALUATOR_KEY, "") or ""))
        self.evaluator.setPlaceholderText("ví dụ: Đ/c Trần Minh Tâm – Trưởng Công an xã")
        self.notes = QPlainTextEdit(placeholderText="Nhận xét: kết quả, tồn tại, lý do kiến nghị…")
        self.notes.setTabChangesFocus(True)
        self.evidence = EvidencePanel()
        self.evidence.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        columns = QHBoxLayout()
        # The form scrolls: at 1024×768 with 125% the screen is 614 px high (gui/widgets/scrolling.py).
        columns.addWidget(scrolling(self._build_form()), 3)
        columns.addWidget(self.evidence, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.make_buttons("Lưu đánh giá"))
        self.resize(1080, 680)

    def _build_form(self) -> QVBoxLayout:
        top = QFormLayout()
        top.addRow("Mô hình:", QLabel(f"<b>{self.model_name}</b>"))
        self.errors.add_row(top, "Kỳ đánh giá *", self.period, "period")
        self.errors.add_row(top, "Ngày đánh giá *", self.evaluated_on, "evaluated_on")
        bottom = QFormLayout()
        self.errors.add_row(bottom, "Kiến nghị *", self.recommendation, "recommendation")
        self.errors.add_row(bottom, "Người đánh giá", self.evaluator, "evaluator")
        self.errors.add_row(bottom, "Nhận xét", self.notes, "notes")
        form = QVBoxLayout()
        form.addLayout(top)
        form.addWidget(self._build_scores())
        form.addWidget(self.total_label)
        form.addLayout(bottom)
        return form

    def _build_scores(self) -> QGroupBox:
        c = self.criteria
        # The criteria set's name under a short title: a box is never narrower than its title.
        box = QGroupBox("Chấm điểm")
        form = QFormLayout(box)
        form.addRow(QLabel(f"Theo {c.name} (phiên bản {c.version})", wordWrap=True))
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for criterion in c.criteria:
            spin = QDoubleSpinBox(minimum=0, maximum=criterion.max_score, decimals=1, singleStep=0.5)
            spin.setLocale(VIETNAMESE)
            spin.setSuffix(f" / {criterion.max_score:g}")
            spin.setMinimumWidth(110)
            self.scores[criterion.code] = spin
            self.errors.add_row(form, f"{criterion.name} (trọng số {criterion.weight:g})", spin,
                                criterion.code)
        for row in range(form.rowCount()):  # long criteria wrap in a narrow dialog
            if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) and isinstance(label := item.widget(), QLabel):
                # At least 34 characters wide, and as high as its lines there: a form lays
                # a wrapped label out one line high.
                label.setWordWrap(True)
                label.setMinimumWidth(min(label.fontMetrics().horizontalAdvance(label.text()),
                                          label.fontMetrics().averageCharWidth() * 34))
                label.setMinimumHeight(label.heightForWidth(label.minimumWidth()))
        return box

    def _wire(self) -> None:
        self.wire_buttons()
        self.period.changed.connect(self._on_period_changed)
        for spin in self.scores.values():
            spin.valueChanged.connect(lambda _v: self._on_scores_changed())

    # ---- behaviour ------------------------------------------------------
    def score_values(self) -> dict[str, float]:
        return {code: spin.value() for code, spin in self.scores.items()}

    def _on_scores_changed(self) -> None:
        total, rating = self.criteria.rate(self.score_values())
        self.total_label.setText(f"Tổng điểm: {total:g} / 100 – Xếp loại: {rating}".replace(".", ","))
        self.rating = rating

    def _on_period_changed(self) -> None:
        try:
            period = self.period.period()
            evidence = self.ctx.read(model_evidence, self.model_id, period.start, period.end)
        except UserError as exc:
            self.evidence.show_message(exc.message)
            return
        heading = period.label if period.label.startswith("từ ngày") else f"{period.label} ({period.dates_text})"
        self.evidence.show_evidence(evidence, heading[:1].upper() + heading[1:])

    def submit(self) -> None:
        period = self.period.period()
        if self.recommendation.currentData() is None:
            raise ValidationError("Chưa chọn kiến nghị.", field="recommendation")
        evaluated_on = date_from_text(self.evaluated_on.text(), field="evaluated_on", required=True)
        self.ctx.settings.setValue(EVALUATOR_KEY, self.evaluator.text().strip())
        self.write(prevention.evaluate_model, self.model_id, criteria_set_id=self.criteria.id,
                   period_kind=period.kind, period_start=period.start, period_end=period.end,
                   evaluated_on=evaluated_on, scores=self.score_values(),
                   recommendation=self.recommendation.currentData(), evaluator=self.evaluator.text(),
                   notes=self.notes.toPlainText())
