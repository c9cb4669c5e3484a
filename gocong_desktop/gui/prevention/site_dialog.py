"""A model's site (điểm): a hamlet and/or a named road, the households covered (a
count, or chosen one by one from the hamlet), resources and start date.

In "nhân rộng" mode the dialog makes a new site of the same model at another
place with the source site's resources copied — one action."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from gocong_desktop.core.services import hamlets, households, prevention_sites as model_sites
from gocong_desktop.core.services.prevention_sites import RESOURCES, SiteRow
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, date_from_text, select_data
from gocong_desktop.gui.widgets.fold_combo import fold_search

NO_HAMLET = "— không gắn với ấp —"
RESOURCE_LABELS = {"cameras": "Camera", "lights": "Đèn chiếu sáng", "gates": "Cổng rào", "posts": "Chốt"}


class SiteDialog(WriteDialog):
    def __init__(self, ctx: AppContext, *, model_id: str, site: SiteRow | None = None,
                 replicate: bool = False, parent: QWidget | None = None) -> None:
        title = "Nhân rộng sang điểm mới" if replicate else ("Sửa điểm" if site else "Thêm điểm")
        super().__init__(ctx, title, parent)
        self.model_id, self.site, self.replicate = model_id, site, replicate
        self._build()
        self._wire()
        self._load()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.hamlet = fold_search(QComboBox())
        self.road = QLineEdit(placeholderText="ví dụ: Đường liên ấp Lợi An dài 1.300 m")
        self.by_count = QRadioButton("Số hộ")
        self.by_choice = QRadioButton("Chọn từng hộ trong ấp")
        self.count = QSpinBox(maximum=100_000)
        self.households = QListWidget()
        self.households.setMinimumHeight(160)
        self.chosen_label = QLabel()
        self.resources = {field: QSpinBox(maximum=100_000) for field, _ in RESOURCES}
        self.start_date = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.note = QLineEdit()
        form = QFormLayout()
        self.errors.add_row(form, "Ấp", self.hamlet, "hamlet_id")
        self.errors.add_row(form, "Tuyến đường, địa điểm", self.road, "road_name")
        self.errors.add_row(form, "Hộ trong phạm vi", self._households_box(), "households_count")
        self.errors.add_row(form, "Nguồn lực", self._resources_box(), "cameras")
        self.errors.add_row(form, "Ngày bắt đầu", self.start_date, "start_date")
        self.errors.add_row(form, "Ghi chú", self.note, "note")
        layout = QVBoxLayout(self)
        if self.replicate:
            layout.addWidget(self._replicate_hint())
        layout.addLayout(form)
        layout.addWidget(self.make_buttons("Nhân rộng" if self.replicate else "Lưu"))
        self.resize(620, self.sizeHint().height())

    def _households_box(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.by_count, 0, 0)
        grid.addWidget(self.count, 0, 1)
        if not self.replicate:  # a new site starts from a count; households are chosen later
            grid.addWidget(self.by_choice, 1, 0)
            grid.addWidget(self.chosen_label, 1, 1)
            grid.addWidget(self.households, 2, 0, 1, 2)
        return box

    def _resources_box(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (field, spin) in enumerate(self.resources.items()):
            grid.addWidget(QLabel(RESOURCE_LABELS[field]), i // 2, 2 * (i % 2))
            grid.addWidget(spin, i // 2, 2 * (i % 2) + 1)
            spin.setEnabled(not self.replicate)  # replication copies them
        return box

    def _replicate_hint(self) -> QLabel:
        source = self.site
        what = source.resources_text or "không có camera, đèn, cổng rào, chốt"
        label = QLabel(f"Nhân rộng từ điểm <b>{source.place}</b>: điểm mới có cùng nguồn lực ({what}). "
                       "Hãy chọn ấp hoặc tuyến đường mới.")
        label.setWordWrap(True)
        return label

    def _wire(self) -> None:
        self.wire_buttons()
        self.hamlet.currentIndexChanged.connect(lambda _i: self._fill_households())
        self.by_count.toggled.connect(lambda _on: self._update_mode())
        self.households.itemChanged.connect(lambda _item: self._update_chosen())

    # ---- data -----------------------------------------------------------
    def _load(self) -> None:
        s = self.site
        self.hamlet.addItem(NO_HAMLET, None)
        for row in self.ctx.read(hamlets.list_hamlets):
            self.hamlet.addItem(row.name, row.id)
        self.by_count.setChecked(True)
        if s is not None:
            for field, spin in self.resources.items():
                spin.setValue(getattr(s, field))
        if s is not None and not self.replicate:
            select_data(self.hamlet, s.hamlet_id)
            self.road.setText(s.road_name or "")
            self.count.setValue(s.households_count or 0)
            self.start_date.setText(format_date(s.start_date))
            self.note.setText(s.note or "")
            self.by_choice.setChecked(bool(s.chosen))
        else:
            self.start_date.setText(format_date(date.today()))
        self._fill_households()

    def _fill_households(self) -> None:
        hamlet_id = self.hamlet.currentData()
        chosen = set(self.ctx.read(model_sites.site_households, self.site.id)) if (
            self.site and not self.replicate) else set()
        self.households.blockSignals(True)
        self.households.clear()
        rows = self.ctx.read(households.list_households, hamlet_id=hamlet_id) if hamlet_id else []
        for h in rows:
            item = QListWidgetItem(f"{h.head_name} – {h.address}" if h.address else h.head_name)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setCheckState(Qt.CheckState.Checked if h.id in chosen else Qt.CheckState.Unchecked)
            self.households.addItem(item)
        self.households.blockSignals(False)
        self.by_choice.setEnabled(bool(rows))
        self._update_mode()

    def chosen_ids(self) -> list[str]:
        items = (self.households.item(i) for i in range(self.households.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def _update_chosen(self) -> None:
        self.chosen_label.setText(f"đã chọn {len(self.chosen_ids())} hộ")

    def _update_mode(self) -> None:
        choosing = self.by_choice.isChecked() and self.by_choice.isEnabled()
        self.count.setEnabled(not choosing)
        self.households.setEnabled(choosing)
        self._update_chosen()

    # ---- saving ---------------------------------------------------------
    def submit(self) -> None:
        common = dict(hamlet_id=self.hamlet.currentData(), road_name=self.road.text(),
                      start_date=date_from_text(self.start_date.text(), field="start_date"))
        if self.replicate:
            self.write(model_sites.replicate_site, self.site.id, households_count=self.count.value() or None,
                       **common)
            return
        choosing = self.by_choice.isChecked() and self.by_choice.isEnabled()
        self.write(model_sites.save_site, self.model_id, site_id=self.site.id if self.site else None,
                   households_count=None if choosing else self.count.value() or None,
                   household_ids=self.chosen_ids() if choosing else [], note=self.note.text(), **common,
                   **{field: spin.value() for field, spin in self.resources.items()})
