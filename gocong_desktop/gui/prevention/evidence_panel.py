"""Beside the evaluation form: what the registers show for the model's sites over
the period (meetings, attendance, pledges, propaganda), and the warning signs of
a model that exists only on paper."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from gocong_desktop.core.services.evidence import ModelEvidence, evidence_lines, evidence_warnings

WARNING_STYLE = "color: #9a3412;"


class EvidencePanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Số liệu trong kỳ (phần mềm tự tổng hợp)", parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.values: dict[str, QLabel] = {}
        hint = QLabel("Đối chiếu các số liệu này khi chấm điểm: mô hình chỉ có trên giấy thường không có "
                      "buổi sinh hoạt, hộ tham gia hay hoạt động tuyên truyền.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.warnings)
        layout.addStretch(1)
        layout.addWidget(hint)

    def show_evidence(self, evidence: ModelEvidence, period_label: str) -> None:
        self.heading.setText(f"<b>{period_label}</b>")
        while self.form.rowCount():  # the labels change with the period ("cam kết năm …")
            self.form.removeRow(0)
        self.values = {}
        for label, value in evidence_lines(evidence):
            self.values[label] = QLabel(value, wordWrap=True)
            self.form.addRow(f"{label}:", self.values[label])
        warnings = evidence_warnings(evidence)
        self.warnings.setText("\n".join(f"Lưu ý: {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def show_message(self, message: str) -> None:
        self.heading.setText(message)
