"""Crime-prevention models, their sites, criteria sets, evaluations, propaganda."""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel, UniqueConstraint

from gocong_desktop.core.db.models.choices import ModelStatus
from gocong_desktop.core.db.models.base import SyncedRecord, owner_unit_field
from gocong_desktop.core.db.models.personal import not_personal, personal


class ModelType(SyncedRecord, table=True):
    __tablename__ = "model_type"

    name: str = Field(nullable=False, sa_column_kwargs=not_personal())  # "Camera an ninh"
    name_fold: str = Field(default="", nullable=False, index=True, sa_column_kwargs=not_personal())
    description: str | None = None
    active: bool = Field(default=True, nullable=False)


class PreventionModel(SyncedRecord, table=True):
    __tablename__ = "prevention_model"

    type_id: str = Field(foreign_key="model_type.id", nullable=False, index=True)
    name: str = Field(nullable=False, sa_column_kwargs=not_personal())
    name_fold: str = Field(default="", nullable=False, index=True, sa_column_kwargs=not_personal())
    lead_organisation: str = Field(nullable=False)  # "Công an xã", "Hội LHPN"...
    scope: str | None = None
    description: str | None = None
    start_date: date | None = None
    status: str = Field(default=ModelStatus.ACTIVE, nullable=False, index=True)
    status_reason: str | None = Field(default=None, sa_column_kwargs=not_personal())
    status_date: date | None = None


class ModelSite(SyncedRecord, table=True):
    """Where a model runs: a hamlet, or a named road within one."""

    __tablename__ = "model_site"

    model_id: str = Field(foreign_key="prevention_model.id", nullable=False, index=True)
    hamlet_id: str | None = Field(default=None, foreign_key="admin_unit.id", index=True)
    # "Đường liên ấp Lợi An, 1.300 m"
    road_name: str | None = Field(default=None, sa_column_kwargs=not_personal())
    households_count: int | None = None  # when households are not chosen one by one
    cameras: int = Field(default=0, nullable=False)
    lights: int = Field(default=0, nullable=False)
    gates: int = Field(default=0, nullable=False)
    posts: int = Field(default=0, nullable=False)
    start_date: date | None = None
    note: str | None = Field(default=None, sa_column_kwargs=not_personal())  # about the site


class ModelSiteHousehold(SQLModel, table=True):
    __tablename__ = "model_site_household"

    site_id: str = Field(foreign_key="model_site.id", primary_key=True)
    household_id: str = Field(foreign_key="household.id", primary_key=True, index=True)


class CriteriaSet(SyncedRecord, table=True):
    """Criteria with weights and rating bands, kept as data and versioned."""

    __tablename__ = "criteria_set"
    __table_args__ = (UniqueConstraint("owner_unit_id", "code", "set_version"),)

    owner_unit_id: str | None = owner_unit_field(index=False)  # the UNIQUE above leads with it
    code: str = Field(nullable=False)  # stable name of the set across versions
    set_version: int = Field(default=1, nullable=False)
    name: str = Field(nullable=False, sa_column_kwargs=not_personal())
    criteria_json: str = Field(nullable=False)  # [{"code","name","weight","max_score"}]
    bands_json: str = Field(nullable=False)  # [{"label","min_score"}], best first


class Evaluation(SyncedRecord, table=True):
    __tablename__ = "evaluation"

    model_id: str = Field(foreign_key="prevention_model.id", nullable=False, index=True)
    criteria_set_id: str = Field(foreign_key="criteria_set.id", nullable=False)
    period_kind: str = Field(nullable=False)
    period_start: date = Field(nullable=False)
    period_end: date = Field(nullable=False, index=True)
    evaluated_on: date = Field(nullable=False)
    scores_json: str = Field(nullable=False)  # {"criterion code": score}
    total_score: float = Field(nullable=False)
    rating: str = Field(nullable=False)  # band label, e.g. "Tốt"
    recommendation: str = Field(nullable=False)
    evaluator: str | None = Field(default=None, sa_column_kwargs=personal(
        "names", label="họ tên người đánh giá"))
    notes: str | None = Field(default=None, sa_column_kwargs=not_personal())  # about the model
    # When the team sat and who it was, as the record prints them (migration 0013):
    # local wall-clock times; None on evaluations recorded before.
    started_at: NaiveDatetime | None = None
    ended_at: NaiveDatetime | None = None
    team_json: str | None = Field(default=None, sa_column_kwargs=personal(  # [{"name", "role"}]
        "names", label="thành phần đoàn đánh giá"))


class PropagandaActivity(SyncedRecord, table=True):
    __tablename__ = "propaganda_activity"

    kind: str = Field(nullable=False, index=True)
    activity_date: date = Field(nullable=False, index=True)
    count: int = Field(default=1, nullable=False)  # broadcasts, rounds, leaflets...
    hamlet_id: str | None = Field(default=None, foreign_key="admin_unit.id")
    model_id: str | None = Field(default=None, foreign_key="prevention_model.id")
    note: str | None = Field(default=None, sa_column_kwargs=not_personal())  # about the activity
