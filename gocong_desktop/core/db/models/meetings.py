"""Group meetings (sinh hoạt Tổ NDTQ) and everything their minutes record."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, UniqueConstraint

from gocong_desktop.core.db.models.choices import MeetingKind, MeetingStatus, AttendanceStatus
from gocong_desktop.core.db.models.base import SyncedRecord, owner_unit_field
from gocong_desktop.core.db.models.personal import not_personal, personal


class Meeting(SyncedRecord, table=True):
    __tablename__ = "meeting"
    # A commune's meetings of a quarter (the upper office's figures per commune, migration 0010).
    __table_args__ = (UniqueConstraint("group_id", "minutes_year", "minutes_number"),
                      Index("ix_meeting_owner_starts_at", "owner_unit_id", "starts_at"))

    owner_unit_id: str | None = owner_unit_field(index=False)  # ix_meeting_owner_starts_at leads with it
    # The UNIQUE(group_id, minutes_year, minutes_number) above serves the lookups by group.
    group_id: str = Field(foreign_key="self_managed_group.id", nullable=False)
    kind: str = Field(default=MeetingKind.REGULAR, nullable=False)
    title: str | None = None  # summary line, e.g. "Sinh hoạt ... quý I năm 2024"
    # Local wall-clock times, as written in the minutes (no zone).
    starts_at: NaiveDatetime = Field(nullable=False, index=True)
    ends_at: NaiveDatetime | None = None
    place: str | None = Field(default=None, sa_column_kwargs=personal(  # often a resident's house
        "hamlets", label="nơi họp"))
    chair_name: str | None = Field(default=None, sa_column_kwargs=personal(
        "names", label="họ tên người chủ trì"))
    chair_role: str | None = Field(default=None, sa_column_kwargs=not_personal())  # "Tổ trưởng"
    chair_household_id: str | None = Field(default=None, foreign_key="household.id")
    secretary_name: str | None = Field(default=None, sa_column_kwargs=personal(
        "names", label="họ tên thư ký"))
    secretary_role: str | None = Field(default=None, sa_column_kwargs=not_personal())  # "Tổ phó"
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
    name: str = Field(nullable=False, sa_column_kwargs=personal(  # "Đ/c Trần Minh Tâm"
        "names", label="họ tên khách mời"))
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
    speaker_name: str | None = Field(default=None, sa_column_kwargs=personal(  # not a household of the group
        "names", label="họ tên người phát biểu"))
    text: str = Field(nullable=False, sa_column_kwargs=personal("opinions", label="nội dung ý kiến"))


class Attendance(SyncedRecord, table=True):
    __tablename__ = "attendance"
    # A meeting's attendance is found through the UNIQUE constraint, which begins with
    # meeting_id (no query filters by meeting and commune together: migration 0016);
    # the figures count it from ix_attendance_meeting_status alone (migration 0019).
    __table_args__ = (UniqueConstraint("meeting_id", "household_id"),
                      Index("ix_attendance_meeting_status", "meeting_id", "deleted", "status"))

    meeting_id: str = Field(foreign_key="meeting.id", nullable=False)
    household_id: str = Field(foreign_key="household.id", nullable=False, index=True)
    status: str = Field(default=AttendanceStatus.UNMARKED, nullable=False)
    reason: str | None = Field(default=None, sa_column_kwargs=personal("notes", label="lý do vắng"))
    representative: str | None = Field(default=None, sa_column_kwargs=personal(  # who came for the household
        "names", label="họ tên người dự họp thay"))


class MeetingAmendment(SyncedRecord, table=True):
    """A change to final minutes: the reason and the version it replaced."""

    __tablename__ = "meeting_amendment"

    meeting_id: str = Field(foreign_key="meeting.id", nullable=False, index=True)
    amended_on: date = Field(nullable=False)
    reason: str = Field(nullable=False, sa_column_kwargs=not_personal())  # why the minutes changed
    amended_by: str | None = Field(default=None, sa_column_kwargs=not_personal())  # an account's user name
    previous_hash: str | None = None
    # JSON of the replaced content: every name, place, reason and opinion it held.
    previous_snapshot: str = Field(nullable=False, sa_column_kwargs=personal(
        "names", "hamlets", "notes", "opinions", label="nội dung biên bản trước khi đính chính"))
