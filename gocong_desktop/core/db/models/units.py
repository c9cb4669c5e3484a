"""Administrative units as data: a tree with validity dates and merge links.

Nothing hard-codes "huyện" or "thị trấn": the 2025 reorganisation ended the
district level and merged communes, so a unit has a level, a free type word,
valid-from/valid-to, and successor links to the unit(s) it merged into.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel, UniqueConstraint

from gocong_desktop.core.db.models.choices import UnitLevel
from gocong_desktop.core.db.models.base import SyncedRecord, new_id
from gocong_desktop.core.db.models.personal import not_personal


# Default type word per level, used when the user does not give one.
DEFAULT_UNIT_TYPE = {
    UnitLevel.PROVINCE: "tỉnh",
    UnitLevel.DISTRICT: "huyện",
    UnitLevel.COMMUNE: "xã",
    UnitLevel.HAMLET: "ấp",
}


class AdminUnit(SyncedRecord, table=True):
    __tablename__ = "admin_unit"

    level: str = Field(nullable=False, index=True)
    unit_type: str = Field(nullable=False)  # "xã", "phường", "ấp", "khu phố"...
    name: str = Field(nullable=False, sa_column_kwargs=not_personal())  # "Bình Tân", "Lợi An" (no type word)
    name_fold: str = Field(default="", nullable=False, index=True, sa_column_kwargs=not_personal())
    code: str | None = Field(default=None, index=True)  # official code, optional
    parent_id: str | None = Field(default=None, foreign_key="admin_unit.id", index=True)
    valid_from: date | None = None
    valid_to: date | None = None


class UnitSuccession(SQLModel, table=True):
    """``old_unit`` became (part of) ``new_unit`` on ``effective_date``."""

    __tablename__ = "unit_succession"
    __table_args__ = (UniqueConstraint("old_unit_id", "new_unit_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    old_unit_id: str = Field(foreign_key="admin_unit.id", nullable=False)  # the UNIQUE above leads with it
    new_unit_id: str = Field(foreign_key="admin_unit.id", nullable=False, index=True)
    effective_date: date | None = None
    legal_basis: str | None = None  # e.g. "Nghị quyết 1663/NQ-UBTVQH15"
