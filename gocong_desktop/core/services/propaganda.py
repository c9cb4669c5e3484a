"""Propaganda register: broadcasts, loudspeaker rounds, residents' meetings, leaflets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ..db.models import PropagandaActivity, PropagandaKind
from ..errors import ValidationError
from .common import int_in_range, optional_text

KIND_LABELS = {
    PropagandaKind.RADIO: "Phát thanh trên loa đài",
    PropagandaKind.LOUDSPEAKER: "Loa tuyên truyền lưu động",
    PropagandaKind.RESIDENTS_MEETING: "Họp dân",
    PropagandaKind.LEAFLETS: "Tờ rơi",
    PropagandaKind.OTHER: "Khác",
}


def record_activity(session: Session, *, kind: str, activity_date: date, count: int = 1,
                    hamlet_id: str | None = None, model_id: str | None = None,
                    note: str | None = None) -> str:
    if kind not in list(PropagandaKind):
        raise ValidationError("Hình thức tuyên truyền không hợp lệ.", field="kind")
    if activity_date > date.today():
        raise ValidationError("Ngày tuyên truyền không được ở tương lai.", field="activity_date")
    activity = PropagandaActivity(kind=kind, activity_date=activity_date,
                                  count=int_in_range(count, field="count", label="số lượt",
                                                     low=1, high=1_000_000, required=True),
                                  hamlet_id=hamlet_id, model_id=model_id,
                                  note=optional_text(note, field="note", label="ghi chú"))
    session.add(activity)
    session.flush()
    return activity.id


def totals(session: Session, *, since: date | None = None, until: date | None = None) -> dict[str, int]:
    """Total count per kind over a period (what the upper office asks for)."""
    stmt = (select(PropagandaActivity.kind, func.sum(PropagandaActivity.count))
            .where(PropagandaActivity.deleted.is_(False)).group_by(PropagandaActivity.kind))
    if since:
        stmt = stmt.where(PropagandaActivity.activity_date >= since)
    if until:
        stmt = stmt.where(PropagandaActivity.activity_date <= until)
    return {kind: int(total) for kind, total in session.exec(stmt).all()}
