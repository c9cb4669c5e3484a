"""Editing the criteria set: criteria with weights and maximum scores, and the
rating bands. Saving makes a new version; past evaluations keep theirs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import prevention_catalogue as model_catalogue
from gocong_desktop.core.services.prevention_catalogue import CriteriaSetInfo
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import WriteDialog

CRITERIA_HEADERS = ["Tiêu chí", "Trọng số", "Điểm tối đa"]
BAND_HEADERS = ["Mức xếp loại", "Từ điểm (thang 100)"]
CODE_ROLE = Qt.ItemDataRole.UserRole


def _number(text: str, *, field: str, what: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValidationError(f"{what} phải là số (đang là «{text.strip()}»).", field=field) from None
    return int(value) if value.is_integer() else value


def _number_text(value: float) -> str:
    return f"{value:g}".replace(".", ",")


class CriteriaDialog(WriteDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Bộ tiêu chí đánh giá mô hình", parent)
        self.current: CriteriaSetInfo = ctx.read(model_catalogue.latest_criteria_set)
        self._build()
        self._wire()
        self._load()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.name = QLineEdit()
        self.criteria = self._table(CRITERIA_HEADERS)
        self.bands = self._table(BAND_HEADERS)
        self.add_criterion, self.remove_criterion = QPushButton("Thêm tiêu chí"), QPushButton("Bỏ tiêu chí")
        self.add_band, self.remove_band = QPushButton("Thêm mức"), QPushButton("Bỏ mức")
        version = QLabel(f"Đang dùng phiên bản {self.current.version}. Khi lưu, phần mềm tạo phiên bản "
                         f"{self.current.version + 1}; các lần đánh giá trước vẫn giữ phiên bản đã dùng.")
        version.setWordWrap(True)
        version.setStyleSheet("color: #555;")
        form = QFormLayout()
        self.errors.add_row(form, "Tên bộ tiêu chí", self.name, "name")
        self.errors.add_row(form, "Tiêu chí", self._with_buttons(self.criteria, self.add_criterion,
                                                                 self.remove_criterion), "criteria")
        self.errors.add_row(form, "Mức xếp loại", self._with_buttons(self.bands, self.add_band,
                                                                      self.remove_band), "bands")
        layout = QVBoxLayout(self)
        layout.addWidget(version)
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Lưu phiên bản mới"))
        self.resize(820, 640)

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return table

    @staticmethod
    def _with_buttons(table: QTableWidget, add: QPushButton, remove: QPushButton) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    def _wire(self) -> None:
        self.wire_buttons()
        self.add_criterion.clicked.connect(lambda: self._append(self.criteria, ["", "1", "10"]))
        self.remove_criterion.clicked.connect(lambda: self._remove(self.criteria))
        self.add_band.clicked.connect(lambda: self._append(self.bands, ["", "0"]))
        self.remove_band.clicked.connect(lambda: self._remove(self.bands))

    # ---- data -----------------------------------------------------------
    def _load(self) -> None:
        self.name.setText(self.current.name)
        for c in self.current.criteria:
            self._append(self.criteria, [c.name, _number_text(c.weight), _number_text(c.max_score)], c.code)
        for b in self.current.bands:
            self._append(self.bands, [b.label, _number_text(b.min_score)])

    @staticmethod
    def _append(table: QTableWidget, values: list[str], code: str | None = None) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 0 and code:
                item.setData(CODE_ROLE, code)  # the code stays with its criterion
            table.setItem(row, column, item)
        table.setCurrentCell(row, 0)

    @staticmethod
    def _remove(table: QTableWidget) -> None:
        if table.currentRow() >= 0:
            table.removeRow(table.currentRow())

    @staticmethod
    def _cells(table: QTableWidget, row: int) -> list[str]:
        return [(table.item(row, c).text() if table.item(row, c) else "") for c in range(table.columnCount())]

    def criteria_values(self) -> list[dict]:
        out = []
        for row in range(self.criteria.rowCount()):
            name, weight, max_score = self._cells(self.criteria, row)
            out.append({"code": self.criteria.item(row, 0).data(CODE_ROLE) if self.criteria.item(row, 0) else None,
                        "name": name, "weight": _number(weight, field="criteria", what="Trọng số"),
                        "max_score": _number(max_score, field="criteria", what="Điểm tối đa")})
        return out

    def band_values(self) -> list[dict]:
        return [{"label": label, "min_score": _number(score, field="bands", what="Điểm tối thiểu")}
                for label, score in (self._cells(self.bands, r) for r in range(self.bands.rowCount()))]

    def submit(self) -> None:
        self.write(model_catalogue.save_criteria_set, code=self.current.code, name=self.name.text(),
                   criteria=self.criteria_values(), bands=self.band_values())
