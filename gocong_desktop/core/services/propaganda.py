"""Propaganda register: broadcasts, loudspeaker rounds, residents' meetings, leaflets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, PreventionModel, PropagandaActivity, PropagandaKind, live
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.common import field_date, field_number, field_text, get_live

KIND_LABELS = {
    PropagandaKind.RADIO: "Phát thanh trên loa đài",
    PropagandaKind.LOUDSPEAKER: "Loa tuyên truyền lưu động",
    PropagandaKind.RESIDENTS_MEETING: "Họp dân",
    PropagandaKind.LEAFLETS: "Tờ rơi",
    PropagandaKind.OTHER: "Khác",
}
# What each kind's count counts: leaflets are sheets, so kinds are never summed together.
KIND_UNITS = {PropagandaKind.RADIO: "lượt", PropagandaKind.LOUDSPEAKER: "lượt",
              PropagandaKind.RESIDENTS_MEETING: "buổi", PropagandaKind.LEAFLETS: "tờ",
              PropagandaKind.OTHER: "lượt"}


@dataclass(frozen=True)
class ActivityRow:
    id: str
    kind: str
    activity_date: date
    count: int
    hamlet_name: str | None
    model_name: str | None
    note: str | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def record_activity(session: Session, *, kind: str, activity_date: date, count: int = 1,
                    hamlet_id: str | None = None, model_id: str | None = None,
                    note: str | None = None) -> str:
    if kind not in list(PropagandaKind):
        raise ValidationError("Hình thức tuyên truyền không hợp lệ.", field="kind")
    field_date("propaganda_activity", "activity_date", activity_date)
    if hamlet_id:
        get_live(session, AdminUnit, hamlet_id, "ấp")
    if model_id:
        get_live(session, PreventionModel, model_id, "mô hình")
    activity = PropagandaActivity(kind=kind, activity_date=activity_date,
                                  count=field_number("propaganda_activity", "count", count),
                                  hamlet_id=hamlet_id, model_id=model_id,
                                  note=field_text("propaganda_activity", "note", note))
    session.add(activity)
    session.flush()
    return activity.id


def totals(session: Session, *, since: date | None = None, until: date | None = None) -> dict[str, int]:
    """Total count per kind over a period (what the upper office asks for)."""
    stmt = (select(PropagandaActivity.kind, func.sum(PropagandaActivity.count))
            .where(live(PropagandaActivity)).group_by(PropagandaActivity.kind))
    if since:
        stmt = stmt.where(PropagandaActivity.activity_date >= since)
    if until:
        stmt = stmt.where(PropagandaActivity.activity_date <= until)
    return {kind: int(total) for kind, total in session.exec(stmt).all()}


def list_activities(session: Session, *, since: date | None = None, until: date | None = None,
                    kind: str | None = None) -> list[ActivityRow]:
    """Newest first."""
    stmt = (select(PropagandaActivity, AdminUnit.name, PreventionModel.name)
            .outerjoin(AdminUnit, AdminUnit.id == PropagandaActivity.hamlet_id)
            .outerjoin(PreventionModel, PreventionModel.id == PropagandaActivity.model_id)
            .where(live(PropagandaActivity))
            .order_by(PropagandaActivity.activity_date.desc(), PropagandaActivity.created_at.desc()))
    if since:
        stmt = stmt.where(PropagandaActivity.activity_date >= since)
    if until:
        stmt = stmt.where(PropagandaActivity.activity_date <= until)
    if kind:
        stmt = stmt.where(PropagandaActivity.kind == kind)
    return [ActivityRow(a.id, a.kind, a.activity_date, a.count, hamlet, model, a.note)
            for a, hamlet, model in session.exec(stmt).all()]


def delete_activity(session: Session, activity_id: str) -> None:
    get_live(session, PropagandaActivity, activity_id, "hoạt động tuyên truyền").deleted = True
