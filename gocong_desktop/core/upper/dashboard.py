"""The upper office's comparison dashboard: one row per commune, counted in SQL
over each commune's imported records (``owner_unit_id``), read-only.

The figures are the commune's own Overview page's (``services/area_figures``
over ``Window.quarter``: groups marked active, households on the register now,
meetings of this quarter, pledges of this year), per commune, as kept by the
last change to its records (``sync/unit_figures``; counted live when missing or
stale); a model's rating is its latest evaluation's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from gocong_desktop.core.db.models import Evaluation, ModelStatus, OfficeRole, PreventionModel, SyncPeer, live
from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.figures import Window
from gocong_desktop.core.text import sort_key
from gocong_desktop.core.sync.conflicts import open_conflicts_by_unit
from gocong_desktop.core.sync.ledger import senders
from gocong_desktop.core.sync.unit_figures import current_unit_figures

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


def _ratings(session: Session) -> dict[str, dict[str, int]]:
    """{owner: {rating: active models}}, each model by its latest evaluation."""
    models = session.exec(select(PreventionModel.id, PreventionModel.owner_unit_id).where(
        live(PreventionModel), PreventionModel.status == ModelStatus.ACTIVE)).all()
    latest: dict[str, tuple] = {}
    for model_id, end, on, rating in session.exec(
            select(Evaluation.model_id, Evaluation.period_end, Evaluation.evaluated_on, Evaluation.rating)
            .where(live(Evaluation))).all():
        if model_id not in latest or (end, on) > latest[model_id][:2]:
            latest[model_id] = (end, on, rating)
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for model_id, owner in models:
        out[owner][latest[model_id][2] if model_id in latest else NOT_RATED] += 1
    return out


def commune_dashboard(session: Session, *, today: date | None = None,
                      counts: dict[str, AreaCounts] | None = None) -> list[CommuneRow]:
    """One row per commune that sends packages here, sorted by name, with the
    figures of ``today``'s quarter, or ``counts`` when given (the aggregate
    report's, of its period: counting the quarter too would double its cost)."""
    peers = session.exec(select(SyncPeer).where(SyncPeer.role == OfficeRole.COMMUNE)).all()
    if counts is None:
        counts = current_unit_figures(session, Window.quarter(today or date.today()), [p.unit_id for p in peers])
    ratings, conflicts, ledger = _ratings(session), open_conflicts_by_unit(session), senders(session)
    rows = []
    for peer in peers:
        u = peer.unit_id
        c, sent = counts.get(u, AreaCounts()), ledger.get(u)
        rows.append(CommuneRow(
            unit_id=u, name=f"{peer.unit_type} {peer.unit_name}", unit_code=peer.unit_code,
            fingerprint=peer.fingerprint, last_sequence=sent.last_sequence if sent else None,
            last_package_at=sent.last_package_at if sent else None,
            last_imported_at=sent.last_imported_at if sent else None,
            missing_packages=sent.missing if sent else [],
            groups=c.groups, households=c.households, meetings_this_quarter=c.meetings,
            attendance_present=c.attendance_present, attendance_total=c.attendance_total,
            pledges_signed=c.pledges_signed, pledges_total=c.pledges_total,
            models_by_rating=dict(sorted(ratings.get(u, {}).items())), open_conflicts=conflicts.get(u, 0)))
    return sorted(rows, key=lambda r: sort_key(r.name))
