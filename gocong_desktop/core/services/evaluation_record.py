"""What the one-page evaluation record (biên bản đánh giá mô hình) prints, read
once into frozen data: the model, its sites, when the team sat and who it was,
the evidence of the period, the score per criterion of the set (and version)
used, the rating and the advice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from gocong_desktop.core.db.models import Evaluation, ModelType, PreventionModel
from gocong_desktop.core.text import format_date, format_int
from gocong_desktop.core.services.common import get_live
from gocong_desktop.core.services.evaluation_team import TeamMember, team_members
from gocong_desktop.core.services.evidence import evidence_lines, evidence_warnings, model_evidence
from gocong_desktop.core.services.prevention_catalogue import criteria_set_info
from gocong_desktop.core.services.prevention_sites import list_sites
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.document_header import DocumentHeader
from gocong_desktop.core.services.prevention import RECOMMENDATION_LABELS, STATUS_LABELS
from gocong_desktop.core.services.review import report_header
from gocong_desktop.core.services.review_period import ReviewPeriod, describe_period


@dataclass(frozen=True)
class ScoreLine:
    name: str
    weight: float
    max_score: float
    score: float | None


@dataclass(frozen=True)
class EvaluationRecord:
    id: str
    header: DocumentHeader
    commune: str  # "xã Bình Tân"
    model_name: str
    type_name: str
    lead_organisation: str
    model_start: date | None
    status_label: str
    sites: tuple[str, ...]  # one line per site
    period: ReviewPeriod
    evaluated_on: date
    evaluator: str | None
    notes: str | None
    criteria_name: str
    criteria_version: int
    scores: tuple[ScoreLine, ...]
    total_score: float
    rating: str
    recommendation: str  # label: "Nhân rộng"
    evidence: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    # None and () for evaluations recorded before hours and teams were (migration 0013).
    started_at: datetime | None = None
    ended_at: datetime | None = None
    team: tuple[TeamMember, ...] = ()


def _site_lines(session: Session, model_id: str) -> tuple[str, ...]:
    lines = []
    for site in list_sites(session, model_id):
        parts = [site.place]
        if site.households:
            parts.append(f"{format_int(site.households)} hộ")
        if site.resources_text:
            parts.append(site.resources_text)
        if site.start_date:
            parts.append(f"từ {format_date(site.start_date)}")
        lines.append(", ".join(parts))
    return tuple(lines)


def evaluation_record(session: Session, evaluation_id: str) -> EvaluationRecord:
    e = get_live(session, Evaluation, evaluation_id, "lần đánh giá")
    model = session.get(PreventionModel, e.model_id)
    criteria = criteria_set_info(session, e.criteria_set_id)
    scores = json.loads(e.scores_json)
    office = get_office(session)
    evidence = model_evidence(session, model.id, e.period_start, e.period_end)
    return EvaluationRecord(
        id=e.id, header=report_header(office, e.evaluated_on), commune=office.display_name,
        model_name=model.name, type_name=session.get(ModelType, model.type_id).name,
        lead_organisation=model.lead_organisation, model_start=model.start_date,
        status_label=STATUS_LABELS.get(model.status, model.status),
        sites=_site_lines(session, model.id), period=describe_period(e.period_start, e.period_end),
        evaluated_on=e.evaluated_on, evaluator=e.evaluator, notes=e.notes,
        criteria_name=criteria.name, criteria_version=criteria.version,
        scores=tuple(ScoreLine(c.name, c.weight, c.max_score, scores.get(c.code)) for c in criteria.criteria),
        total_score=e.total_score, rating=e.rating,
        recommendation=RECOMMENDATION_LABELS.get(e.recommendation, e.recommendation),
        evidence=tuple(evidence_lines(evidence)), warnings=tuple(evidence_warnings(evidence)),
        started_at=e.started_at, ended_at=e.ended_at, team=team_members(e.team_json))
