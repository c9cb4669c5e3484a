"""Group meetings (sinh hoạt Tổ NDTQ) and everything their minutes record."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, UniqueConstraint

from .base import SyncedRecord


class MeetingKind(StrEnum):
    REGULAR = "dinh_ky"  # định kỳ
    EXTRA = "dot_xuat"  # đột xuất


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT_EXCUSED = "absent_excused"  # vắng có lý do
    ABSENT_UNEXCUSED = "absent_unexcused"  # vắng không lý do


class Meeting(SyncedRecord, table=True):
    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("group_id", "minutes_year", "minutes_number"),)

    group_id: str = Field(foreign_key="self_managed_group.id", nullable=False, index=True)
    kind: str = Field(default=MeetingKind.REGULAR, nullable=False)
    title: str | None = None  # summary line, e.g. "Sinh hoạt ... quý I năm 2024"
    # Local wall-clock times, as written in the minutes (no zone).
    starts_at: NaiveDatetime = Field(nullable=False, index=True)
    ends_at: NaiveDatetime | None = None
    place: str | None = None
    chair_name: str | None = None
    chair_role: str | None = None  # "Tổ trưởng"
    chair_household_id: str | None = Field(default=None, foreign_key="household.id")
    secretary_name: str | None = None
    secretary_role: str | None = None
    secretary_household_id: str | None = Field(default=None, foreign_key="household.id")
    closing_conclusion: str | None = None
    status: str = Field(default=MeetingStatus.DRAFT, nullable=False, index=True)
    # Minutes number "Số 07/BB-TNDTQ", counted per group per year at finalising.
    minutes_number: int | None = None
    minutes_year: int | None = None
    finalised_at: datetime | None = None
    content_hash: str | None = None  # SHA-256 of the finalised content


class MeetingGuest(SyncedRecord, table=True):
    __tablename__ = "meeting_guest"

    meeting_id: str = Field(foreign_key="meeting.id", nullable=False, index=True)
    position: int = Field(default=0, nullable=False)
    name: str = Field(nullable=False)  # "Đ/c Trần Minh Tâm"
    role: str | None = None
    organisation: str | None = None  # "Công an xã"


class AgendaItem(SyncedRecord, table=True):
    __tablename__ = "agenda_item"

    meeting_id: str = Field(foreign_key="meeting.id", nullable=False, index=True)
    position: int = Field(default=0, nullable=False)
    title: str = Field(nullable=False)
    content: str | None = None  # what was presented
    conclusion: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_other: int | None = None


class AgendaOpinion(SyncedRecord, table=True):
    __tablename__ = "agenda_opinion"

    agenda_item_id: str = Field(foreign_key="agenda_item.id", nullable=False, index=True)
    position: int = Field(default=0, nullable=False)
    household_id: str | None = Field(default=None, foreign_key="household.id")
    speaker_name: str | None = None  # when not a household of the group
    text: str = Field(nullable=False)


class Attendance(SyncedRecord, table=True):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "household_id"),)

    meeting_id: str = Field(foreign_key="meeting.id", nullable=False, index=True)
    household_id: str = Field(foreign_key="household.id", nullable=False, index=True)
    status: str = Field(default=AttendanceStatus.PRESENT, nullable=False)
    reason: str | None = None
    representative: str | None = None  # who attended for the household


class MeetingAmendment(SyncedRecord, table=True):
    """A change to final minutes: the reason and the version it replaced."""

    __tablename__ = "meeting_amendment"

    meeting_id: str = Field(foreign_key="meeting.id", nullable=False, index=True)
    amended_on: date = Field(nullable=False)
    reason: str = Field(nullable=False)
    amended_by: str | None = None
    previous_hash: str | None = None
    previous_snapshot: str = Field(nullable=False)  # JSON of the replaced content
