"""Migration 0005: an upper office's file from before it (chains hashed over the
values themselves) comes out with its own chain sealed again under a new chain
id, a record of the old one, and the communes' entries kept in their chains,
given their sender, and re-hashed the new way — ``check`` passing throughout,
and the communes' next packages (their chains sealed again too) still imported."""

from __future__ import annotations

import pytest

import importlib.util
import json
from tests import app_sqlite as sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from gocong_desktop.core.storage import audit_chain
from gocong_desktop.core.db import migrate
from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services import households
from gocong_desktop.core.sync import export_package, import_package
from tests.core.sync.conftest import fingerprint_of, unit_of

_spec = importlib.util.spec_from_file_location(
    "migration_0005", migrate.MIGRATIONS_DIR / "versions" / "0005_audit_field_digests.py")
m0005 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(m0005)


def _back_to_0004(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
        conn.exec_driver_sql("PRAGMA user_version=4")
        conn.commit()
    engine.dispose()


def _seal_the_old_way(path: Path) -> None:
    """Every chain hashed as before 0005: over the values themselves."""
    con = sqlite3.connect(path)
    try:
        for (chain_id,) in con.execute("SELECT DISTINCT chain_id FROM audit_log WHERE chain_id IS NOT NULL").fetchall():
            hashes: dict[int, str] = {}
            rows = con.execute(f"SELECT rowid, seq, {m0005._OLD_FIELDS} FROM audit_log WHERE chain_id = ? "
                               "ORDER BY seq, rowid", (chain_id,)).fetchall()
            for rowid, seq, *fields in rows:
                prev = audit_chain.GENESIS if seq == 1 else hashes[seq - 1]
                hashes[seq] = m0005._old_hash(chain_id, seq, prev, fields)
                con.execute("UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE rowid = ?",
                            (prev, hashes[seq], rowid))
        con.commit()
    finally:
        con.close()


def _query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _chain_setting(path: Path) -> str:
    return json.loads(_query(path, "SELECT value_json FROM app_setting WHERE key = 'audit_chain_id'")[0][0])


@pytest.mark.upper_sqlite
def test_an_upper_office_file_from_0004_is_sealed_again_and_keeps_passing_check(seeded, upper, usb: Path):
    hoa = seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        data = households.household_input(s, hoa)
        data.head_name = "Lê Thị Hoa Mai"
        households.update_household(s, hoa, data)
    first = export_package(seeded.db, usb).path
    import_package(upper, first, trust=[fingerprint_of(first)])
    commune = unit_of(seeded.db)
    upper.close()
    _back_to_0004(upper.path)
    _seal_the_old_way(upper.path)
    old_chain = _chain_setting(upper.path)
    theirs = {r[0] for r in _query(upper.path, "SELECT DISTINCT chain_id FROM audit_log WHERE chain_id != ?",
                                   (old_chain,))}
    tampered = _query(upper.path, "SELECT id FROM audit_log WHERE chain_id = ? AND seq = 2", (old_chain,))[0][0]
    con = sqlite3.connect(upper.path)
    con.execute("UPDATE audit_log SET actor = 'ai đó' WHERE id = ?", (tampered,))
    con.commit()
    con.close()

    open_database(upper.path).close()  # migrates

    assert check_database(upper.path) == []
    new_chain = _chain_setting(upper.path)
    assert new_chain != old_chain
    (record,) = _query(upper.path, "SELECT changes_json FROM audit_log WHERE action = 'reseal'")
    record = json.loads(record[0])
    assert record["old_chain_id"] == old_chain and record["not_matching"] == [tampered]
    assert len(record["old_head_hash"]) == 64
    kept = _query(upper.path, "SELECT DISTINCT chain_id, origin_unit_id FROM audit_log "
                              "WHERE origin_unit_id IS NOT NULL")
    assert kept == [(next(iter(theirs)), commune)]
    assert _query(upper.path, "SELECT count(*) FROM audit_log WHERE origin_unit_id IS NULL AND chain_id != ?",
                  (new_chain,)) == [(0,)]

    # The commune's own migration seals its chain again under a new id: its next
    # full package sends the entries the upper office holds already, and new ones.
    with seeded.db.session() as s:
        connection = s.connection()
        audit_chain.reseal(lambda sql, params: connection.exec_driver_sql(sql, params), chain_id="xa-moi")
        households.delete_household(s, seeded.households["Võ Thị Ánh"])
    again = export_package(seeded.db, usb, full=True).path
    upgraded = open_database(upper.path)
    try:
        result = import_package(upgraded, again, trust=[fingerprint_of(again)])
    finally:
        upgraded.close()
    assert result.status == "imported" and result.conflicts == 0 and result.changes["audit_log"].new >= 1
    assert check_database(upper.path) == []


def test_a_new_file_needs_no_reseal(db):
    db.close()
    assert _query(db.path, "SELECT count(*) FROM audit_log WHERE action = 'reseal'") == [(0,)]
