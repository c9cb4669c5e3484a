"""The same services on both stores of an upper office (issue 19): an encrypted
SQLite file and a PostgreSQL database set up by ``create_office_database``."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gocong_desktop.core.db.access import Role
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.unlocking import unlock_with_password
from gocong_desktop.core.settings.keys import IDLE_LOCK_MINUTES
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
from tests.encrypted import forget_keys

PASSWORD = "Mat-khau-quan-tri-9"
SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Quản trị tỉnh", password=PASSWORD))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def upper(request, tmp_path) -> Database:
    """An upper office with its first administrator, open and not signed in."""
    if request.param == "sqlite":
        location = tmp_path / "tinh.db"
        create_office_database(location, SETUP)
        forget_keys()
        unlock_with_password(location, "quantri", PASSWORD)
    else:
        location = request.getfixturevalue("pg_url")
        create_office_database(location, SETUP)
    db = open_database(location)
    yield db
    db.close()
    forget_keys()


def test_sign_in_takes_the_right_password_only(upper):
    with pytest.raises(PermissionDeniedError):
        accounts.sign_in(upper, "quantri", "khong-dung")
    assert accounts.sign_in(upper, "quantri", PASSWORD).role == Role.ADMIN


def test_an_administrator_adds_an_officer_who_then_signs_in(upper):
    accounts.sign_in(upper, "quantri", PASSWORD)
    with upper.session() as session:
        accounts.add_account(session, username="canbo1", display_name="Cán bộ Một", role="clerk",
                             password="Mat-khau-can-bo-1")
    if upper.server is None:  # a file's key slots: the new account unlocks it with its own password
        forget_keys()
        unlock_with_password(upper.path, "canbo1", "Mat-khau-can-bo-1")
    assert accounts.sign_in(upper, "canbo1", "Mat-khau-can-bo-1").role == Role.CLERK


def test_office_settings_are_written_and_read_back(upper):
    accounts.sign_in(upper, "quantri", PASSWORD)
    with upper.session() as session:
        write_setting(session, IDLE_LOCK_MINUTES, 25)
    with upper.session() as session:
        assert read_setting(session, IDLE_LOCK_MINUTES) == 25


def test_every_audit_entry_is_sealed_in_order(upper):
    accounts.sign_in(upper, "quantri", PASSWORD)
    with upper.session() as session:
        write_setting(session, IDLE_LOCK_MINUTES, 15)
    with upper.engine.connect() as conn:
        places = [r[0] for r in conn.execute(text("SELECT seq FROM audit_log ORDER BY seq"))]
    assert places == list(range(1, len(places) + 1)) and len(places) > 3


def test_wrong_passwords_are_counted_per_database_not_per_working_folder(upper):
    with upper.session() as session:
        key = accounts._throttle_key(session, "quantri")
    assert key.endswith("|quantri") and PASSWORD not in key
    assert str(upper.path.resolve() if upper.server is None else upper.server) in key
