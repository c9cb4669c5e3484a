"""Which personal fields may leave this office in sync packages (issue 8).

Stored in ``app_setting`` so the choice travels with the database and backups.
The sync engine reads ``sync_personal_fields`` (or ``withheld_columns``) and
blanks what is not chosen; records themselves always travel, so links such as
a household's hamlet stay whole.
"""

from __future__ import annotations

import json
from typing import Iterable

from sqlmodel import Session

from ..db.models import AppSetting
from ..errors import ValidationError

SETTING_KEY = "privacy.sync_personal_fields"

# field -> (label, sent by default, the (table, column) pairs it covers)
PERSONAL_FIELDS: dict[str, tuple[str, bool, tuple[tuple[str, str], ...]]] = {
    "names": ("Họ tên chủ hộ", True,
              (("household", "head_name"), ("household", "name_sort_key"), ("household", "search_fold"))),
    "hamlets": ("Ấp và địa chỉ nơi ở", True, (("household", "address"),)),
    "citizen_id": ("Số CCCD", False, (("household", "citizen_id"),)),
    "violation_notes": ("Ghi chú vi phạm cam kết", False, (("pledge_violation", "note"),)),
}
DEFAULT_FIELDS = frozenset(k for k, (_, default, _) in PERSONAL_FIELDS.items() if default)


def sync_personal_fields(session: Session) -> set[str]:
    """The personal fields this office sends in sync packages (keys of ``PERSONAL_FIELDS``)."""
    setting = session.get(AppSetting, SETTING_KEY)
    if setting is None:
        return set(DEFAULT_FIELDS)
    return {f for f in json.loads(setting.value_json) if f in PERSONAL_FIELDS}


def set_sync_personal_fields(session: Session, fields: Iterable[str]) -> None:
    chosen = sorted(set(fields))
    if unknown := [f for f in chosen if f not in PERSONAL_FIELDS]:
        raise ValidationError(f"Không có trường dữ liệu cá nhân «{', '.join(unknown)}».")
    session.merge(AppSetting(key=SETTING_KEY, value_json=json.dumps(chosen)))


def withheld_columns(session: Session) -> dict[str, set[str]]:
    """table -> columns to blank in an outgoing package, from the current choice."""
    sent = sync_personal_fields(session)
    withheld: dict[str, set[str]] = {}
    for field, (_, _, columns) in PERSONAL_FIELDS.items():
        if field not in sent:
            for table, column in columns:
                withheld.setdefault(table, set()).add(column)
    return withheld
