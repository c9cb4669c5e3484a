"""The registers: self-managed groups (Tổ NDTQ) and their households."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, Index
from sqlmodel import AutoString, Field

from gocong_desktop.core.db.models.base import SyncedRecord
from gocong_desktop.core.db.models.personal import not_personal, personal


class SelfManagedGroup(SyncedRecord, table=True):
    """A Tổ nhân dân tự quản: typically 15–70 households of one hamlet."""

    __tablename__ = "self_managed_group"

    number: int | None = Field(default=None, index=True)  # "Tổ NDTQ số 5"
    name: str = Field(nullable=False, sa_column_kwargs=not_personal())  # display name, e.g. "Tổ NDTQ số 5"
    name_fold: str = Field(default="", nullable=False, index=True, sa_column_kwargs=not_personal())
    hamlet_id: str = Field(foreign_key="admin_unit.id", nullable=False, index=True)
    # Leader and deputy are households of this group (the head represents it).
    # use_alter breaks the group <-> household cycle for SQLAlchemy's table sort.
    leader_household_id: str | None = Field(default=None, sa_column=Column(
        AutoString, ForeignKey("household.id", use_alter=True), nullable=True))
    deputy_household_id: str | None = Field(default=None, sa_column=Column(
        AutoString, ForeignKey("household.id", use_alter=True), nullable=True))
    founded_date: date | None = None
    active: bool = Field(default=True, nullable=False, index=True)
    retired_date: date | None = None
    notes: str | None = Field(default=None, sa_column_kwargs=not_personal())  # about the group


class Household(SyncedRecord, table=True):
    __tablename__ = "household"
    # The living households in name order (list and count) from the index alone (migration 0007),
    # and per hamlet (the Overview's counts, migration 0011).
    __table_args__ = (Index("ix_household_live_name", "deleted", "moved_out_date", "name_sort_key", "id"),
                      Index("ix_household_live_hamlet", "deleted", "moved_out_date", "hamlet_id", "id"))

    head_name: str = Field(nullable=False, sa_column_kwargs=personal("names", label="họ tên chủ hộ"))  # NFC
    # Derived keys kept in SQL so that lists of 50,000 sort and search in SQL.
    name_sort_key: str = Field(default="", nullable=False, index=True, sa_column_kwargs=personal(
        "names", label="khóa sắp xếp theo họ tên"))
    search_fold: str = Field(default="", nullable=False, sa_column_kwargs=personal(  # name, address, phone
        "names", "hamlets", "phone", label="khóa tìm kiếm (họ tên, địa chỉ, điện thoại)"))
    birth_year: int | None = Field(default=None, sa_column_kwargs=personal("birth", label="năm sinh"))
    gender: str | None = Field(default=None, sa_column_kwargs=personal(  # Gender value
        "birth", label="giới tính"))
    address: str | None = Field(default=None, sa_column_kwargs=personal(  # house number / road
        "hamlets", label="địa chỉ (số nhà, đường)"))
    hamlet_id: str = Field(foreign_key="admin_unit.id", nullable=False, index=True)
    group_id: str | None = Field(default=None, foreign_key="self_managed_group.id", index=True)
    members: int = Field(default=1, nullable=False)
    phone: str | None = Field(default=None, sa_column_kwargs=personal("phone", label="số điện thoại"))
    citizen_id: str | None = Field(default=None, sa_column_kwargs=personal(  # checked, masked in lists
        "citizen_id", label="số CCCD"))
    moved_out_date: date | None = Field(default=None, index=True)
    notes: str | None = Field(default=None, sa_column_kwargs=personal("notes", label="ghi chú về hộ"))
