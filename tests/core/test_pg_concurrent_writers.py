"""Several officers write to the upper office's server database at once (issue 19):
their audit entries still make one chain, each place taken once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import AdminUnit, Office
from gocong_desktop.core.db.settings import write_setting
from gocong_desktop.core.services import accounts
from gocong_desktop.core.settings.keys import IDLE_LOCK_MINUTES, SYNC_INCLUDE_VIOLATIONS
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database

pytestmark = pytest.mark.pg

PASSWORD = "Mat-khau-quan-tri-9"
WAIT_FOR_SECOND_WRITER_S = 1.0  # how long the second writer is given to (wrongly) seal meanwhile


def test_a_second_writer_seals_after_the_first_commits(pg_url):
    create_office_database(pg_url, OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Tỉnh", province="Tỉnh",
                                               admin=FirstAdmin("quantri", "Quản trị", PASSWORD)))
    first, second = open_database(pg_url), open_database(pg_url)
    failures: list[BaseException] = []

    def write_second() -> None:
        try:
            with second.session() as session:
                write_setting(session, SYNC_INCLUDE_VIOLATIONS, True)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    try:
        for db in (first, second):
            accounts.sign_in(db, "quantri", PASSWORD)
        with first.session() as session:
            write_setting(session, IDLE_LOCK_MINUTES, 20)
            session.flush()  # sealed, not committed: the second writer must not take the same places
            other = threading.Thread(target=write_second)
            other.start()
            other.join(WAIT_FOR_SECOND_WRITER_S)
        other.join()
        assert failures == []
        with first.engine.connect() as conn:
            places = [r[0] for r in conn.execute(text("SELECT seq FROM audit_log ORDER BY seq"))]
            unsealed = conn.execute(text("SELECT count(*) FROM audit_log WHERE entry_hash IS NULL")).scalar()
    finally:
        first.close()
        second.close()
    assert places == list(range(1, len(places) + 1)) and unsealed == 0


def test_officers_on_other_pcs_do_not_start_new_incarnations(pg_url, monkeypatch):
    """A file written on another PC may be a copy living on beside the original; a
    server's database written from another officer's PC is the same database."""
    from gocong_desktop.core.db.portable import qmark_execute
    from gocong_desktop.core.storage.incarnation import read_clock

    create_office_database(pg_url, OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Tỉnh", province="Tỉnh",
                                               admin=FirstAdmin("quantri", "Quản trị", PASSWORD)))
    db = open_database(pg_url)
    try:
        accounts.sign_in(db, "quantri", PASSWORD)
        with db.engine.connect() as conn:
            before = read_clock(qmark_execute(conn))
        for pc, name in (("may-can-bo-1", "Công an tỉnh"), ("may-can-bo-2", "Công an tỉnh Tiền Giang")):
            monkeypatch.setenv("GOCONG_MACHINE_ID", pc)
            with db.session() as session:  # a synced record changed: stamped with the clock
                unit = session.get(AdminUnit, session.get(Office, 1).unit_id)
                unit.name = name
        with db.engine.connect() as conn:
            after = read_clock(qmark_execute(conn))
    finally:
        db.close()
    assert after.incarnation == before.incarnation and len(after.lineage) == 1
    assert after.change_seq == before.change_seq + 2
