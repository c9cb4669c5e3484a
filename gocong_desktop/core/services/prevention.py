"""Crime-prevention models, their sites, criteria sets and evaluations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import and_, exists, func, or_
from sqlmodel import Session, select

from gocong_desktop.core.db.models import (CriteriaSet, Evaluation, ModelSite, ModelStatus, ModelType, PeriodKind,
                         PreventionModel, Recommendation, live)
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.resources import resource_path
from gocong_desktop.core.text import fold, sort_key
from gocong_desktop.core.services.evaluation_team import TeamMember, team_json
from gocong_desktop.core.services.review_period import ReviewPeriod, period_for
from gocong_desktop.core.services.common import field_choice, field_date, field_number, field_text, get_live, where_folded_match


STATUS_LABELS = {ModelStatus.ACTIVE: "Đang hoạt động", ModelStatus.PAUSED: "Tạm dừng",
                 ModelStatus.RETIRED: "Đã dừng"}
RECOMMENDATION_LABELS = {Recommendation.MAINTAIN: "Duy trì", Recommendation.STRENGTHEN: "Củng cố",
                         Recommendation.REPLICATE: "Nhân rộng", Recommendation.DROP: "Xóa bỏ"}
PERIOD_KIND_LABELS = {PeriodKind.SIX_MONTHS: "6 tháng", PeriodKind.NINE_MONTHS: "9 tháng",
                      PeriodKind.YEAR: "Năm", PeriodKind.CUSTOM: "Tùy chọn"}


@dataclass(frozen=True)
class SchemeDetail:
    """A model's stored values in form shape, for the edit dialog."""

    id: str
    type_id: str
    name: str
    lead_organisation: str
    description: str | None
    start_date: date | None
    status: str
    status_date: date | None
    status_reason: str | None


@dataclass(frozen=True)
class ModelRow:
    id: str
    name: str
    type_name: str
    lead_organisation: str
    status: str
    start_date: date | None
    sites: int
    last_rating: str | None


@dataclass(frozen=True)
class EvaluationRow:
    id: str
    model_id: str
    model_name: str
    period_kind: str
    period_start: date
    period_end: date
    evaluated_on: date
    total_score: float
    rating: str
    recommendation: str
    evaluator: str | None


def _load(name: str) -> dict:
    with open(resource_path("templates", name), encoding="utf-8") as fh:
        return json.load(fh)


def ensure_default_catalogue(session: Session) -> None:
    """Model types and the default criteria set, loaded once from resources."""
    if session.exec(select(ModelType.id).limit(1)).first() is None:
        for entry in _load("model_types.json")["model_types"]:
            session.add(ModelType(name=entry["name"], name_fold=fold(entry["name"]),
                                  description=entry.get("description")))
    if session.exec(select(CriteriaSet.id).limit(1)).first() is None:
        data = _load("criteria_default.json")
        session.add(CriteriaSet(code=data["code"], name=data["name"],
                                criteria_json=json.dumps(data["criteria"], ensure_ascii=False),
                                bands_json=json.dumps(data["bands"], ensure_ascii=False)))
    session.flush()


def lead_organisations() -> list[str]:
    return _load("model_types.json")["lead_organisations"]


def create_model(session: Session, *, type_id: str, name: str, lead_organisation: str,
                 start_date: date | None = None, scope: str | None = None,
                 description: str | None = None) -> str:
    model_type = get_live(session, ModelType, type_id, "loại mô hình")
    name = field_text("prevention_model", "name", name)
    model = PreventionModel(type_id=model_type.id, name=name, name_fold=fold(name),
                            lead_organisation=field_text("prevention_model", "lead_organisation",
                                                         lead_organisation),
                            start_date=field_date("prevention_model", "start_date", start_date),
                            scope=field_text("prevention_model", "scope", scope),
                            description=field_text("prevention_model", "description", description))
    session.add(model)
    session.flush()
    return model.id


def model_detail(session: Session, model_id: str) -> SchemeDetail:
    m = get_live(session, PreventionModel, model_id, "mô hình")
    return SchemeDetail(id=m.id, type_id=m.type_id, name=m.name, lead_organisation=m.lead_organisation,
                       description=m.description, start_date=m.start_date, status=m.status,
                       status_date=m.status_date, status_reason=m.status_reason)


