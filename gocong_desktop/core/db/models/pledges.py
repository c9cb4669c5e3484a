"""Household pledges (bản cam kết): versioned templates, yearly campaigns."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, UniqueConstraint

from gocong_desktop.core.db.models.choices import PledgeStatus
from gocong_desktop.core.db.models.base import SyncedRecord, owner_unit_field
from gocong_desktop.core.db.models.personal import personal


class PledgeTemplate(SyncedRecord, table=True):
    """One version of the commitment text; never edited once pledges use it."""

    __tablename__ = "pledge_template"
    __table_args__ = (UniqueConstraint("owner_unit_id", "year", "template_version"),)

    owner_unit_id: str | None = owner_unit_field(index=False)  # the UNIQUE above leads with it
    year: int = Field(nullable=False, index=True)
    template_version: int = Field(default=1, nullable=False)
    title: str = Field(nullable=False)  # "BẢN CAM KẾT"
    subtitle: str | None = None  # "Về việc giữ gìn an ninh, trật tự..."
    items_json: str = Field(nullable=False)  # JSON list of the numbered items


class PledgeCampaign(SyncedRecord, table=True):
    __tablename__ = "pledge_campaign"
    __table_args__ = (UniqueConstraint("owner_unit_id", "year"),)

    owner_unit_id: str | None = owner_unit_field(index=False)  # the UNIQUE above leads with it
    year: int = Field(nullable=False, index=True)
    template_id: str = Field(foreign_key="pledge_template.id", nullable=False)
    opened_on: date = Field(nullable=False)
    closed_on: date | None = None


class Pledge(SyncedRecord, table=True):
    __tablename__ = "pledge"
    # A commune's pledges of a year (the upper office's figures per commune, migration 0010).
    __table_args__ = (UniqueConstraint("household_id", "year"),
                      Index("ix_pledge_owner_unit_year", "owner_unit_id", "year"))

    owner_unit_id: str | None = owner_unit_field(index=False)  # ix_pledge_owner_unit_year leads with it
    household_id: str = Field(foreign_key="household.id", nullable=False)  # UNIQUE(household_id, year) serves it
    year: int = Field(nullable=False, index=True)
    template_id: str = Field(foreign_key="pledge_template.id", nullable=False)
    status: str = Field(default=PledgeStatus.UNSIGNED, nullable=False, index=True)
    signed_date: date | None = None
    witness_name: str | None = Field(default=None, sa_column_kwargs=personal(  # tổ trưởng who confirms
        "names", label="họ tên người xác nhận"))
    witness_household_id: str | None = Field(default=None, foreign_key="household.id")
    reason: str | None = Field(default=None, sa_column_kwargs=personal(  # why refused / moved
        "notes", label="lý do không ký, chuyển đi"))


class PledgeViolation(SyncedRecord, table=True):
    """Sensitive: shown only on the household's detail, kept out of sync by default."""

    __tablename__ = "pledge_violation"

    household_id: str = Field(foreign_key="household.id", nullable=False, index=True)
    pledge_id: str | None = Field(default=None, foreign_key="pledge.id", index=True)
    violation_date: date = Field(nullable=False)
    item_number: int | None = None  # which numbered commitment was broken
    note: str | None = Field(default=None, sa_column_kwargs=personal(
        "violation_notes", label="ghi chú vi phạm"))
