"""The audit log's hash chain: entries sealed in order, tampering caught by ``check``."""

from __future__ import annotations

from tests import app_sqlite as sqlite3

import pytest

from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.services import households
from tests.conftest import Seeded, copy_database


def _chain(path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT seq, action, prev_hash, entry_hash, chain_id FROM audit_log "
                           "ORDER BY seq").fetchall()
    finally:
        con.close()


def _rules(path) -> set[str]:
    return {p.rule for p in check_database(path)}


@pytest.fixture
def changed(seeded: Seeded):
    """The seeded office plus an update and a delete: create, update, delete entries."""
    hid = seeded.households["Lê Thị Hoa"]
    with seeded.db.session(actor="tester") as s:
        data = households.household_input(s, hid)
        data.phone = "0901234567"
        households.update_household(s, hid, data)
    with seeded.db.session(actor="tester") as s:
        households.delete_household(s, seeded.households["Võ Thị Ánh"])
    seeded.db.close()
    return seeded.db.path


def test_create_update_delete_are_chained(changed):
    chain = _chain(changed)
    assert {"create", "update", "delete"} <= {action for _, action, *_ in chain}
    assert [seq for seq, *_ in chain] == list(range(1, len(chain) + 1))
    assert chain[0][2] == ""
    for before, after in zip(chain, chain[1:]):
        assert after[2] == before[3]  # each entry names the one before it
    assert len({c[4] for c in chain}) == 1
    assert check_database(changed) == []


@pytest.mark.parametrize("tamper", [
    "UPDATE audit_log SET actor = 'ai đó' WHERE seq = 3",
    "UPDATE audit_log SET changes_json = '{}' WHERE action = 'update'",
    "DELETE FROM audit_log WHERE seq = 2",
    "UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3;"
    "UPDATE audit_log SET seq = 3 WHERE seq = -1",
    "UPDATE audit_log SET entry_hash = NULL WHERE seq = 4",
])
def test_tampering_fails_check(changed, tamper):
    con = sqlite3.connect(changed)
    con.executescript(tamper)
    con.close()
    assert "audit_chain" in _rules(changed)


def test_core_inserted_entry_is_sealed_at_next_flush(seeded: Seeded):
    with seeded.db.session() as s:
        s.connection().exec_driver_sql(
            "INSERT INTO audit_log (id, at, actor, action, table_name, record_id) "
            "VALUES ('x1', '2026-01-01 00:00:00.000000', 'sync', 'import', 'sync_package', 'p1')")
    assert check_database(seeded.db.path) == []  # unsealed, not yet a problem
    with seeded.db.session() as s:
        households.delete_household(s, seeded.households["Lê Thị Hoa"])
    seeded.db.close()
    chain = _chain(seeded.db.path)
    assert [c[1] for c in chain][-2:] == ["import", "delete"]
    assert all(c[3] for c in chain)
    assert check_database(seeded.db.path) == []


def test_restored_copy_may_fork_the_chain(seeded: Seeded, tmp_path):
    """A backup restored after its later entries were sent away goes on from an
    earlier place; those entries coming back (by sync) are no tampering."""

    from gocong_desktop.core.db.engine import open_database

    seeded.db.close()
    backup = tmp_path / "sao-luu.db"
    copy_database(seeded.db.path, backup)
    for path, name in ((seeded.db.path, "Lê Thị Hoa"), (backup, "Võ Thị Ánh")):
        database = open_database(path)
        with database.session() as s:
            households.delete_household(s, seeded.households[name])
        database.close()
    con = sqlite3.connect(backup)
    con.execute("ATTACH ? AS sent", (str(seeded.db.path),))
    con.execute("INSERT INTO audit_log SELECT * FROM sent.audit_log WHERE id NOT IN (SELECT id FROM audit_log)")
    con.commit()
    con.close()
    assert len({seq for seq, *_ in _chain(backup)}) == len(_chain(backup)) - 1  # one place twice
    assert check_database(backup) == []
