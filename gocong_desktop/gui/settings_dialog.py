"""Cài đặt (administrators): when the screen locks, what leaves the office in sync
packages (tab «Chung»), and who signs the office's documents (tab «Người ký»,
gui/settings_signers.py). Everything is saved together, in one write.

Each personal field's box names the columns it covers (tooltip); below the
boxes, exactly which columns travel and which stay home as the boxes are
ticked — all from the one classification declared on the model columns
(``services/privacy.py``)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QSpinBox, QTabWidget,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.services import session_lock
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.office_settings import OfficeSettings, head_title, load_settings, save_settings
from gocong_desktop.core.services.privacy import PERSONAL_FIELDS, field_columns, travel_lines
from gocong_desktop.gui.widgets.scrolling import scrolling
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.settings_signers import SignerSettingsForm
from gocong_desktop.gui.widgets.form_parts import WriteDialog

NOTE = ("Các lựa chọn về đồng bộ áp dụng cho gói đồng bộ lập lần sau; các gói đã lập trước không thay "
        "đổi. Trường không được chọn sẽ để trống trong gói gửi đi, và nhật ký thay đổi gửi kèm chỉ mang mã "
        "băm của nó, không mang giá trị.")


class SettingsDialog(WriteDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Cài đặt", parent)
        self._build()
        self.wire_buttons()
        for box in self.fields.values():
            box.toggled.connect(self._show_what_travels)
        self._load(ctx.read(load_settings))
        self.resize(max(720, self.sizeHint().width()), self.sizeHint().height())

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
            self.fields[key].setToolTip(field_columns(key))
            fields_layout.addWidget(self.fields[key])
        self.travels, self.stays_home = _dim(""), _dim("")
        sides = QHBoxLayout()
        for side in (self.travels, self.stays_home):
            side.setAlignment(Qt.AlignmentFlag.AlignTop)
            sides.addWidget(side, 1)
        fields_layout.addLayout(sides)
        self.include_violations = QCheckBox("Gửi cả các lần vi phạm cam kết trong gói đồng bộ")
        content = QVBoxLayout()
        content.setContentsMargins(0, 0, 0, 0)
        content.addLayout(form)
        content.addWidget(group)
        content.addWidget(self.include_violations)
        content.addWidget(_dim(NOTE))
        self.signers = SignerSettingsForm(self.errors, self.ctx.read(head_title))
        self.signers_tab = scrolling(self.signers)
        self.tabs = QTabWidget()  # each tab scrolls on a small screen; the buttons stay in view
        self.tabs.addTab(scrolling(content), "&Chung")
        self.tabs.addTab(self.signers_tab, "&Người ký")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.make_buttons("Lưu"))

    def _show_what_travels(self) -> None:
        travels, home = travel_lines(k for k, box in self.fields.items() if box.isChecked())
        self.travels.setText(_listed("Gửi đi:", travels))
        self.stays_home.setText(_listed("Giữ lại tại đơn vị:", home))

    def _load(self, settings: OfficeSettings) -> None:
        self.idle_minutes.setValue(settings.idle_minutes)
        for key, box in self.fields.items():
            box.setChecked(key in settings.personal_fields)
        self.include_violations.setChecked(settings.include_violations)
        if settings.signers is not None:
            self.signers.load(settings.signers)
        self._show_what_travels()

    def chosen(self) -> OfficeSettings:
        return OfficeSettings(idle_minutes=self.idle_minutes.value(),
                              personal_fields=frozenset(k for k, box in self.fields.items() if box.isChecked()),
                              include_violations=self.include_violations.isChecked(),
                              signers=self.signers.chosen())

    def submit(self) -> None:
        self.write(save_settings, self.chosen())

    def show_error(self, exc: BaseException) -> None:
        """A refused signer field: its tab first, so that the message under it is seen."""
        if isinstance(exc, UserError) and (exc.field or "").startswith("signer"):
            self.tabs.setCurrentWidget(self.signers_tab)
        super().show_error(exc)


def _listed(title: str, lines: list[str]) -> str:
    return f"<b>{title}</b><br>" + "<br>".join(map(escape, lines or ["(không có)"]))


def _dim(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: #555;")
    label.setWordWrap(True)
    return label


def show_settings(ctx: AppContext, parent: QWidget | None = None) -> None:
    """«Cài đặt»; saving is refused (with its message) unless an administrator is signed in."""
    SettingsDialog(ctx, parent).exec()
