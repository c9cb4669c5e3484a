"""What a package may say about administrative units.

A commune owns its own unit and its hamlets; provinces and districts are shared
reference rows that no one owns, identified by their content
(``db/reference_units.py``). A package may therefore bring: its own unit (the
id its manifest signs for), hamlets it made (office-made ids), and reference rows
whose id matches what they say. It may never bring a row with the unit id of
this office or of another registered office — that would block the other
office's own packages, or pass one office's data for another's.
"""

from __future__ import annotations

from sqlalchemy import Connection

from gocong_desktop.core.db.reference_units import REFERENCE_LEVELS, is_office_made_id, reference_unit_id
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.text import fold
from gocong_desktop.core.sync.errors import InvalidRecord
from gocong_desktop.core.sync.kinds import get_kind
from gocong_desktop.core.sync.manifest import Manifest


def _refuse(record_id: str, why: str) -> InvalidRecord:
    return InvalidRecord(f"Gói bị từ chối (không nhập bản ghi nào): đơn vị hành chính mã {record_id} {why}. "
                         "Cơ sở dữ liệu không đổi.")


def _protected_ids(conn: Connection, sender: str) -> set[str]:
    """Unit ids of this office and of every registered office but the sender."""
    ids = {r[0] for r in qmark_execute(conn)("SELECT unit_id FROM sync_peer WHERE unit_id != ?", (sender,))}
    ids |= {r[0] for r in qmark_execute(conn)("SELECT unit_id FROM office")}
    return ids


def check_units(conn: Connection, manifest: Manifest, rows: list[tuple]) -> None:
    kind = get_kind("admin_unit")
    col = {name: kind.index(name) for name in ("id", "owner_unit_id", "level", "unit_type", "name", "code",
                                                 "parent_id", "valid_from", "valid_to", "deleted", "name_fold")}
    sender, protected = manifest.sender.unit_id, _protected_ids(conn, manifest.sender.unit_id)
    for row in rows:
        unit_id, owner, level = row[col["id"]], row[col["owner_unit_id"]], row[col["level"]]
        if unit_id in protected:
            raise _refuse(unit_id, "là mã đơn vị của cơ quan này hoặc của một đơn vị khác đã đăng ký")
        if owner is None:
            _check_reference(row, col)
        elif unit_id == sender:
            if level != "commune":
                raise _refuse(unit_id, "là đơn vị gửi gói nhưng không phải cấp xã")
        elif level != "hamlet" or not is_office_made_id(unit_id):
            raise _refuse(unit_id, "không phải ấp/khu phố do đơn vị gửi tạo; một xã chỉ được gửi đơn vị "
                                   "của chính mình và các ấp của mình")


def _check_reference(row: tuple, col: dict[str, int]) -> None:
    unit_id, level = row[col["id"]], row[col["level"]]
    if level not in REFERENCE_LEVELS:
        raise _refuse(unit_id, "không có đơn vị quản lý nhưng không phải tỉnh hay huyện")
    expected = reference_unit_id(level=level, unit_type=row[col["unit_type"]], name=row[col["name"]],
                                 code=row[col["code"]], parent_id=row[col["parent_id"]])
    if unit_id != expected:
        raise _refuse(unit_id, "dùng chung (tỉnh/huyện) nhưng mã không khớp nội dung; hãy cập nhật "
                               "gocong_desktop ở đơn vị gửi rồi xuất lại gói")
    # The first office to send a shared row must not decide for everyone else that it is gone.
    if row[col["deleted"]] or row[col["valid_from"]] is not None or row[col["valid_to"]] is not None \
            or row[col["name_fold"]] != fold(row[col["name"]]):
        raise _refuse(unit_id, "dùng chung (tỉnh/huyện) nhưng bị đánh dấu xóa, có thời hạn hiệu lực hoặc "
                               "khóa tìm kiếm sai; đơn vị dùng chung không do một xã sửa")
