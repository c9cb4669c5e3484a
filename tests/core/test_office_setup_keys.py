"""A new office gets its sync keys at set-up, so reading its key card never writes."""

from __future__ import annotations

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
from gocong_desktop.core.sync import office_card


def test_set_up_makes_keys_and_the_first_administrator(tmp_path):
    made = create_office_database(tmp_path / "xa.db", OfficeSetup(
        "commune", "xã", "Bình Tân", "Đồng Tháp",
        admin=FirstAdmin(username="quantri", display_name="An", password="mat-khau-1")))
    assert made.recovery_code and made.path.is_file()
    db = open_database(made.path)
    try:
        with db.session() as s:  # nobody signed in: reads only, and this read needs no write
            assert len(office_card(s).fingerprint) > 20
    finally:
        db.close()
