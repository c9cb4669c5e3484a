"""Evaluating a model for a review period that has ended: the hours the team sat
and its members, a score per criterion of the latest criteria set, the total and
rating computed as the scores change, the recommendation, evaluator and notes —
and, beside the form, the evidence the registers hold for that period and the
model's sites."""

from __future__ import annotations

import html

import json
from datetime import date

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.services import prevention
from gocong_desktop.core.services.evaluation_team import TeamMember
from gocong_desktop.core.services.evidence import model_evidence
from gocong_desktop.core.services.prevention_catalogue import CriteriaSetInfo, latest_criteria_set
from gocong_desktop.core.text import format_date, nfc
from gocong_desktop.gui.widgets.screen_fit import available_area
from gocong_desktop.gui.widgets.scrolling import scrolling
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.prevention.evidence_panel import EvidencePanel
from gocong_desktop.gui.prevention.team_editor import TeamEditor
from gocong_desktop.gui.widgets.period_picker import PeriodPicker
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text
from gocong_desktop.gui.widgets.fold_combo import fold_search
from gocong_desktop.gui.widgets.time_fields import datetime_from_text

EVALUATOR_KEY = "models/evaluator"
TEAM_KEY = "models/team"  # the last team, offered again: the same people evaluate every model
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
        self.period.setFocus()  # typing starts in the first field, not on the scrolling form

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.period = PeriodPicker(today=self.today)
        self.evaluated_on = QLineEdit(format_date(self.today), placeholderText=DATE_PLACEHOLDER)
        self.start_time = QLineEdit(placeholderText="giờ:phút, ví dụ 08:00")
        self.end_time = QLineEdit(placeholderText="giờ:phút, ví dụ 10:30")
        self.team = TeamEditor(self._last_team())
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
        if self.minimumSizeHint().width() > available_area(self).width():  # 1024×768 at 150 %: 683 px
            columns.setDirection(QBoxLayout.Direction.TopToBottom)  # the evidence under the form,
            columns.removeWidget(self.evidence)  # scrolling too, so the two share the height
            columns.addWidget(scrolling(self.evidence), 2)
        self.resize(1080, 680)

    def _build_form(self) -> QVBoxLayout:
        top = QFormLayout()
        top.addRow("Mô hình:", QLabel(f"<b>{html.escape(self.model_name)}</b>"))
        self.errors.add_row(top, "Kỳ đánh giá *", self.period, "period")
        self.errors.add_row(top, "Ngày đánh giá *", self.evaluated_on, "evaluated_on")
        self.errors.add_row(top, "Bắt đầu lúc *", self.start_time, "started_at")
        self.errors.add_row(top, "Kết thúc lúc *", self.end_time, "ended_at")
        self.errors.add_row(top, "Đoàn đánh giá", self.team, "team")
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
        # The team sits on the day evaluated: the hours are typed, the day is that one.
        started_at, ended_at = (datetime_from_text("", edit.text(), field=field, default_day=evaluated_on,
                                                   required=True)
                                for edit, field in ((self.start_time, "started_at"), (self.end_time, "ended_at")))
        team = self.team.members()
        self.ctx.settings.setValue(EVALUATOR_KEY, self.evaluator.text().strip())
        self.ctx.settings.setValue(TEAM_KEY, json.dumps([[nfc(m.name), nfc(m.role or "")] for m in team
                                                         if nfc(m.name)], ensure_ascii=False))
        self.write(prevention.evaluate_model, self.model_id, criteria_set_id=self.criteria.id,
                   period_kind=period.kind, period_start=period.start, period_end=period.end,
                   evaluated_on=evaluated_on, scores=self.score_values(),
                   recommendation=self.recommendation.currentData(), evaluator=self.evaluator.text(),
                   notes=self.notes.toPlainText(), started_at=started_at, ended_at=ended_at, team=team)

    def _last_team(self) -> list[TeamMember]:
        """The team saved last time on this computer; none when unreadable."""
        try:
            rows = json.loads(str(self.ctx.settings.value(TEAM_KEY, "") or "[]"))
            return [TeamMember(str(name), str(role) or None) for name, role in rows]
        except (ValueError, TypeError):
            return []
