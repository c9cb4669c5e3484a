"""The written parts of a review report (báo cáo sơ kết / tổng kết) of a period.

The figures are counted again each time the report is made; what the officer
writes around them is kept here, one record per office and period.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, UniqueConstraint

from gocong_desktop.core.db.models.base import SyncedRecord, owner_unit_field

# The sections, in report order: (column, heading). Stored text, never names of people.
NARRATIVE_SECTIONS = (
    ("situation", "Đặc điểm tình hình"),
    ("results", "Kết quả thực hiện"),
    ("strengths", "Ưu điểm"),
    ("shortcomings", "Tồn tại, hạn chế"),
    ("causes", "Nguyên nhân"),
    ("directions", "Phương hướng, nhiệm vụ kỳ tới"),
    ("proposals", "Kiến nghị, đề xuất"),
)


class ReviewNarrative(SyncedRecord, table=True):
    __tablename__ = "review_narrative"
    __table_args__ = (UniqueConstraint("owner_unit_id", "period_start", "period_end"),)

    owner_unit_id: str | None = owner_unit_field(index=False)  # the UNIQUE above leads with it
    period_kind: str = Field(nullable=False)
    period_start: date = Field(nullable=False)
    period_end: date = Field(nullable=False, index=True)
    situation: str | None = None
    results: str | None = None
    strengths: str | None = None
    shortcomings: str | None = None
    causes: str | None = None
    directions: str | None = None
    proposals: str | None = None
