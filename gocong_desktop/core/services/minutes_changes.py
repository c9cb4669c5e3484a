"""What an amendment changed in the minutes, as offices list it in the amendment
statement: "field: old → new" with Vietnamese field names, from two content
snapshots (``meetings.content_snapshot``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gocong_desktop.core.services.meeting_words import ATTENDANCE_TEXT, KIND_TEXT

LONGEST_VALUE = 90  # characters of a value shown; a long paragraph is cut with "…"
NOTHING = "(trống)"

_FIELDS = (("title", "Tiêu đề"), ("kind", "Hình thức họp"), ("starts_at", "Thời gian bắt đầu"),
           ("ends_at", "Thời gian kết thúc"), ("place", "Địa điểm"), ("chair_name", "Người chủ trì"),
           ("chair_role", "Chức vụ người chủ trì"), ("secretary_name", "Thư ký"),
           ("secretary_role", "Chức vụ thư ký"), ("closing_conclusion", "Kết luận chung"))
_ITEM_FIELDS = (("title", "tên"), ("content", "nội dung"), ("conclusion", "kết luận"))


@dataclass(frozen=True)
class Change:
    field: str  # "Chức vụ thư ký"
    old: str
    new: str

    def line(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"


def snapshot_changes(old: dict, new: dict, names: dict[str, str]) -> list[Change]:
    """The differences from ``old`` to ``new``, in the order the minutes print them;
    ``names`` gives the household heads' names for the ids in the snapshots."""
    changes = [Change(label, _shown(key, old.get(key)), _shown(key, new.get(key)))
               for key, label in _FIELDS if old.get(key) != new.get(key)]
    if old.get("guests") != new.get("guests"):
        changes.append(Change("Khách mời", _guests(old), _guests(new)))
    changes += _attendance_changes(old.get("attendance", []), new.get("attendance", []), names)
    changes += _agenda_changes(old.get("agenda", []), new.get("agenda", []))
    return changes


def _cut(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= LONGEST_VALUE else value[:LONGEST_VALUE - 1].rstrip() + "…"


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return NOTHING
    if key in ("starts_at", "ends_at"):
        return datetime.fromisoformat(value).strftime("%H giờ %M ngày %d/%m/%Y")
    if key == "kind":
        return KIND_TEXT.get(value, value)
    return _cut(str(value))


def _guests(snapshot: dict) -> str:
    return _cut("; ".join(name for name, _role, _org in snapshot.get("guests", []))) or NOTHING


def _attendance_text(row: list | None) -> str:
    if row is None:
        return "không có trong danh sách"
    _household, status, reason, representative = row
    extra = "; ".join(x for x in (reason, representative and f"đại diện: {representative}") if x)
    shown = ATTENDANCE_TEXT.get(status, status)
    return f"{shown} ({_cut(extra)})" if extra else shown


def _attendance_changes(old: list, new: list, names: dict[str, str]) -> list[Change]:
    before, after = {r[0]: r for r in old}, {r[0]: r for r in new}
    changed = [h for h in dict.fromkeys([*before, *after]) if before.get(h) != after.get(h)]
    changed.sort(key=lambda h: names.get(h, h))
    return [Change(f"Điểm danh hộ {names.get(h, h)}", _attendance_text(before.get(h)),
                   _attendance_text(after.get(h))) for h in changed]


def _votes(votes: list) -> str:
    if all(v is None for v in votes):
        return "không biểu quyết"
    agree, against, other = (v or 0 for v in votes)
    return f"tán thành {agree}, không tán thành {against}, ý kiến khác {other}"


def _opinions(item: dict) -> str:
    return _cut("; ".join(text for _h, _speaker, text in item["opinions"])) or NOTHING


def _agenda_changes(old: list, new: list) -> list[Change]:
    changes = []
    for number in range(1, max(len(old), len(new)) + 1):
        a = old[number - 1] if number <= len(old) else None
        b = new[number - 1] if number <= len(new) else None
        if a is None or b is None:
            changes.append(Change(f"Nội dung {number}", _cut(a["title"]) if a else "không có",
                                  _cut(b["title"]) if b else "bỏ"))
            continue
        changes += [Change(f"Nội dung {number}, {label}", _shown(key, a.get(key)), _shown(key, b.get(key)))
                    for key, label in _ITEM_FIELDS if a.get(key) != b.get(key)]
        if a["votes"] != b["votes"]:
            changes.append(Change(f"Nội dung {number}, biểu quyết", _votes(a["votes"]), _votes(b["votes"])))
        if a["opinions"] != b["opinions"]:
            changes.append(Change(f"Nội dung {number}, ý kiến", _opinions(a), _opinions(b)))
    return changes
