"""Personal data, declared once on the columns that hold it (law 91/2025/QH15).

A column that names or describes a person is declared with
``sa_column_kwargs=personal("names", label="họ tên chủ hộ")``: the user-facing
fields (``FIELDS``) it belongs to and what it is, in words for people. The
office's privacy setting chooses which fields leave in sync packages; a column
travels only when every field it belongs to does (``search_fold`` holds both
the name and the address). The export, the audit log's redaction, the settings
page and the CLI all read these declarations (``services/privacy.py``).

``not_personal()`` records that a column whose name suggests a person was
looked at and names no one (a hamlet's name, a model's notes). Account user
names (an audit entry's actor, who amended minutes) are not withheld: who
changed what is what an audit trail is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalField:
    label: str  # Vietnamese, shown on the settings page and by the CLI
    sent_by_default: bool


# In the order people see them. The keys are stored in the office's setting:
# never rename one ("hamlets" once covered the address alone).
FIELDS: dict[str, PersonalField] = {
    "names": PersonalField("Họ và tên (chủ hộ, người dự họp, người phát biểu, khách mời…)", True),
    "hamlets": PersonalField("Địa chỉ nơi ở, nơi họp", True),
    "birth": PersonalField("Năm sinh, giới tính", True),
    "opinions": PersonalField("Ý kiến phát biểu tại cuộc họp", True),
    "phone": PersonalField("Số điện thoại", False),
    "citizen_id": PersonalField("Số CCCD", False),
    "notes": PersonalField("Ghi chú về hộ, lý do vắng họp, lý do không ký cam kết", False),
    "violation_notes": PersonalField("Ghi chú vi phạm cam kết", False),
}


def personal(*fields: str, label: str) -> dict[str, Any]:
    """``sa_column_kwargs`` of a column holding personal data of ``fields``."""
    unknown = [f for f in fields if f not in FIELDS]
    if not fields or unknown:
        raise ValueError(f"unknown personal field(s) {unknown or '(none)'} for column «{label}»")
    return {"info": {"personal": tuple(fields), "label": label}}


def not_personal() -> dict[str, Any]:
    """``sa_column_kwargs`` of a column looked at and found to name no one."""
    return {"info": {"personal": ()}}
