"""Tab "Thông tin chung": kind, title, times, place, chair, secretary, guests."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QScrollArea,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.models import MeetingKind
from gocong_desktop.core.services.meeting_drafts import KIND_TEXT, GuestDraft, MeetingDraft
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, select_data
from gocong_desktop.gui.meetings.fields import InlineErrors, PersonBox, RowList, RowWidget, readable_when_disabled
from gocong_desktop.gui.widgets.time_fields import TIME_PLACEHOLDER, datetime_from_text
from gocong_desktop.gui.widgets.fold_combo import fold_search

SAME_DAY = "cùng ngày"
WARNING_STYLE = "color: #9a4d00;"


class GuestRow(RowWidget):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit(placeholderText="Họ tên, ví dụ Đ/c Trần Minh Tâm")
        self.role = QLineEdit(placeholderText="Chức vụ")
        self.organisation = QLineEdit(placeholderText="Cơ quan, ví dụ Công an xã")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.name, 3), (self.role, 2), (self.organisation, 3)):
            layout.addWidget(widget, stretch)
            widget.textChanged.connect(lambda _t: self.edited.emit())
        layout.addWidget(self.remove_button)

    def draft(self) -> GuestDraft | None:
        """None for a row left empty (it is not saved)."""
        values = [w.text() for w in (self.name, self.role, self.organisation)]
        if not any(v.strip() for v in values):
            return None
        return GuestDraft(*values, id=self.record_id)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for widget in (self.name, self.role, self.organisation):
            widget.setReadOnly(read_only)


class GeneralTab(QWidget):
    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.errors = InlineErrors()
        self._build()
        self._wire()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.group_label = QLabel()
        self.kind = fold_search(QComboBox())
        for kind in MeetingKind:
            self.kind.addItem(KIND_TEXT[kind].capitalize(), kind.value)
        readable_when_disabled(self.kind)
        self.title = QLineEdit(placeholderText="Ví dụ: Sinh hoạt Tổ nhân dân tự quản số 5, quý I năm 2024")
        self.start_day, self.start_time = QLineEdit(placeholderText=DATE_PLACEHOLDER), QLineEdit()
        self.end_day = QLineEdit(placeholderText=f"{SAME_DAY} (hoặc ngày/tháng/năm)")
        self.end_time = QLineEdit()
        for edit in (self.start_time, self.end_time):
            edit.setPlaceholderText(TIME_PLACEHOLDER)
        self.place = QLineEdit(placeholderText="Ví dụ: Nhà ông Nguyễn Văn Ba, ấp Lợi An")
        self.chair, self.secretary = PersonBox("Họ tên chủ trì"), PersonBox("Họ tên thư ký")
        self.chair_role = QLineEdit(placeholderText="Chức vụ, ví dụ Tổ trưởng")
        self.secretary_role = QLineEdit(placeholderText="Chức vụ, ví dụ Tổ phó")
        self.guests = RowList(GuestRow, "Thêm khách mời")
        self.same_day_note = QLabel(styleSheet=WARNING_STYLE, wordWrap=True)
        self.same_day_note.hide()
        scroll = QScrollArea(widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        scroll.setWidget(self._build_form())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _build_form(self) -> QWidget:
        form = QFormLayout()
        form.addRow("Tổ:", self.group_label)
        form.addRow("Loại buổi họp:", self.errors.wrap(self.kind, "kind"))
        form.addRow("Tiêu đề:", self.errors.wrap(self.title, "title"))
        form.addRow("Bắt đầu:", self.errors.wrap(_when(self.start_day, self.start_time), "starts_at"))
        form.addRow("", self.same_day_note)
        form.addRow("Kết thúc:", self.errors.wrap(_when(self.end_day, self.end_time), "ends_at"))
        form.addRow("Địa điểm:", self.errors.wrap(self.place, "place"))
        form.addRow("Chủ trì:", self.errors.wrap(_pair(self.chair, "chức vụ", self.chair_role), "chair_name"))
        form.addRow("Thư ký:", self.errors.wrap(_pair(self.secretary, "chức vụ", self.secretary_role),
                                                "secretary_name"))
        form.addRow("Khách mời:", self.guests)
        body = QWidget()
        body.setLayout(form)
        return body

    def _wire(self) -> None:
        self.kind.currentIndexChanged.connect(lambda _i: self.edited.emit())
        for edit in (self.title, self.place, self.chair_role, self.secretary_role):
            edit.textChanged.connect(lambda _t: self.edited.emit())
        for edit in (self.start_day, self.start_time, self.end_day, self.end_time):
            edit.editingFinished.connect(self.edited)  # checked once the field is left
        self.chair.edited.connect(self.edited)
        self.secretary.edited.connect(self.edited)
        self.guests.edited.connect(self.edited)

    # ---- data -----------------------------------------------------------
    def load(self, d: MeetingDraft) -> None:
        self.group_label.setText(f"{d.group_name} – ấp {d.hamlet_name}")
        select_data(self.kind, d.kind)
        self.title.setText(d.title or "")
        self.start_day.setText(format_date(d.starts_at.date()))
        self.start_time.setText(d.starts_at.strftime("%H:%M"))
        same_day = d.ends_at is None or d.ends_at.date() == d.starts_at.date()
        self.end_day.setText("" if same_day else format_date(d.ends_at.date()))
        self.end_time.setText(d.ends_at.strftime("%H:%M") if d.ends_at else "")
        self.place.setText(d.place or "")
        people = [(a.household_id, a.household_name) for a in d.attendance]
        for box, role, who in ((self.chair, self.chair_role, "chair"),
                               (self.secretary, self.secretary_role, "secretary")):
            box.set_people(people)
            box.set_value(getattr(d, f"{who}_name"), getattr(d, f"{who}_household_id"))
            role.setText(getattr(d, f"{who}_role") or "")
        self.guests.clear()
        for guest in d.guests:
            _fill_guest(self.guests.add_row(), guest)

    def collect(self, d: MeetingDraft, owners: dict[int, RowWidget]) -> None:
        """Write the form into ``d``; a date or time that does not parse raises."""
        d.kind = self.kind.currentData()
        d.title, d.place = self.title.text(), self.place.text()
        d.starts_at = datetime_from_text(self.start_day.text(), self.start_time.text(), field="starts_at",
                                         required=True)
        end_day = "" if self.end_day.text().strip() == SAME_DAY else self.end_day.text()
        d.ends_at = datetime_from_text(end_day, self.end_time.text(), field="ends_at",
                                       default_day=d.starts_at.date() if self.end_time.text().strip() else None)
        d.chair_name, d.chair_household_id = self.chair.value()
        d.secretary_name, d.secretary_household_id = self.secretary.value()
        d.chair_role, d.secretary_role = self.chair_role.text(), self.secretary_role.text()
        d.guests = []
        for row in self.guests.rows:
            if (guest := row.draft()) is not None:
                owners[id(guest)] = row
                d.guests.append(guest)

    def show_same_day(self, others: list[datetime]) -> None:
        """The group's other meetings that day: often the same one typed twice (a warning, not a refusal)."""
        times = ", ".join(f"{when:%H:%M}" for when in others)
        self.same_day_note.setText(f"Lưu ý: tổ đã có buổi họp khác trong ngày này (lúc {times}). Nếu là cùng "
                                   "một buổi, hãy xóa bản nháp thừa." if others else "")
        self.same_day_note.setVisible(bool(others))

    def set_read_only(self, read_only: bool) -> None:
        self.kind.setEnabled(not read_only)
        for edit in (self.title, self.start_day, self.start_time, self.end_day, self.end_time, self.place,
                     self.chair_role, self.secretary_role):
            edit.setReadOnly(read_only)
        self.chair.set_read_only(read_only)
        self.secretary.set_read_only(read_only)
        self.guests.set_read_only(read_only)


def _fill_guest(row: GuestRow, guest: GuestDraft) -> None:
    row.record_id = guest.id
    for widget, value in ((row.name, guest.name), (row.role, guest.role), (row.organisation, guest.organisation)):
        widget.blockSignals(True)
        widget.setText(value or "")
        widget.blockSignals(False)


def _when(day: QLineEdit, hour: QLineEdit) -> QWidget:
    """A date box and a time box, each as wide as its hint, not the whole row."""
    day.setFixedWidth(day.fontMetrics().horizontalAdvance(day.placeholderText()) + 24)
    hour.setFixedWidth(hour.fontMetrics().horizontalAdvance(hour.placeholderText()) + 24)
    box = _pair(day, "lúc", hour)
    box.layout().addStretch(1)
    return box


def _pair(first: QWidget, middle: str, second: QWidget) -> QWidget:
    box = QWidget()
    box.setFocusProxy(first)  # the row's Alt+letter
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(first, 3)
    layout.addWidget(QLabel(middle))
    layout.addWidget(second, 2)
    return box
