"""Every setting, declared once: key, type, default, validation, scope.

Services read and write office settings by these keys through
``core.db.settings.read_setting``/``write_setting``; machine settings through
``core.settings.machine``. A key not declared here is refused by both.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, Callable

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.settings.registry import Scope, Setting, UnknownSettingError

IDLE_MINUTES_RANGE = (1, 240)


def _idle_minutes(value: int) -> None:
    low, high = IDLE_MINUTES_RANGE
    if not low <= value <= high:
        raise ValidationError(f"Thời gian khóa màn hình (phút) phải từ {low} đến {high}.", field="idle_minutes")


def _personal_fields(value: Any) -> None:
    """The stored shape only; which field names exist is the privacy service's to say."""
    parts = value.values() if isinstance(value, dict) else [value]
    if not all(isinstance(part, list) and all(isinstance(f, str) for f in part) for part in parts):
        raise ValidationError("Danh sách thông tin cá nhân gửi đi không hợp lệ.", field="personal_fields")


def _absolute_folder(value: Path) -> None:
    if not value.expanduser().is_absolute():
        raise ValidationError(f"Hãy chọn đường dẫn đầy đủ cho thư mục sao lưu, ví dụ «D:\\SaoLuu» "
                              f"(không phải «{value}»).", field="folder")


IDLE_LOCK_MINUTES = Setting("security.idle_lock_minutes", int, 10, Scope.OFFICE, check=_idle_minutes)
SYNC_PERSONAL_FIELDS = Setting("privacy.sync_personal_fields", dict, None, Scope.OFFICE,
                               check=_personal_fields, nullable=True, also=(list,))
SYNC_INCLUDE_VIOLATIONS = Setting("sync.include_violations", bool, False, Scope.OFFICE)
DEMO_SIGN_IN_HINT = Setting("demo.sign_in_hint", str, None, Scope.OFFICE, nullable=True)

def _one_line(key: str, limit: int) -> Callable[[str], None]:
    """Stored signer text: one line, at most ``limit`` characters, nothing hidden (the
    signers service says what is wrong first; this guards what is stored and read back)."""
    def check(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(f"Quá dài (tối đa {limit} ký tự).", field=f"signer.{key}")
        if hidden := next((ch for ch in value if unicodedata.category(ch)[0] == "C"), None):
            raise ValidationError(f"Có ký tự ẩn (U+{ord(hidden):04X}); hãy gõ lại.", field=f"signer.{key}")
    return check


SIGNER_TITLE_MAX, SIGNER_NAME_MAX = 120, 60


def _signer(key: str, limit: int) -> Setting:
    return Setting(f"signer.{key}", str, None, Scope.OFFICE, check=_one_line(key, limit), nullable=True)


SIGNER_FORM = _signer("form", 20)
SIGNER_HEAD_TITLE, SIGNER_HEAD_NAME = _signer("head_title", SIGNER_TITLE_MAX), _signer("head_name", SIGNER_NAME_MAX)
SIGNER_DEPUTY_TITLE = _signer("deputy_title", SIGNER_TITLE_MAX)
SIGNER_DEPUTY_NAME = _signer("deputy_name", SIGNER_NAME_MAX)
SIGNER_ACTING_NAME = _signer("acting_name", SIGNER_NAME_MAX)
SIGNER_BODY, SIGNER_BODY_TITLE = _signer("body", SIGNER_TITLE_MAX), _signer("body_title", SIGNER_TITLE_MAX)
SIGNER_BODY_NAME = _signer("body_name", SIGNER_NAME_MAX)
SIGNER_SETTINGS = (SIGNER_FORM, SIGNER_HEAD_TITLE, SIGNER_HEAD_NAME, SIGNER_DEPUTY_TITLE, SIGNER_DEPUTY_NAME,
                   SIGNER_ACTING_NAME, SIGNER_BODY, SIGNER_BODY_TITLE, SIGNER_BODY_NAME)

BACKUP_FOLDER = Setting("backup.folder", Path, None, Scope.MACHINE, check=_absolute_folder,
                        nullable=True, per_database=True)
BACKUP_SECOND_FOLDER = Setting("backup.second_folder", Path, None, Scope.MACHINE, check=_absolute_folder,
                               nullable=True, per_database=True)



def _column_choices(value: dict) -> None:
    """Folded header -> field key, as the household import remembers them (the import says which keys exist)."""
    if len(value) > 500 or not all(isinstance(k, str) and isinstance(v, str) and len(k) <= 200 and len(v) <= 40
                                   for k, v in value.items()):
        raise ValidationError("Cách ghép cột đã nhớ không hợp lệ.", field="columns")


# The columns chosen for the last household lists imported on this PC (their headers recur).
IMPORT_COLUMNS = Setting("import.household_columns", dict, None, Scope.MACHINE, check=_column_choices, nullable=True)

SETTINGS: dict[str, Setting] = {s.key: s for s in (
    IDLE_LOCK_MINUTES, SYNC_PERSONAL_FIELDS, SYNC_INCLUDE_VIOLATIONS, DEMO_SIGN_IN_HINT, *SIGNER_SETTINGS,
    BACKUP_FOLDER, BACKUP_SECOND_FOLDER, IMPORT_COLUMNS)}

# Rows older versions kept in app_setting, now machine settings (the backup folders
# were the office file's, so a restored or copied file pointed at another PC's folders).
RETIRED_OFFICE_KEYS = ("backup.folder", "backup.second_folder")


def declared(key: str | Setting, scope: Scope) -> Setting:
    """The declaration of ``key`` in ``scope``; ``UnknownSettingError`` otherwise."""
    name = key.key if isinstance(key, Setting) else key
    setting = SETTINGS.get(name)
    if setting is None or setting.scope != scope:
        where = "của đơn vị" if scope == Scope.OFFICE else "của máy này"
        raise UnknownSettingError(f"Không có cài đặt {where} tên «{name}».")
    return setting
