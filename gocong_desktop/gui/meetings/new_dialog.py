"""Thêm buổi họp: the group, the kind and when; the editor then opens on the new
draft (place, chair and secretary filled in from the group's officers)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gocong_desktop.core.db.models import MeetingKind
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import groups, hamlets, meeting_drafts, meetings
from gocong_desktop.core.services.meeting_drafts import KIND_TEXT
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.time_fields import TIME_PLACEHOLDER, datetime_from_text
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, WriteDialog, confirm, select_data
from gocong_desktop.gui.widgets.fold_combo import fold_search, searchable_picker

DEFAULT_START = "19:30"


class NewMeetingDialog(WriteDialog):
    def __init__(self, ctx: AppContext, *, group_id: str | None = None, hamlet_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Thêm buổi họp", parent)
        self._build()
        self.wire_buttons()
        self._load(group_id, hamlet_id)

    def _build(self) -> None:
        self.hamlet = fold_search(QComboBox())  # narrows the group list (535 groups at 50,000 households)
        self.group = searchable_picker(QComboBox())
        self.kind = fold_search(QComboBox())
        for kind in MeetingKind:
            self.kind.addItem(KIND_TEXT[kind].capitalize(), kind.value)
        self.day = QLineEdit(placeholderText=DATE_PLACEHOLDER)
        self.start_time = QLineEdit(placeholderText=TIME_PLACEHOLDER)
        self.end_time = QLineEdit(placeholderText="có thể để trống, ví dụ 21:00")
        form = QFormLayout()
        for label, widget, field in (("Ấp", self.hamlet, "hamlet_id"), ("Tổ *", self.group, "group_id"),
                                     ("Loại buổi họp", self.kind, "kind"),
                                     ("Ngày họp *", self.day, "starts_at"),
                                     ("Giờ bắt đầu *", self.start_time, "start_time"),
                                     ("Giờ kết thúc", self.end_time, "ends_at")):
            self.errors.add_row(form, label, widget, field)
        hint = QLabel("Địa điểm, chủ trì, thư ký được điền sẵn theo tổ trưởng, tổ phó; "
                      "có thể sửa trong biên bản.", wordWrap=True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.make_buttons("Tạo biên bản"))
        self.resize(520, self.sizeHint().height())

    def _load(self, group_id: str | None, hamlet_id: str | None) -> None:
        self._groups = self.ctx.read(groups.list_groups)
        self.hamlet.addItem("Mọi ấp", None)
        for hamlet in self.ctx.read(hamlets.list_hamlets):
            self.hamlet.addItem(hamlet.name, hamlet.id)
        select_data(self.hamlet, hamlet_id)
        self._fill_groups()
        self.hamlet.currentIndexChanged.connect(self._fill_groups)
        select_data(self.group, group_id)
        self.day.setText(format_date(date.today()))
        self.start_time.setText(DEFAULT_START)

    def _fill_groups(self) -> None:
        """The groups of the chosen hamlet (all when none), keeping the chosen group if listed."""
        hamlet_id, current = self.hamlet.currentData(), self.group.currentData()
        self.group.clear()
        for row in self._groups:
            if hamlet_id is None or row.hamlet_id == hamlet_id:
                self.group.addItem(f"{row.name} – ấp {row.hamlet_name}", row.id)
        select_data(self.group, current)

    def _second_meeting_wanted(self, day: date) -> bool:
        """The group met that day already: usually the same meeting typed twice. Asked, not refused."""
        others = self.ctx.read(meetings.same_day_meetings, self.group.currentData(), day)
        if not others:
            return True
        times = ", ".join(f"{when:%H:%M}" for when in others)
        return confirm(self, "Trùng ngày họp", f"{self.group.currentText()} đã có buổi họp ngày {format_date(day)} "
                       f"(lúc {times}).\nTạo thêm một buổi họp nữa trong cùng ngày?", "Vẫn tạo")

    def submit(self) -> None:
        if self.group.currentData() is None:
            raise ValidationError("Chưa chọn tổ. Hãy thêm tổ trước.", field="group_id")
        starts_at = datetime_from_text(self.day.text(), self.start_time.text(), field="starts_at",
                                       required=True, time_field="start_time")
        ends_at = datetime_from_text("", self.end_time.text(), field="ends_at", default_day=starts_at.date()
                                     if self.end_time.text().strip() else None)
        if not self._second_meeting_wanted(starts_at.date()):
            self.day.setFocus()
            return
        self.write(meeting_drafts.new_meeting, group_id=self.group.currentData(), starts_at=starts_at,
                   kind=self.kind.currentData(), ends_at=ends_at)
