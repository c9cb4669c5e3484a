"""The upper office's tables on the Sync page: the communes compared, the
packages imported and the conflicts waiting for a person."""

from __future__ import annotations

from gocong_desktop.core.services.audit_log import field_label
from gocong_desktop.core.sync import ConflictRow, ImportRow
from gocong_desktop.core.upper.dashboard import CommuneRow
from gocong_desktop.core.text import format_int, format_percent
from gocong_desktop.gui.widgets.rows_table import Column
from gocong_desktop.gui.sync.common import format_decimal, format_when


def _numbers(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


def _ratings(row: CommuneRow) -> str:
    return "; ".join(f"{rating}: {format_int(n)}" for rating, n in row.models_by_rating.items())


def _count(header: str, value, sample: str = "") -> Column:
    return Column(header, lambda r: format_int(value(r)), sort=value, right=True, sample=sample or header)


DASHBOARD_COLUMNS: list[Column[CommuneRow]] = [
    Column("Xã", lambda r: r.name, sample="xã Bình Tân Đông"),
    Column(
        "Gói mới nhất",
        lambda r: "" if r.last_sequence is None else f"số {r.last_sequence}",
        sort=lambda r: r.last_sequence or 0,
        right=True,
        sample="Gói mới nhất",
    ),
    Column(
        "Ngày gói",
        lambda r: format_when(r.last_package_at)[:10],
        sort=lambda r: (r.last_package_at is not None, r.last_package_at or 0),
        sample="30/06/2024",
    ),
    Column(
        "Gói còn thiếu",
        lambda r: _numbers(r.missing_packages),
        sort=lambda r: len(r.missing_packages),
        sample="Gói còn thiếu",
    ),
    _count("Tổ", lambda r: r.groups, "Tổ 000"),
    _count("Hộ", lambda r: r.households, "Hộ 00.000"),
    _count("Họp quý này", lambda r: r.meetings_this_quarter),
    Column(
        "Họp/tổ",
        lambda r: format_decimal(r.meetings_per_group),
        sort=lambda r: r.meetings_per_group,
        right=True,
        sample="Họp/tổ",
    ),
    Column(
        "Dự họp",
        lambda r: format_percent(r.attendance_rate) if r.attendance_total else "",
        sort=lambda r: r.attendance_rate,
        right=True,
        sample="100,0%",
    ),
    Column(
        "Cam kết",
        lambda r: format_percent(r.pledge_coverage) if r.pledges_total else "",
        sort=lambda r: r.pledge_coverage,
        right=True,
        sample="Cam kết",
    ),
    _count("Xung đột", lambda r: r.open_conflicts),
    Column("Mô hình theo xếp loại", _ratings, sample="Mô hình theo xếp loại"),  # last: it stretches
]


def _changed(row: ImportRow) -> int:
    return sum(c.get("new", 0) + c.get("updated", 0) + c.get("deleted", 0) for c in row.changes.values())


IMPORT_COLUMNS: list[Column[ImportRow]] = [
    Column("Đơn vị gửi", lambda r: r.sender_name, sample="xã Bình Tân Đông"),
    Column("Gói số", lambda r: r.sequence, sort=lambda r: r.sequence or 0, right=True, sample="Gói số"),
    Column("Ngày tạo", lambda r: format_when(r.created_at), sample="30/06/2024 10:00"),
    Column(
        "Ngày nhập",
        lambda r: format_when(r.imported_at),
        sort=lambda r: r.imported_at,
        sample="30/06/2024 10:00",
    ),
    Column("Bản ghi thay đổi", lambda r: format_int(_changed(r)), sort=_changed, right=True),
    _count("Xung đột", lambda r: r.conflicts),
    Column("Lưu ý", lambda r: "; ".join(r.warnings), sample="thiếu gói số 7 của xã Bình Tân"),
    Column("Tệp", lambda r: r.file_name or ""),
    Column("Mã gói", lambda r: r.package_uuid, sample="00000000-0000-0000-0000-000000000000"),  # sync undo-import
]

CONFLICT_COLUMNS: list[Column[ConflictRow]] = [
    Column("Xã", lambda r: r.unit_name or "", sample="xã Bình Tân Đông"),
    Column("Loại bản ghi", lambda r: r.label, sample="bản cam kết của hộ"),
    Column(
        "Phiên bản (hiện có / mới)",
        lambda r: f"{r.local_version} / {r.incoming_version}",
        sample="Phiên bản (hiện có / mới)",
    ),
    Column(
        "Phát hiện",
        lambda r: format_when(r.detected_at),
        sort=lambda r: r.detected_at,
        sample="30/06/2024 10:00",
    ),
    Column("Vì sao", lambda r: _WHY_SHORT.get(r.reason, _WHY_SHORT[None]), sample="Xã đã mất khi khôi phục"),
    Column("Khác nhau", lambda r: "; ".join(field_label(name) for name in r.differences)),
]
# The short form of ConflictRow.explanation (core/sync/conflicts.py), for a table cell.
_WHY_SHORT = {None: "Cùng phiên bản, khác nội dung", "lost_local": "Xã đã mất khi khôi phục",
              "lost_incoming": "Gói cũ đến muộn"}
