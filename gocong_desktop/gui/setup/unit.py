"""Set-up wizard pages: the office's unit, then its hamlets."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFormLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QRadioButton, QVBoxLayout, QWizardPage)

from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.rules import field_rule
from gocong_desktop.core.services.common import optional_text, required_text
from gocong_desktop.core.setup.office import HAMLET_TYPES, HamletList, parse_hamlets
from gocong_desktop.core.sync.escrow import KeyBackup
from gocong_desktop.gui.setup.from_backup import KeyBackupChoice
from gocong_desktop.gui.widgets.setup_widgets import WARNING_STYLE, FieldNotes, PageId, note_label, scrolling
from gocong_desktop.gui.widgets.form_errors import ERROR_STYLE
from gocong_desktop.gui.widgets.fold_combo import fold_search

UNIT_TYPES = {OfficeRole.COMMUNE: ("xã", "phường", "đặc khu", "thị trấn"),
              OfficeRole.UPPER: ("tỉnh", "thành phố", "huyện", "quận")}
# field -> (label in messages, required, longest accepted), as the services check them
_UNIT_TYPE, _NAME, _CODE = (field_rule("admin_unit", c).max_len for c in ("unit_type", "name", "code"))
_RULES = {"unit_type": ("loại đơn vị", True, _UNIT_TYPE), "unit_name": ("tên đơn vị", True, _NAME),
          "unit_code": ("mã đơn vị", False, _CODE), "province": ("tên tỉnh, thành phố", True, _NAME),
          "district": ("tên huyện", False, _NAME),
          "upper_office": ("tên cơ quan cấp trên", False, field_rule("office", "upper_office_name").max_len)}
PREVIEW_MAX = 12


def _line(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


class UnitPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Thông tin đơn vị")
        self.setSubTitle("Đơn vị dùng phần mềm này. Các mục có dấu * phải nhập.")
        self._build()
        self._wire()
        self._on_role_changed()

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.commune_role = QRadioButton("Cơ quan cấp xã (xã, phường, đặc khu)")
        self.upper_role = QRadioButton("Cơ quan cấp trên (tổng hợp số liệu các xã)")
        self.commune_role.setChecked(True)
        self.roles = QButtonGroup(self)
        for button in (self.commune_role, self.upper_role):
            self.roles.addButton(button)
        self.unit_type = fold_search(QComboBox())
        self.unit_type.setEditable(True)
        self.unit_name = _line("Ví dụ: Bình Tân")
        self.unit_code = _line("Mã đơn vị hành chính, nếu biết (ví dụ: 28318)")
        self.province = _line("Ví dụ: Đồng Tháp")
        self.district = _line("Để trống nếu không còn cấp huyện")
        self.upper_office = _line("Ví dụ: Công an tỉnh Đồng Tháp")
        self.notes = FieldNotes()
        self.key_backup_choice = KeyBackupChoice(self._on_key_backup)
        self._build_layout()

    def _build_layout(self) -> None:
        roles = QVBoxLayout()
        roles.addWidget(self.commune_role)
        roles.addWidget(self.upper_role)
        form = QFormLayout()
        form.addRow("Vai trò:", roles)
        add = self.notes.add_row
        add(form, "Loại đơn vị: *", self.unit_type, "unit_type")
        add(form, "Tên đơn vị: *", self.unit_name, "unit_name")
        add(form, "Mã đơn vị:", self.unit_code, "unit_code")
        add(form, "Tỉnh, thành phố: *", self.province, "province")
        add(form, "Huyện:", self.district, "district",
            hint="Từ ngày 01/7/2025 không còn cấp huyện: để trống nếu đơn vị không thuộc huyện nào.")
        add(form, "Cơ quan cấp trên:", self.upper_office, "upper_office",
            hint="Nơi nhận tệp số liệu gửi lên; có thể đổi sau.")
        self.unit_type.setMinimumContentsLength(12)
        content = QVBoxLayout()
        content.addLayout(form)
        content.addSpacing(8)
        content.addWidget(self.key_backup_choice)
        content.addStretch(1)
        scrolling(self, content)

    # ---- wiring ---------------------------------------------------------
    def _wire(self) -> None:
        self.commune_role.toggled.connect(self._on_role_changed)
        for field, widget in self.notes.widgets.items():
            edit = widget.lineEdit() if isinstance(widget, QComboBox) else widget
            edit.editingFinished.connect(lambda f=field: self._on_field_left(f))

    def _on_role_changed(self) -> None:
        """Offer the unit types of the chosen role; a type the user typed stays."""
        typed = self.unit_type.currentText()
        was_offered = any(typed in types for types in UNIT_TYPES.values())
        self.unit_type.clear()
        self.unit_type.addItems(UNIT_TYPES[self.role()])
        if typed and not was_offered:
            self.unit_type.setEditText(typed)
        self.completeChanged.emit()  # the next page depends on the role

    def _on_field_left(self, field: str) -> None:
        # Validate when a field is left, but stay quiet about an empty
        # required field until the user tries to go on.
        if self.notes.message(field) or self._text(field):
            self.notes.set(field, self._error(field))

    def _on_key_backup(self, backup: KeyBackup | None) -> None:
        """The unit of a key backup fills the form and locks it; without, the form is free and empty."""
        office = backup.info.office if backup else None
        (self.upper_role if office and office.role == OfficeRole.UPPER else self.commune_role).setChecked(True)
        values = {"unit_type": office and office.unit_type, "unit_name": office and office.unit_name,
                  "unit_code": office and office.unit_code, "province": office and office.province_name,
                  "district": office and office.district_name, "upper_office": office and office.upper_office_name}
        for field, value in values.items():
            widget = self.notes.widgets[field]
            (widget.setEditText if isinstance(widget, QComboBox) else widget.setText)(value or "")
            widget.setEnabled(backup is None)
            self.notes.set(field, None)
        for button in (self.commune_role, self.upper_role):
            button.setEnabled(backup is None)
        if backup is None:
            self.unit_type.setCurrentIndex(0)

    def key_backup(self) -> KeyBackup | None:
        """The key backup the office is set up again from, if any."""
        return self.key_backup_choice.backup

    # ---- values and checks ----------------------------------------------
    def role(self) -> str:
        return OfficeRole.COMMUNE if self.commune_role.isChecked() else OfficeRole.UPPER

    def _text(self, field: str) -> str:
        widget = self.notes.widgets[field]
        return widget.currentText() if isinstance(widget, QComboBox) else widget.text()

    def _error(self, field: str) -> str | None:
        label, required, max_len = _RULES[field]
        check = required_text if required else optional_text
        try:
            check(self._text(field), field=field, label=label, max_len=max_len)
        except ValidationError as exc:
            return exc.message
        return None

    def values(self) -> dict[str, str | None]:
        """Field values as the services will store them (NFC, trimmed)."""
        return {field: optional_text(self._text(field), field=field, label=label, max_len=10**6)
                for field, (label, _, _) in _RULES.items()}

    def nextId(self) -> int:
        return PageId.HAMLETS if self.role() == OfficeRole.COMMUNE else PageId.ADMIN

    def validatePage(self) -> bool:
        if self.key_backup() is not None:  # the unit as it was set up, from a checked file
            return True
        errors = {field: msg for field in _RULES if (msg := self._error(field))}
        return self.notes.show_all(errors)


class HamletsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Ấp, khu phố")
        self.setSubTitle("Các khu dân cư của đơn vị. Có thể để trống và bổ sung, sửa sau.")
        self._type_chosen = False
        self._parsed = HamletList()
        self._build()
        self._wire()
        self._on_text_changed()

    def _build(self) -> None:
        self.type_word = fold_search(QComboBox())
        self.type_word.setEditable(True)
        self.type_word.addItems(HAMLET_TYPES)
        self.type_word.setMinimumContentsLength(10)
        self.names = QPlainTextEdit()
        self.names.setPlaceholderText("Lợi An\nThuận Trị\nXóm Thủ")
        self.names.setTabChangesFocus(True)
        self.preview = note_label()
        self.duplicates = note_label(style=WARNING_STYLE)
        self.error = note_label(style=ERROR_STYLE)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Gọi là:", self.type_word)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Mỗi dòng một tên, không cần gõ chữ «ấp» phía trước:"))
        layout.addWidget(self.names, 1)
        for label in (self.preview, self.duplicates, self.error):
            layout.addWidget(label)

    def _wire(self) -> None:
        self.names.textChanged.connect(self._on_text_changed)
        self.type_word.currentTextChanged.connect(self._on_text_changed)
        self.type_word.activated.connect(self._on_type_chosen)
        self.type_word.lineEdit().textEdited.connect(self._on_type_chosen)

    def suggest_type(self, unit_type: str | None) -> None:
        """A ward's areas are usually "khu phố", a commune's "ấp"; a word the
        user chose stays."""
        if not self._type_chosen:
            self.type_word.setCurrentText("khu phố" if unit_type == "phường" else "ấp")

    def _on_type_chosen(self) -> None:
        self._type_chosen = True

    def _on_text_changed(self) -> None:
        # Reads the text and reports; never rewrites what is being typed (Unikey).
        self._parsed = parse_hamlets(self.names.toPlainText(), self.type_word.currentText())
        self.preview.setText(self._preview_text())
        dups = "; ".join(f"«{dropped}» trùng «{kept}»" for dropped, kept in self._parsed.duplicates)
        self.duplicates.setText(f"Tên trùng nhau (không kể dấu, chữ hoa), chỉ tạo một lần: {dups}."
                                if dups else "")
        self.duplicates.setVisible(bool(dups))
        self.error.hide()

    def _preview_text(self) -> str:
        names, word = self._parsed.names, self.type_word.currentText().strip() or "ấp"
        if not names:
            return f"Chưa có {word} nào."
        shown = ", ".join(names[:PREVIEW_MAX])
        more = f" và {len(names) - PREVIEW_MAX} {word} khác" if len(names) > PREVIEW_MAX else ""
        return f"Sẽ tạo {len(names)} {word}: {shown}{more}."

    def hamlets(self) -> tuple[str, tuple[str, ...]]:
        """(type word, names) as they will be created."""
        word = optional_text(self.type_word.currentText(), field="unit_type", label="", max_len=10**6)
        return word or "ấp", tuple(self._parsed.names)

    def nextId(self) -> int:
        return PageId.ADMIN

    def validatePage(self) -> bool:
        long_names = self._parsed.too_long
        self.error.setText(f"Tên quá dài (tối đa 200 ký tự): «{long_names[0][:40]}…»."
                           if long_names else "")
        self.error.setVisible(bool(long_names))
        return not long_names
