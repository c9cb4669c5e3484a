"""The registers: self-managed groups (Tổ NDTQ) and their households."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Column, ForeignKey
from sqlmodel import AutoString, Field

from .base import SyncedRecord


class Gender(StrEnum):
    MALE = "nam"
    FEMALE = "nu"


class SelfManagedGroup(SyncedRecord, table=True):
    """A Tổ nhân dân tự quản: typically 15–70 households of one hamlet."""

    __tablename__ = "self_managed_group"

    number: int | None = Field(default=None, index=True)  # "Tổ NDTQ số 5"
    name: str = Field(nullable=False)  # display name, e.g. "Tổ NDTQ số 5"
    name_fold: str = Field(default="", nullable=False, index=True)
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
    notes: str | None = None


class Household(SyncedRecord, table=True):
    __tablename__ = "household"

    head_name: str = Field(nullable=False)  # as typed, NFC
    # Derived keys kept in SQL so that lists of 50,000 sort and search in SQL.
    name_sort_key: str = Field(default="", nullable=False, index=True)
    search_fold: str = Field(default="", nullable=False)  # folded name + address
    birth_year: int | None = None
    gender: str | None = None  # Gender value
    address: str | None = None  # house number / road
    hamlet_id: str = Field(foreign_key="admin_unit.id", nullable=False, index=True)
    group_id: str | None = Field(default=None, foreign_key="self_managed_group.id", index=True)
    members: int = Field(default=1, nullable=False)
    phone: str | None = None
    citizen_id: str | None = None  # optional, structure-checked, masked in lists
    moved_out_date: date | None = Field(default=None, index=True)
    notes: str | None = None
