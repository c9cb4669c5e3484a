"""Every office setting by name, with its value in words and a Vietnamese
description: what ``gocong-desktop settings list|get|set`` shows and changes.

Each setting reads and writes through the service that owns it, so the CLI
validates exactly as the settings page does. Writing a setting is for
administrators (the role guard refuses anyone else's change to ``app_setting``)
and leaves an audit entry; the backup folders are this PC's (machine settings,
``core.settings.backup_places``): administrators only as well, not audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlmodel import Session

from gocong_desktop.core.db.models.personal import FIELDS
from gocong_desktop.core.errors import NotFoundError, ValidationError
from gocong_desktop.core.text import fold
from gocong_desktop.core.services import pledge_violations, privacy, session_lock, signers
from gocong_desktop.core.services.backup_folders import save_backup_settings, stored_backup_settings
from gocong_desktop.core.settings.backup_places import BackupSettings, default_base
from gocong_desktop.core.settings.keys import BACKUP_FOLDER, BACKUP_SECOND_FOLDER

YES, NO = ("có", "co", "yes", "true", "1", "bật", "gửi"), ("không", "khong", "no", "false", "0", "tắt",
                                                            "không gửi")
SENT, WITHHELD = "gửi", "không gửi"


@dataclass(frozen=True)
class Setting:
    name: str
    value: str  # in words, as ``set`` accepts it back
    description: str


@dataclass(frozen=True)
class _Spec:
    name: str
    description: str
    read: Callable[[Session], str]
    write: Callable[[Session, str], None]


def _yes_no(text: str, name: str) -> bool:
    word = fold(text.strip())
    if word in {fold(w) for w in YES}:
        return True
    if word in {fold(w) for w in NO}:
        return False
    raise ValidationError(f"Giá trị «{text}» không hợp lệ cho «{name}»: hãy ghi «có» hoặc «không».")


def _minutes(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError(f"Thời gian khóa màn hình phải là một số phút, từ {session_lock.MIN_MINUTES} "
                              f"đến {session_lock.MAX_MINUTES} (không phải «{text}»).") from None


def _folder(text: str) -> Path | None:
    return None if fold(text.strip()) in ("", "mac dinh", "khong", "khong co") else Path(text.strip())


def _set_backup(session: Session, *, folder: bool, text: str) -> None:
    now = stored_backup_settings(session)
    chosen = (BackupSettings(_folder(text), now.second) if folder
              else BackupSettings(now.folder, _folder(text)))
    save_backup_settings(session, chosen)


def _privacy_spec(key: str) -> _Spec:
    def read(session: Session) -> str:
        return SENT if key in privacy.sync_personal_fields(session) else WITHHELD

    def write(session: Session, text: str) -> None:
        sent = privacy.sync_personal_fields(session)
        sent = sent | {key} if _yes_no(text, f"privacy.{key}") else sent - {key}
        privacy.set_sync_personal_fields(session, sent)

    return _Spec(f"privacy.{key}", f"Gửi «{FIELDS[key].label}» trong gói đồng bộ lên cơ quan cấp trên "
                                   f"({privacy.field_columns(key)}) — gửi / không gửi", read, write)


_SIGNER_HINTS = {
    "head_title": "Chức danh người đứng đầu ký văn bản (để trống: «Trưởng Công an xã» như mẫu)",
    "head_name": "Họ tên người đứng đầu, in dưới chữ ký khi ký trực tiếp (để trống: viết tay)",
    "deputy_title": "Chức danh cấp phó ký thay, dòng dưới «KT. …» (để trống: «Phó » + chức danh người đứng đầu)",
    "deputy_name": "Họ tên cấp phó ký thay (KT.)",
    "acting_name": "Họ tên người giữ quyền người đứng đầu (Q.)",
    "body": "Tên tập thể khi ký thay mặt (TM.), ví dụ «Ban Chỉ đạo phong trào Toàn dân bảo vệ an ninh Tổ quốc xã»",
    "body_title": "Chức danh của người ký trong tập thể (TM.), ví dụ «Trưởng ban»",
    "body_name": "Họ tên người ký thay mặt tập thể (TM.)",
}


def _signer_spec(field: str) -> _Spec:
    return _Spec(f"signer.{field}", _SIGNER_HINTS[field],
                 lambda s: getattr(signers.signer_settings(s), field),
                 lambda s, text: signers.set_signer_field(s, field, text))


SIGNER_SPECS = (
    _Spec("signer.form", "Hình thức ký các văn bản của đơn vị: «ký trực tiếp», «KT.» (cấp phó ký thay), "
                         "«Q.» (quyền) hoặc «TM.» (thay mặt tập thể); đổi được khi in từng văn bản",
          lambda s: signers.signer_settings(s).form.value,
          lambda s, text: signers.set_signer_field(s, "form", signers.parse_form(text))),
    *(_signer_spec(field) for field in _SIGNER_HINTS),
)

SETTINGS: tuple[_Spec, ...] = (
    _Spec(session_lock.SETTING_KEY,
          "Khóa màn hình sau chừng ấy phút không thao tác "
          f"({session_lock.MIN_MINUTES}–{session_lock.MAX_MINUTES})",
          lambda s: str(session_lock.idle_lock_minutes(s)),
          lambda s, text: session_lock.set_idle_lock_minutes(s, _minutes(text))),
    _Spec(BACKUP_FOLDER.key, f"Thư mục chứa các bản sao lưu (để trống: thư mục mặc định {default_base()})",
          lambda s: str(stored_backup_settings(s).folder or default_base()),
          lambda s, text: _set_backup(s, folder=True, text=text)),
    _Spec(BACKUP_SECOND_FOLDER.key, "Thư mục sao lưu thứ hai, ví dụ ổ khác hoặc USB (để trống: không có)",
          lambda s: str(stored_backup_settings(s).second or ""),
          lambda s, text: _set_backup(s, folder=False, text=text)),
    _Spec(pledge_violations.SYNC_SETTING_KEY, "Gửi các lần vi phạm cam kết trong gói đồng bộ — có / không",
          lambda s: "có" if pledge_violations.include_violations_in_sync(s) else "không",
          lambda s, text: pledge_violations.set_include_violations_in_sync(
              s, _yes_no(text, pledge_violations.SYNC_SETTING_KEY))),
    *(_privacy_spec(key) for key in FIELDS),
    *SIGNER_SPECS,
)


def _spec(name: str) -> _Spec:
    for spec in SETTINGS:
        if spec.name == name.strip():
            return spec
    raise NotFoundError(f"Không có cài đặt «{name}». Xem danh sách bằng «gocong-desktop settings list».")


def list_settings(session: Session) -> list[Setting]:
    return [Setting(spec.name, spec.read(session), spec.description) for spec in SETTINGS]


def get_setting(session: Session, name: str) -> Setting:
    spec = _spec(name)
    return Setting(spec.name, spec.read(session), spec.description)


def set_setting(session: Session, name: str, text: str) -> Setting:
    """Validated by the owning service; administrators only (the role guard)."""
    spec = _spec(name)
    spec.write(session, text)
    session.flush()
    return Setting(spec.name, spec.read(session), spec.description)
