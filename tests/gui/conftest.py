"""Fixtures shared by the GUI tests of accounts and settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.services import accounts
from gocong_desktop.gui.application import create_app
from gocong_desktop.gui.app import make_context
from tests.gui.waiting import forget_waiters

ADMIN_PASSWORD = "quantri-2026"


@pytest.fixture(autouse=True)
def _no_waiter_outlives_its_test():
    yield
    forget_waiters()


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """The app's settings in a file of the test's own."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def seeded_ctx(seeded, settings):
    """A context on the seeded commune; its tasks and reads finished after the test."""
    create_app()
    context = make_context(seeded.db, settings)
    yield context
    context.tasks.wait()


@pytest.fixture
def admin_ctx(db, tmp_path):
    """A context on ``db`` with its first administrator «quantri» signed in."""
    create_app()
    with db.session() as s:
        accounts.create_first_admin(s, username="quantri", display_name="Nguyễn Văn Quản",
                                    password=ADMIN_PASSWORD, confirm=ADMIN_PASSWORD)
    db.user = Principal("quantri", "Nguyễn Văn Quản", Role.ADMIN)
    return make_context(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
