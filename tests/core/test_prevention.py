"""Crime-prevention models: weighted scores, rating bands, evaluations; propaganda totals."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import (CriteriaSet, ModelStatus, ModelType, PeriodKind,
                                           PropagandaKind, Recommendation)
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import prevention, propaganda
from tests.conftest import table_counts


@pytest.fixture
def catalogue(db):
    with db.session() as s:
        prevention.ensure_default_catalogue(s)
        prevention.ensure_default_catalogue(s)  # idempotent
    with db.session() as s:
        types = {t.name: t.id for t in s.exec(select(ModelType))}
        criteria = s.exec(select(CriteriaSet)).one()
    return types, criteria


def _scores(criteria: CriteriaSet, value: float, **overrides: float) -> dict[str, float]:
    scores = {c["code"]: value for c in json.loads(criteria.criteria_json)}
    scores.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return scores


def test_catalogue_loaded_once(catalogue, db) -> None:
    types, criteria = catalogue
    assert len(types) == 7 and "Camera an ninh" in types
    weights = {c["code"]: c["weight"] for c in json.loads(criteria.criteria_json)}
    assert weights == {"to-chuc": 2, "tham-gia": 2, "hieu-qua": 3, "co-so-vat-chat": 1,
                       "tuyen-truyen": 1, "nhan-rong": 1}


def test_score_and_rate_weighted_percentage_and_bands(catalogue) -> None:
    _, criteria = catalogue
    rate = prevention.score_and_rate
    assert rate(criteria, _scores(criteria, 10)) == (100.0, "Tốt")
    assert rate(criteria, _scores(criteria, 8)) == (80.0, "Tốt")  # band minimum is inclusive
    assert rate(criteria, _scores(criteria, 7.9)) == (79.0, "Khá")
    assert rate(criteria, _scores(criteria, 6.5)) == (65.0, "Khá")
    assert rate(criteria, _scores(criteria, 5)) == (50.0, "Trung bình")
    assert rate(criteria, _scores(criteria, 4.9)) == (49.0, "Yếu")
    assert rate(criteria, _scores(criteria, 0)) == (0.0, "Yếu")
    # Weights count: hiệu quả (3 of 10) at zero costs 30 points, tuyên truyền (1) only 10.
    assert rate(criteria, _scores(criteria, 10, hieu_qua=0)) == (70.0, "Khá")
    assert rate(criteria, _scores(criteria, 10, tuyen_truyen=0)) == (90.0, "Tốt")
    # (2*6 + 2*7 + 3*9 + 1*5 + 1*8 + 1*4) / 10 / 10 * 100 = 70.0
    assert rate(criteria, {"to-chuc": 6, "tham-gia": 7, "hieu-qua": 9, "co-so-vat-chat": 5,
                           "tuyen-truyen": 8, "nhan-rong": 4}) == (70.0, "Khá")


@pytest.mark.parametrize("bad", [None, -1, 10.5])
def test_score_out_of_range_or_missing_refused(catalogue, bad) -> None:
    _, criteria = catalogue
    scores = _scores(criteria, 5)
    if bad is None:
        del scores["hieu-qua"]
    else:
        scores["hieu-qua"] = bad
    with pytest.raises(ValidationError) as err:
        prevention.score_and_rate(criteria, scores)
    assert err.value.field == "hieu-qua"
    assert "phải từ 0 đến 10" in err.value.message


def _model(db, types) -> str:
    with db.session() as s:
        return prevention.create_model(s, type_id=types["Camera an ninh"],
                                       name="Camera an ninh ấp Lợi An",
                                       lead_organisation="Công an xã", start_date=date(2023, 5, 1))


def test_evaluate_stores_total_and_rating(catalogue, db) -> None:
    types, criteria = catalogue
    mid = _model(db, types)
    with db.session() as s:
        prevention.add_site(s, mid, road_name="Đường liên ấp Lợi An, 1.300 m", households_count=63,
                            cameras=8)
        prevention.evaluate_model(s, mid, criteria_set_id=criteria.id, period_kind=PeriodKind.SIX_MONTHS,
                                  period_start=date(2024, 1, 1), period_end=date(2024, 6, 30),
                                  evaluated_on=date(2024, 7, 5), scores=_scores(criteria, 6),
                                  recommendation=Recommendation.STRENGTHEN)
        prevention.evaluate_model(s, mid, criteria_set_id=criteria.id, period_kind=PeriodKind.YEAR,
                                  period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
                                  evaluated_on=date(2025, 1, 10), scores=_scores(criteria, 9),
                                  recommendation=Recommendation.REPLICATE, evaluator="Trần Minh Tâm")
    with db.session() as s:
        evaluations = prevention.list_evaluations(s, model_id=mid)
        model = prevention.list_models(s, search="camera an ninh")[0]
    assert [(e.total_score, e.rating, e.recommendation) for e in evaluations] == [
        (90.0, "Tốt", "nhan_rong"), (60.0, "Trung bình", "cung_co")]  # newest period first
    assert (model.sites, model.last_rating, model.type_name) == (1, "Tốt", "Camera an ninh")


EVALUATION_ERRORS = [
    ({"period_kind": "quy"}, "period_kind"),
    ({"period_end": date(2023, 12, 31)}, "period_end"),
    ({"recommendation": "giu_nguyen"}, "recommendation"),
    ({"scores": {"to-chuc": 11}}, "to-chuc"),
]


@pytest.mark.parametrize("changes,field", EVALUATION_ERRORS)
def test_evaluate_validation(catalogue, db, changes, field) -> None:
    types, criteria = catalogue
    mid = _model(db, types)
    kwargs = dict(criteria_set_id=criteria.id, period_kind=PeriodKind.YEAR,
                  period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
                  evaluated_on=date(2025, 1, 10), scores=_scores(criteria, 7),
                  recommendation=Recommendation.MAINTAIN)
    before = table_counts(db.path)
    with pytest.raises(ValidationError) as err:
        with db.session() as s:
            prevention.evaluate_model(s, mid, **{**kwargs, **changes})
    assert err.value.field == field
    assert table_counts(db.path) == before


def test_model_status_and_site_validation(catalogue, db) -> None:
    types, _ = catalogue
    mid = _model(db, types)
    with pytest.raises(ValidationError) as err:
        with db.session() as s:
            prevention.set_model_status(s, mid, ModelStatus.RETIRED, when=date(2024, 12, 31))
    assert err.value.field == "status_reason"
    with pytest.raises(ValidationError):
        with db.session() as s:
            prevention.add_site(s, mid)  # neither hamlet nor road
    with pytest.raises(ValidationError):
        with db.session() as s:
            prevention.add_site(s, mid, road_name="Đường đê", cameras=-1)
    with db.session() as s:
        prevention.set_model_status(s, mid, ModelStatus.RETIRED, when=date(2024, 12, 31),
                                    reason="Không hiệu quả")
    with db.session() as s:
        assert [m.status for m in prevention.list_models(s, status=ModelStatus.RETIRED)] == ["retired"]
        assert prevention.list_models(s, status=ModelStatus.ACTIVE) == []


# --------------------------------------------------------------------------- propaganda


def test_propaganda_totals(db) -> None:
    with db.session() as s:
        propaganda.record_activity(s, kind=PropagandaKind.RADIO, activity_date=date(2024, 1, 5), count=12)
        propaganda.record_activity(s, kind=PropagandaKind.RADIO, activity_date=date(2024, 6, 5), count=8)
        propaganda.record_activity(s, kind=PropagandaKind.LOUDSPEAKER, activity_date=date(2024, 3, 1),
                                   count=5)
        propaganda.record_activity(s, kind=PropagandaKind.LEAFLETS, activity_date=date(2023, 12, 31),
                                   count=300)
    with db.session() as s:
        assert propaganda.totals(s) == {"phat_thanh": 20, "loa_luu_dong": 5, "to_roi": 300}
        assert propaganda.totals(s, since=date(2024, 1, 1)) == {"phat_thanh": 20, "loa_luu_dong": 5}
        assert propaganda.totals(s, since=date(2024, 1, 1), until=date(2024, 3, 1)) == {
            "phat_thanh": 12, "loa_luu_dong": 5}
        assert propaganda.totals(s, since=date(2025, 1, 1)) == {}


@pytest.mark.parametrize("kwargs,field", [
    ({"kind": "bao_chi"}, "kind"),
    ({"activity_date": date(date.today().year + 1, 1, 1)}, "activity_date"),
    ({"count": 0}, "count"),
])
def test_propaganda_validation(db, kwargs, field) -> None:
    before = table_counts(db.path)
    with pytest.raises(ValidationError) as err:
        with db.session() as s:
            propaganda.record_activity(s, **{"kind": PropagandaKind.RADIO,
                                             "activity_date": date(2024, 1, 1), **kwargs})
    assert err.value.field == field
    assert table_counts(db.path) == before
