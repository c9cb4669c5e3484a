"""Helpers for tests on encrypted files: a process's unlocked keys forgotten, a file
opened as a given account, an administrator's fresh recovery code."""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.sqlite import unlocked
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.demo.accounts import PASSWORD
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.unlocking import unlock_with_password


def forget_keys() -> None:
    """As a new process: nothing unlocked."""
    unlocked._keys.clear()
    unlocked._by.clear()


def signed_in(path: Path, username: str, password: str = PASSWORD) -> Database:
    """``path`` unlocked with ``username``'s password, open and signed in as them (close it)."""
    unlock_with_password(path, username, password)
    db = open_database(path)
    accounts.sign_in_unlocked(db, username)
    return db


def new_recovery_code(path: Path, admin: str = "quantri") -> str:
    db = signed_in(path, admin)
    try:
        with db.session() as s:
            account = next(a for a in accounts.list_accounts(s) if a.username == admin)
            return accounts.regenerate_recovery_code(s, account.id)
    finally:
        db.close()
