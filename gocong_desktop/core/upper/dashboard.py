"""The upper office's comparison dashboard: one row per commune, counted in SQL
over each commune's imported records (``owner_unit_id``), read-only.

Rules follow the commune's own Overview page: live groups (not deleted,
active), households still in the register (not deleted, not moved out),
meetings not deleted; pledge coverage = signed / pledges of registered
households of the year, "chuyển đi" left out; a model's rating is its latest
evaluation's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import (Attendance, AttendanceStatus, Evaluation, Household, Meeting, ModelStatus, OfficeRole,
                         Pledge, PledgeStatus, PreventionModel, SelfManagedGroup, SyncPeer)
from gocong_desktop.core.text import sort_key
from gocong_desktop.core.sync.conflicts import open_conflicts_by_unit
from gocong_desktop.core.sync.ledger import missing_sequences, received
from gocong_desktop.core.sync.ledger import imports as imported_packages

NOT_RATED = "Chưa đánh giá"


@dataclass(frozen=True)
class CommuneRow:
    unit_id: str
    name: str  # "xã Bình Tân"
    unit_code: str | None
    fingerprint: str
    last_sequence: int | None  # newest package imported
    last_package_at: datetime | None  # when the commune made it
    last_imported_at: datetime | None
    missing_packages: list[int]
    groups: int
    households: int
    meetings_this_quarter: int
    attendance_present: int  # household attendances at this quarter's meetings
    attendance_total: int
    pledges_signed: int
    pledges_total: int
    models_by_rating: dict[str, int] = field(default_factory=dict)  # rating -> active models
    open_conflicts: int = 0

    @property
    def meetings_per_group(self) -> float:
        return self.meetings_this_quarter / self.groups if self.groups else 0.0

    @property
    def attendance_rate(self) -> float:
        """Percentage present; 0 without meetings."""
        return 100.0 * self.attendance_present / self.attendance_total if self.attendance_total else 0.0

    @property
    def pledge_coverage(self) -> float:
        return 100.0 * self.pledges_signed / self.pledges_total if self.pledges_total else 0.0


def quarter_bounds(day: date) -> tuple[datetime, datetime]:
    first = 3 * ((day.month - 1) // 3) + 1
    start = datetime(day.year, first, 1)
    end = datetime(day.year + (first == 10), 1 if first == 10 else first + 3, 1)
    return start, end


def _by_owner(session: Session, stmt) -> dict[str, int]:
    return {owner: int(n or 0) for owner, n in session.exec(stmt).all()}


def _figures(session: Session, today: date) -> dict[str, dict[str, int]]:
    start, end = quarter_bounds(today)
    in_quarter = (Meeting.deleted.is_(False), Meeting.starts_at >= start, Meeting.starts_at < end)
    live_household = (Household.deleted.is_(False), Household.moved_out_date.is_(None))
    pledge_rows = session.exec(
        select(Pledge.owner_unit_id, func.count(), func.sum(case((Pledge.status == PledgeStatus.SIGNED, 1), else_=0)))
        .join(Household, Household.id == Pledge.household_id)
        .where(Pledge.year == today.year, Pledge.deleted.is_(False), Pledge.status != PledgeStatus.MOVED,
               *live_household).group_by(Pledge.owner_unit_id)).all()
    attendance = session.exec(
        select(Attendance.owner_unit_id, func.count(),
               func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.deleted.is_(False), *in_quarter).group_by(Attendance.owner_unit_id)).all()
    return {
        "groups": _by_owner(session, select(SelfManagedGroup.owner_unit_id, func.count()).where(
            SelfManagedGroup.deleted.is_(False), SelfManagedGroup.active.is_(True))
            .group_by(SelfManagedGroup.owner_unit_id)),
        "households": _by_owner(session, select(Household.owner_unit_id, func.count()).where(*live_household)
                                .group_by(Household.owner_unit_id)),
        "meetings": _by_owner(session, select(Meeting.owner_unit_id, func.count()).where(*in_quarter)
                              .group_by(Meeting.owner_unit_id)),
        "pledges_total": {o: int(n) for o, n, _s in pledge_rows},
        "pledges_signed": {o: int(s or 0) for o, _n, s in pledge_rows},
        "attendance_total": {o: int(n) for o, n, _p in attendance},
        "attendance_present": {o: int(p or 0) for o, _n, p in attendance},
    }


def _ratings(session: Session) -> dict[str, dict[str, int]]:
    """{owner: {rating: active models}}, each model by its latest evaluation."""
    models = session.exec(select(PreventionModel.id, PreventionModel.owner_unit_id).where(
        PreventionModel.deleted.is_(False), PreventionModel.status == ModelStatus.ACTIVE)).all()
    latest: dict[str, tuple] = {}
    for model_id, end, on, rating in session.exec(
            select(Evaluation.model_id, Evaluation.period_end, Evaluation.evaluated_on, Evaluation.rating)
            .where(Evaluation.deleted.is_(False))).all():
        if model_id not in latest or (end, on) > latest[model_id][:2]:
            latest[model_id] = (end, on, rating)
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for model_id, owner in models:
        out[owner][latest[model_id][2] if model_id in latest else NOT_RATED] += 1
    return out


def commune_dashboard(session: Session, *, today: date | None = None) -> list[CommuneRow]:
    """One row per commune that sends packages here, sorted by name."""
    today = today or date.today()
    figures, ratings, conflicts = _figures(session, today), _ratings(session), open_conflicts_by_unit(session)
    rows = []
    for peer in session.exec(select(SyncPeer).where(SyncPeer.role == OfficeRole.COMMUNE)).all():
        u = peer.unit_id
        packages = imported_packages(session, unit_id=u)
        newest = max(packages, key=lambda p: p.sequence or 0) if packages else None
        rows.append(CommuneRow(
            unit_id=u, name=f"{peer.unit_type} {peer.unit_name}", unit_code=peer.unit_code,
            fingerprint=peer.fingerprint, last_sequence=newest.sequence if newest else None,
            last_package_at=newest.created_at if newest else None,
            last_imported_at=max(p.processed_at for p in packages) if packages else None,
            missing_packages=missing_sequences(received(session, u)),
            groups=figures["groups"].get(u, 0), households=figures["households"].get(u, 0),
            meetings_this_quarter=figures["meetings"].get(u, 0),
            attendance_present=figures["attendance_present"].get(u, 0),
            attendance_total=figures["attendance_total"].get(u, 0),
            pledges_signed=figures["pledges_signed"].get(u, 0), pledges_total=figures["pledges_total"].get(u, 0),
            models_by_rating=dict(sorted(ratings.get(u, {}).items())), open_conflicts=conflicts.get(u, 0)))
    return sorted(rows, key=lambda r: sort_key(r.name))
