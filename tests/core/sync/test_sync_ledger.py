"""The ledger's questions per sender, answered from the ``sender_unit_id`` and
``full`` columns (issue 16), and migration 0008 filling them in an upper
office's file from before it."""

from __future__ import annotations

import pytest

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.sync import export_package, import_package, import_packages
from gocong_desktop.core.sync.ledger import SenderLedger, list_imports, missing_sequences, received, senders
from gocong_desktop.core.upper.dashboard import commune_dashboard
from tests import app_sqlite as sqlite3
from tests.core.sync.conftest import edit_household, fingerprint_of, send, unit_of
from tests.core.sync.conftest import rows as sql_rows


def _query(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_each_senders_ledger_in_one_call(seeded, upper, usb: Path) -> None:
    hoa = seeded.households["Lê Thị Hoa"]
    send(seeded.db, upper, usb, full=True)
    edit_household(seeded.db, hoa, members=5)
    export_package(seeded.db, usb)  # number 2, lost on the way
    edit_household(seeded.db, hoa, members=6)
    _summary, third = send(seeded.db, upper, usb)
    assert third.status == "imported"
    unit = unit_of(seeded.db)
    with upper.session() as s:
        (ledger,) = senders(s).values()
        rows = list_imports(s, unit_id=unit)
        assert received(s, unit) == {1: True, 3: False}
    assert ledger == senders_answer(rows) and ledger.missing == [2]
    assert sql_rows(upper, "SELECT sequence, sender_unit_id, \"full\" FROM sync_package "
                              "WHERE direction = 'import' ORDER BY sequence") == [(1, unit, 1), (3, unit, 0)]


def senders_answer(rows) -> SenderLedger:
    """The same questions answered from the listed rows, as the dashboard did before."""
    newest = max(rows, key=lambda r: r.sequence or 0)
    got = {r.sequence: r.sequence == 1 for r in rows}
    return SenderLedger(packages=len(rows), last_sequence=newest.sequence, last_package_at=newest.created_at,
                        last_imported_at=max(r.imported_at for r in rows), missing=missing_sequences(got))


def test_a_commune_not_heard_from_has_no_ledger(upper) -> None:
    with upper.session() as s:
        assert senders(s) == {} and received(s, "không có") == {}


def _back_to_0007(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
        conn.exec_driver_sql("PRAGMA user_version=7")
        conn.commit()
    engine.dispose()


@pytest.mark.upper_sqlite
def test_an_upper_office_file_from_0007_gets_its_columns_filled(demo_communes, upper, usb: Path) -> None:
    communes = demo_communes(2)
    paths = [export_package(c.db, usb / "").path for c in communes]
    import_packages(upper, paths, trust=[fingerprint_of(p) for p in paths])
    with upper.session() as s:
        before = commune_dashboard(s)
    recorded = _query(upper.path, "SELECT id, sender_unit_id, \"full\" FROM sync_package ORDER BY id")
    upper.close()
    _back_to_0007(upper.path)
    columns = [r[1] for r in _query(upper.path, "PRAGMA table_info(sync_package)")]
    assert "sender_unit_id" not in columns and "full" not in columns

    upgraded = open_database(upper.path)  # migrates
    try:
        assert _query(upper.path, "SELECT id, sender_unit_id, \"full\" FROM sync_package ORDER BY id") == recorded
        assert {r[1] for r in recorded} == {c.unit_id for c in communes}
        with upgraded.session() as s:
            assert commune_dashboard(s) == before
        edit_household(communes[0].db, _any_household(communes[0].db.path), members=9)
        again = export_package(communes[0].db, usb).path
        assert import_package(upgraded, again).status == "imported"
        with upgraded.session() as s:
            (row,) = [r for r in commune_dashboard(s) if r.unit_id == communes[0].unit_id]
        assert row.last_sequence == 2 and row.missing_packages == []
    finally:
        upgraded.close()
    assert check_database(upper.path) == []


def _any_household(path: Path) -> str:
    return _query(path, "SELECT id FROM household WHERE deleted = 0 ORDER BY id LIMIT 1")[0][0]
