"""Cài đặt (administrators): when the screen locks, and what leaves the office
in sync packages. The three settings are saved together, in one write."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from ..core.services import session_lock
from ..core.services.office_settings import OfficeSettings, load_settings, save_settings
from ..core.services.privacy import PERSONAL_FIELDS
from .context import AppContext
from .dialogs.form_parts import WriteDialog

NOTE = ("Các lựa chọn về đồng bộ áp dụng cho gói đồng bộ lập lần sau; các gói đã lập trước không thay "
        "đổi. Trường không được chọn sẽ để trống trong gói gửi đi.")


class SettingsDialog(WriteDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Cài đặt", parent)
        self._build()
        self.wire_buttons()
        self._load(ctx.read(load_settings))

    def _build(self) -> None:
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(session_lock.MIN_MINUTES, session_lock.MAX_MINUTES)
        self.idle_minutes.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000") + 48)
        self.idle_minutes.setToolTip("Không thao tác trong chừng ấy phút thì chương trình khóa màn hình; "
                                     "mở lại bằng mật khẩu.")
        form = QFormLayout()
        self.errors.add_row(form, "Khóa màn hình sau (phút)", self.idle_minutes, "idle_minutes")
        group = QGroupBox("Thông tin cá nhân gửi trong gói đồng bộ")
        fields_layout = QVBoxLayout(group)
        self.fields: dict[str, QCheckBox] = {}
        for key, (label, _default, _columns) in PERSONAL_FIELDS.items():
            self.fields[key] = QCheckBox(label)
            fields_layout.addWidget(self.fields[key])
        self.include_violations = QCheckBox("Gửi cả các lần vi phạm cam kết trong gói đồng bộ")
        note = QLabel(NOTE)
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(group)
        layout.addWidget(self.include_violations)
        layout.addWidget(note)
        layout.addWidget(self.make_buttons("Lưu"))
        self.resize(max(480, self.sizeHint().width()), self.sizeHint().height())

    def _load(self, settings: OfficeSettings) -> None:
        self.idle_minutes.setValue(settings.idle_minutes)
        for key, box in self.fields.items():
            box.setChecked(key in settings.personal_fields)
        self.include_violations.setChecked(settings.include_violations)

    def chosen(self) -> OfficeSettings:
        return OfficeSettings(idle_minutes=self.idle_minutes.value(),
                              personal_fields=frozenset(k for k, box in self.fields.items() if box.isChecked()),
                              include_violations=self.include_violations.isChecked())

    def submit(self) -> None:
        self.write(save_settings, self.chosen(), changed=("settings",))


def show_settings(ctx: AppContext, parent: QWidget | None = None) -> None:
    """«Cài đặt»; saving is refused (with its message) unless an administrator is signed in."""
    SettingsDialog(ctx, parent).exec()
