"""The members of an evaluation team (họ tên, chức vụ), stored as a small JSON
list on the evaluation and held to the rules an import applies
(``core/rules``: ``TEAM_MEMBER``, at most ``TEAM_MAX`` people)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.common import clean_text

FIELD = "team"  # the form's field for every message about the team


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str | None = None

    @property
    def line(self) -> str:
        """"Nguyễn Văn Tâm – Trưởng Công an xã", as the record lists the team."""
        return f"{self.name} – {self.role}" if self.role else self.name


def team_json(members: Iterable[TeamMember]) -> str | None:
    """The members typed, cleaned and checked, as stored; None for no team.
    Rows left wholly blank are skipped; a role without a name is refused."""
    from gocong_desktop.core.rules import TEAM_MAX, TEAM_MEMBER

    rules = dict(TEAM_MEMBER.fields)
    cleaned = []
    for n, member in enumerate(members, 1):
        name = clean_text(member.name, rules["name"], field=FIELD, label=f"họ tên thành viên thứ {n}") \
            if (member.name or "").strip() or (member.role or "").strip() else None
        if name is None:
            continue
        role = clean_text(member.role, rules["role"], field=FIELD, label=f"chức vụ của thành viên thứ {n}")
        cleaned.append({"name": name, "role": role})
    if len(cleaned) > TEAM_MAX:
        raise ValidationError(f"Đoàn đánh giá có {len(cleaned)} người, quá nhiều (tối đa {TEAM_MAX} người). "
                              "Hãy chỉ ghi những người trực tiếp đánh giá.", field=FIELD)
    return json.dumps(cleaned, ensure_ascii=False) if cleaned else None


def team_members(stored: str | None) -> tuple[TeamMember, ...]:
    """The stored team; none for an evaluation recorded before teams were."""
    if not stored:
        return ()
    return tuple(TeamMember(m["name"], m.get("role")) for m in json.loads(stored))