def save_model(session: Session, *, model_id: str | None = None, type_id: str, name: str,
               lead_organisation: str, start_date: date | None = None, description: str | None = None,
               status: str = ModelStatus.ACTIVE, status_date: date | None = None,
               status_reason: str | None = None) -> str:
    """Create or edit a model with its status in one go (the model dialog's save).
    Changing status needs its date; retiring also a reason. Evaluations are never touched."""
    if model_id is None:
        model_id = create_model(session, type_id=type_id, name=name, lead_organisation=lead_organisation,
                                start_date=start_date, description=description)
    else:
        model = get_live(session, PreventionModel, model_id, "mô hình")
        model.type_id = get_live(session, ModelType, type_id, "loại mô hình").id
        model.name = field_text("prevention_model", "name", name)
        model.name_fold = fold(model.name)
        model.lead_organisation = field_text("prevention_model", "lead_organisation", lead_organisation)
        model.start_date = field_date("prevention_model", "start_date", start_date)
        model.description = field_text("prevention_model", "description", description)
    model = session.get(PreventionModel, model_id)
    changed = (status, status_date, status_reason) != (model.status, model.status_date, model.status_reason)
    if changed and not (status == ModelStatus.ACTIVE and model.status == ModelStatus.ACTIVE):
        if status_date is None:
            raise ValidationError("Chưa nhập ngày chuyển trạng thái.", field="status_date")
        set_model_status(session, model_id, status, when=status_date, reason=status_reason)
    return model_id


def set_model_status(session: Session, model_id: str, status: str, *, when: date,
                     reason: str | None = None) -> None:
    model = get_live(session, PreventionModel, model_id, "mô hình")
    field_choice("prevention_model", "status", status, message="Trạng thái mô hình không hợp lệ.")
    field_date("prevention_model", "status_date", when)
    if status == ModelStatus.RETIRED and not (reason or "").strip():
        raise ValidationError("Hãy ghi lý do dừng mô hình.", field="status_reason")
    model.status, model.status_date = status, when
    model.status_reason = field_text("prevention_model", "status_reason", reason)


def add_site(session: Session, model_id: str, *, hamlet_id: str | None = None,
             road_name: str | None = None, households_count: int | None = None,
             cameras: int = 0, lights: int = 0, gates: int = 0, posts: int = 0,
             start_date: date | None = None, note: str | None = None) -> str:
    get_live(session, PreventionModel, model_id, "mô hình")
    if not hamlet_id and not (road_name or "").strip():
        raise ValidationError("Điểm mô hình cần có ấp hoặc tên tuyến đường.", field="hamlet_id")
    counts = dict(households_count=households_count, cameras=cameras, lights=lights, gates=gates, posts=posts)
    for column, value in counts.items():
        field_number("model_site", column, value)
    site = ModelSite(model_id=model_id, hamlet_id=hamlet_id, households_count=households_count,
                     road_name=field_text("model_site", "road_name", road_name),
                     cameras=cameras, lights=lights, gates=gates, posts=posts,
                     start_date=field_date("model_site", "start_date", start_date),
                     note=field_text("model_site", "note", note))
    session.add(site)
    session.flush()
    return site.id


def score_and_rate(criteria_set: CriteriaSet, scores: dict[str, float]) -> tuple[float, str]:
    """Weighted percentage (0–100) and the first band it reaches."""
    return rate(json.loads(criteria_set.criteria_json), json.loads(criteria_set.bands_json), scores)


def rate(criteria: list[dict], bands: list[dict], scores: dict[str, float]) -> tuple[float, str]:
    """The computation itself, on plain data: the form shows it live while typing."""
    total_weight = sum(c["weight"] for c in criteria)
    weighted = 0.0
    for c in criteria:
        score = scores.get(c["code"])
        if score is None or not 0 <= score <= c["max_score"]:
            raise ValidationError(f"Điểm «{c['name']}» phải từ 0 đến {c['max_score']}.", field=c["code"])
        weighted += c["weight"] * score / c["max_score"]
    total = round(weighted / total_weight * 100, 1)
    bands = sorted(bands, key=lambda b: -b["min_score"])
    rating = next((b["label"] for b in bands if total >= b["min_score"]), bands[-1]["label"])
    return total, rating


def evaluate_model(session: Session, model_id: str, *, criteria_set_id: str, period_kind: str,
                   period_start: date, period_end: date, evaluated_on: date,
                   scores: dict[str, float], recommendation: str, evaluator: str | None = None,
                   notes: str | None = None, started_at: datetime | None = None,
                   ended_at: datetime | None = None, team: Iterable[TeamMember] = ()) -> str:
    """Records an evaluation of a period that has ended, with the hours the team sat
    (on the day evaluated; optional, as in evaluations recorded before) and its members."""
    get_live(session, PreventionModel, model_id, "mô hình")
    criteria_set = get_live(session, CriteriaSet, criteria_set_id, "bộ tiêu chí")
    if period_kind not in list(PeriodKind):
        raise ValidationError("Kỳ đánh giá không hợp lệ.", field="period_kind")
    for column, day in dict(period_start=period_start, period_end=period_end, evaluated_on=evaluated_on,
                            started_at=started_at, ended_at=ended_at).items():
        field_date("evaluation", column, day)
    check_evaluation_dates(period_start, period_end, evaluated_on, started_at, ended_at)
    if recommendation not in list(Recommendation):
        raise ValidationError("Kiến nghị phải là duy trì, củng cố, nhân rộng hoặc xóa bỏ.",
                              field="recommendation")
    total, rating = score_and_rate(criteria_set, scores)
    evaluation = Evaluation(model_id=model_id, criteria_set_id=criteria_set.id, period_kind=period_kind,
                            period_start=period_start, period_end=period_end, evaluated_on=evaluated_on,
                            scores_json=json.dumps(scores, ensure_ascii=False), total_score=total,
                            rating=rating, recommendation=recommendation,
                            evaluator=field_text("evaluation", "evaluator", evaluator),
                            notes=field_text("evaluation", "notes", notes),
                            started_at=started_at, ended_at=ended_at, team_json=team_json(team))
    session.add(evaluation)
    session.flush()
    return evaluation.id


