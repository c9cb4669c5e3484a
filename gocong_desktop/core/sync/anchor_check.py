"""``check`` at a commune: its audit chain still holds what the upper office
signed (``anchors.py``).

For each stored anchor — the newest per chain — the signature must verify with
the upper office's registered key and the anchor must be this office's; then
the chain's entries must still lead, link by link from place 1, to the
anchored entry with the anchored hash, and go on without a gap to the chain's
newest entry. The hashes of the entries themselves are ``audit_chain``'s rule.

Every anchor is checked, the live chain's and those of chains a restore or a
move to another PC ended: an anchor is only ever stored for entries the file
held, and a restore brings back the anchors together with the entries they
point to, so an ended chain keeps every anchored entry. A file whose chain id
was simply changed to hide a cut is caught the same way.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gocong_desktop.core.storage.audit_chain import GENESIS
from gocong_desktop.core.sync.anchors import Anchor, AnchorError, parse_anchor, stored_documents

_ACT = ("đừng sửa tiếp dữ liệu; hãy báo quản trị viên để so với các bản sao lưu và với nhật ký cơ quan cấp "
        "trên đã nhận")
_RECEIPT = ("Hãy nhập biên nhận mới nhất của cơ quan cấp trên (liệt kê mọi gói đã nhận) rồi kiểm tra lại; nếu "
            f"vẫn báo lỗi này, {_ACT}.")


def anchor_problems(con: sqlite3.Connection) -> list[str]:
    """What ``check`` reports about the stored anchors; [] when all hold."""
    docs = stored_documents(lambda sql, params: con.execute(sql, params))
    if docs is None:
        return []
    anchors = _parsed(docs)
    if anchors is None:
        return [f"Mốc xác nhận nhật ký của cơ quan cấp trên lưu trong tệp bị hỏng hoặc bị sửa (sai dạng). {_RECEIPT}"]
    upper = con.execute("SELECT signing_key, unit_type, unit_name FROM sync_peer WHERE role = 'upper'").fetchone()
    if upper is None:
        return [f"Tệp giữ {len(anchors)} mốc xác nhận nhật ký của cơ quan cấp trên nhưng không còn khóa của cơ quan "
                "cấp trên đã đăng ký để kiểm tra chữ ký. Quản trị viên hãy nhập lại tệp khóa của cơ quan cấp trên "
                "rồi kiểm tra lại."] if anchors else []
    office = con.execute("SELECT unit_id FROM office").fetchone()
    problems = []
    for anchor in anchors:
        why = _not_genuine(anchor, upper, office[0] if office else None)
        problems += [why] if why else _history_problems(con, anchor)
    return problems


def _parsed(docs: Any) -> list[Anchor] | None:
    """The anchors, oldest chain first; None when any is not well formed."""
    if type(docs) is not dict:
        return None
    try:
        anchors = [(chain_id, parse_anchor(doc)) for chain_id, doc in docs.items()]
    except AnchorError:
        return None
    if any(chain_id != anchor.head.chain_id for chain_id, anchor in anchors):
        return None
    return sorted((anchor for _, anchor in anchors), key=lambda a: a.accepted_at)


def _not_genuine(anchor: Anchor, upper: tuple, unit_id: str | None) -> str | None:
    key, unit_type, unit_name = upper
    if anchor.unit_id != unit_id:
        return (f"Mốc xác nhận nhật ký của gói số {anchor.sequence} không phải của đơn vị này (chép từ tệp dữ liệu "
                f"khác?). {_RECEIPT}")
    if not anchor.signed_by(key):
        return (f"Mốc xác nhận nhật ký của gói số {anchor.sequence} không có chữ ký hợp lệ của {unit_type} "
                f"{unit_name} (khóa đã đăng ký): mốc đã bị sửa trong tệp, hoặc cơ quan cấp trên đã đổi khóa. "
                f"{_RECEIPT}")
    return None


def _history_problems(con: sqlite3.Connection, anchor: Anchor) -> list[str]:
    head = anchor.head
    places: dict[int, dict[str, str]] = {}  # place -> {entry hash: previous hash}
    for seq, prev, digest in con.execute(
            "SELECT seq, prev_hash, entry_hash FROM audit_log WHERE chain_id = ? AND origin_unit_id IS NULL "
            "AND entry_hash IS NOT NULL AND seq IS NOT NULL", (head.chain_id,)):
        places.setdefault(seq, {})[digest] = prev
    want = head.entry_hash
    for place in range(head.seq, 0, -1):  # from the anchored entry down to the first
        here = places.get(place)
        if not here:
            return [_cut(anchor, place)]
        if want not in here:
            return [_rewritten(anchor, place)]
        want = here[want]
    if want != GENESIS:
        return [_rewritten(anchor, 1)]
    gap = next((p for p in range(head.seq + 1, max(places) + 1) if p not in places), None)
    return [_cut(anchor, gap)] if gap else []


def _confirmed(anchor: Anchor) -> str:
    return (f"cơ quan cấp trên đã ký xác nhận nhật ký đến mục số {anchor.head.seq} khi nhận gói số "
            f"{anchor.sequence} ngày {anchor.accepted_day}")


def _cut(anchor: Anchor, place: int) -> str:
    return (f"Nhật ký thay đổi đã bị xoá bớt: {_confirmed(anchor)}, nhưng mục số {place} không còn trong tệp "
            f"(chuỗi nhật ký {anchor.head.chain_id}). Lịch sử thay đổi đã bị cắt đi sau khi gửi. {_ACT.capitalize()}.")


def _rewritten(anchor: Anchor, place: int) -> str:
    return (f"Nhật ký thay đổi đã bị viết lại: {_confirmed(anchor)}, nhưng mục số {place} không còn khớp với "
            f"nhật ký đã xác nhận (chuỗi nhật ký {anchor.head.chain_id}). Lịch sử thay đổi đã bị sửa sau khi "
            f"gửi. {_ACT.capitalize()}.")
