"""Local accounts: who may sign in on this office's database, and in which role.

Accounts stay on this computer: they are not synced records and never travel
in sync packages (only the audit entries naming who changed what do).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from gocong_desktop.core.db.models.base import new_id, utcnow


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    username: str = Field(nullable=False, unique=True)  # lower case, compared as stored
    display_name: str = Field(nullable=False)
    role: str = Field(nullable=False)  # access.Role
    password_hash: str = Field(nullable=False)  # Argon2id, PHC string
    # Administrators only: Argon2id hash of the one-time recovery code.
    recovery_hash: str | None = None
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
