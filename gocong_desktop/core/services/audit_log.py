"""Reading the audit log ("Nhật ký thay đổi"): filtered, newest first, as plain rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlmodel import Session, col, select

from gocong_desktop.core.db.access import require_admin
from gocong_desktop.core.db.models import AuditEntry

MAX_ROWS = 1000  # a screenful of history; narrow the filter for older entries

ACTIONS = {"create": "Thêm", "update": "Sửa", "delete": "Xóa", "purge": "Xóa hẳn", "import": "Nhập gói", "import_list": "Nhập danh sách hộ",
           "export": "Xuất gói", "receipt": "Xác nhận gói", "resolve_conflict": "Giải quyết xung đột",
           "reseal": "Niêm phong lại nhật ký",
           "key_register": "Đăng ký khóa", "key_trust": "Xác nhận khóa (gói đầu tiên)", "key_replace": "Thay khóa",
           "key_rotate": "Đổi cặp khóa", "key_backup_export": "Xuất khóa dự phòng",
           "key_backup_import": "Nhập khóa dự phòng"}
TABLES = {
    "admin_unit": "Đơn vị hành chính", "hamlet": "Ấp", "self_managed_group": "Tổ NDTQ",
    "household": "Hộ gia đình", "meeting": "Cuộc họp", "meeting_guest": "Khách mời",
    "agenda_item": "Nội dung họp", "agenda_opinion": "Ý kiến tại cuộc họp", "attendance": "Điểm danh",
    "meeting_amendment": "Đính chính biên bản", "pledge_template": "Mẫu cam kết",
    "pledge_campaign": "Đợt cam kết", "pledge": "Bản cam kết", "pledge_violation": "Vi phạm cam kết",
    "model_type": "Loại mô hình", "prevention_model": "Mô hình", "model_site": "Điểm mô hình",
    "criteria_set": "Bộ tiêu chí", "evaluation": "Đánh giá mô hình",
    "propaganda_activity": "Hoạt động tuyên truyền", "review_narrative": "Nội dung báo cáo sơ kết, tổng kết",
    "sync_package": "Gói đồng bộ", "sync_peer": "Khóa đơn vị",
    "sync_key": "Khóa của đơn vị này",
    "account": "Tài khoản",
    "app_setting": "Cài đặt"}


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: datetime  # aware UTC
    actor: str
    action: str  # as stored; ``action_label`` for people
    action_label: str
    table_name: str
    table_label: str
    record_id: str
    changes: str  # "field: old → new; ..." (ID numbers were masked when written)


def table_label(name: str) -> str:
    return TABLES.get(name, name)


def list_entries(session: Session, *, actor: str | None = None, table_name: str | None = None,
                 record_id: str | None = None, since: date | None = None, until: date | None = None,
                 limit: int = MAX_ROWS) -> list[AuditRow]:
    """Entries matching every filter given, newest first. ``since``/``until``
    are local calendar days, both included. Administrators only: old values
    may be notes on people."""
    require_admin(session, "xem nhật ký thay đổi")
    stmt = select(AuditEntry)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if table_name:
        stmt = stmt.where(AuditEntry.table_name == table_name)
    if record_id:
        stmt = stmt.where(col(AuditEntry.record_id).contains(record_id.strip(), autoescape=True))
    if since:
        stmt = stmt.where(AuditEntry.at >= _local_midnight(since))
    if until:
        stmt = stmt.where(AuditEntry.at < _local_midnight(until + timedelta(days=1)))
    stmt = stmt.order_by(col(AuditEntry.at).desc(), col(AuditEntry.seq).desc()).limit(limit)
    return [_row(e) for e in session.exec(stmt)]


def actors(session: Session) -> list[str]:
    return sorted(session.exec(select(AuditEntry.actor).distinct()))


def table_names(session: Session) -> list[str]:
    return sorted(session.exec(select(AuditEntry.table_name).distinct()), key=table_label)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(timezone.utc)


def _row(e: AuditEntry) -> AuditRow:
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=timezone.utc)
    return AuditRow(id=e.id, at=at, actor=e.actor, action=e.action, action_label=ACTIONS.get(e.action, e.action),
                    table_name=e.table_name, table_label=table_label(e.table_name), record_id=e.record_id,
                    changes=describe_changes(e.changes_json, withheld_json=e.digests_json))


# Columns people change most, in their words; any other column shows by its name.
FIELDS = {
    "head_name": "Họ tên chủ hộ", "birth_year": "Năm sinh", "gender": "Giới tính", "address": "Địa chỉ",
    "phone": "Điện thoại", "citizen_id": "Số CCCD", "notes": "Ghi chú", "note": "Ghi chú",
    "members": "Số nhân khẩu", "hamlet_id": "Ấp", "group_id": "Tổ", "name": "Tên", "number": "Số",
    "deleted": "Đã xóa", "moved_out_date": "Ngày chuyển đi", "status": "Trạng thái",
    "leader_household_id": "Tổ trưởng", "deputy_household_id": "Tổ phó", "starts_at": "Thời gian họp",
    "location": "Địa điểm", "signed_on": "Ngày ký", "username": "Tên đăng nhập", "display_name": "Họ và tên",
    "role": "Vai trò", "active": "Được đăng nhập", "password_hash": "Mật khẩu",
    "recovery_hash": "Mã khôi phục", "value_json": "Giá trị", "unit_id": "Mã đơn vị", "unit_name": "Đơn vị",
    "fingerprint": "Dấu vân tay khóa", "file": "Tệp",
    "added": "Số hộ thêm", "updated": "Số hộ cập nhật", "refused": "Số dòng bỏ qua"}  # a list imported


_DERIVED = {"search_fold", "name_sort_key"}  # kept for search and sorting, follow the name: not news


def field_label(column: str) -> str:
    """A column in people's words where there is one ("address" -> "Địa chỉ")."""
    return FIELDS.get(column, column)


def describe_changes(changes_json: str | None, *, withheld_json: str | None = None) -> str:
    """``{"phone": [null, "09…"]}`` → ``Điện thoại: (trống) → 09…``; other JSON as it is.
    Fields whose values the sending office kept home (``withheld_json``: their
    digests) are named as such."""
    said = _described(changes_json)
    withheld = _withheld(withheld_json)
    return "; ".join(part for part in (said, withheld) if part)


def _described(changes_json: str | None) -> str:
    if not changes_json:
        return ""
    try:
        changes = json.loads(changes_json)
    except ValueError:
        return changes_json
    if not isinstance(changes, dict) or not all(isinstance(v, list) and len(v) == 2 for v in changes.values()):
        return json.dumps(changes, ensure_ascii=False)
    return "; ".join(f"{field_label(k)}: {_shown(old)} → {_shown(new)}" for k, (old, new) in changes.items()
                     if k not in _DERIVED)


def _withheld(withheld_json: str | None) -> str:
    try:
        names = [k for k in json.loads(withheld_json) if k not in _DERIVED] if withheld_json else []
    except (ValueError, TypeError):
        return ""
    return "; ".join(f"{field_label(k)}: (đơn vị gửi giữ lại, không gửi)" for k in names)


def _shown(value: object) -> str:
    return "(trống)" if value is None or value == "" else str(value)