# What to do, after what is wrong (``rules.evaluation`` says that, for forms and imports alike).
_DATE_HINTS = {
    "period": "Chỉ đánh giá được kỳ đã kết thúc: hãy chọn kỳ trước, hoặc đánh giá kỳ này khi kỳ đã kết thúc.",
    "period_end": "Hãy sửa ngày đầu kỳ hoặc ngày cuối kỳ.",
    "started_at": "Hãy nhập giờ bắt đầu trong ngày đánh giá.",
    "ended_at": "Hãy sửa giờ kết thúc.",
}


def check_evaluation_dates(period_start: date, period_end: date, evaluated_on: date,
                           started_at: datetime | None = None, ended_at: datetime | None = None) -> None:
    """ValidationError (on the form's field) when the period had not ended on the day
    evaluated, or the team's hours are not on that day or end before they start."""
    from gocong_desktop.core.rules import period_problem, times_problem

    found = (period_problem(period_start, period_end, evaluated_on)
             or times_problem(evaluated_on, started_at, ended_at))
    if found is not None:
        field, why = found
        raise ValidationError(f"{why[:1].upper()}{why[1:]}. {_DATE_HINTS[field]}", field=field)


def evaluation_due_period(today: date) -> ReviewPeriod:
    """The last half-year ended by ``today``: the period every active model should
    have been evaluated for (sơ kết 6 tháng)."""
    return period_for("H1", today.year) if today.month >= 7 else period_for("H2", today.year - 1)


def model_due(period: ReviewPeriod) -> Any:
    """An active model, begun by the period's end (its start date, else its first
    site's, as the review report says), without an evaluation ending in the period or after it."""
    evaluated = exists().where(Evaluation.model_id == PreventionModel.id, live(Evaluation),
                               Evaluation.period_end >= period.start)
    first_site = (select(func.min(ModelSite.start_date))
                  .where(ModelSite.model_id == PreventionModel.id, live(ModelSite)).scalar_subquery())
    started = func.coalesce(PreventionModel.start_date, first_site)
    return and_(live(PreventionModel), PreventionModel.status == ModelStatus.ACTIVE,
                or_(started.is_(None), started <= period.end), ~evaluated)


def list_models(session: Session, *, search: str | None = None, status: str | None = None,
                due_on: date | None = None) -> list[ModelRow]:
    """``due_on``: only the models due for evaluation on that day (``model_due``)."""
    stmt = (select(PreventionModel, ModelType.name)
            .join(ModelType, ModelType.id == PreventionModel.type_id)
            .where(live(PreventionModel)))
    if status:
        stmt = stmt.where(PreventionModel.status == status)
    if due_on is not None:
        stmt = stmt.where(model_due(evaluation_due_period(due_on)))
    stmt = where_folded_match(stmt, PreventionModel.name_fold, search)
    rows = []
    for model, type_name in session.exec(stmt).all():
        sites = len(session.exec(select(ModelSite.id).where(
            ModelSite.model_id == model.id, live(ModelSite))).all())
        last = session.exec(select(Evaluation.rating).where(
            Evaluation.model_id == model.id, live(Evaluation))
            .order_by(Evaluation.period_end.desc())).first()
        rows.append(ModelRow(id=model.id, name=model.name, type_name=type_name,
                             lead_organisation=model.lead_organisation, status=model.status,
                             start_date=model.start_date, sites=sites, last_rating=last))
    return sorted(rows, key=lambda r: sort_key(r.name))


def list_evaluations(session: Session, *, model_id: str | None = None,
                     search: str | None = None) -> list[EvaluationRow]:
    stmt = (select(Evaluation, PreventionModel.name)
            .join(PreventionModel, PreventionModel.id == Evaluation.model_id)
            .where(live(Evaluation))
            .order_by(Evaluation.period_end.desc(), PreventionModel.name_fold))
    if model_id:
        stmt = stmt.where(Evaluation.model_id == model_id)
    stmt = where_folded_match(stmt, PreventionModel.name_fold, search)
    return [EvaluationRow(id=e.id, model_id=e.model_id, model_name=name, period_kind=e.period_kind,
                          period_start=e.period_start, period_end=e.period_end,
                          evaluated_on=e.evaluated_on, total_score=e.total_score, rating=e.rating,
                          recommendation=e.recommendation, evaluator=e.evaluator)
            for e, name in session.exec(stmt).all()]
