"""The database file: pragmas, migrations, refusing files we must not touch,
the record hook (version, updated_at, audit log) and rollback on failure."""

from __future__ import annotations

import json
import os
from tests import app_sqlite as sqlite3
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.engine import APPLICATION_ID, BUSY_TIMEOUT_MS, open_database
from gocong_desktop.core.db.models import AdminUnit, AuditEntry, Household, Office
from gocong_desktop.core.errors import DatabaseError, NotFoundError
from gocong_desktop.core.services import hamlets, households, office
from gocong_desktop.core.services.households import HouseholdInput
from tests.conftest import file_digest, table_counts

CID = "082090123456"  # structurally valid CCCD (Tiền Giang, born 1990)


def _raw(path: Path, sql: str):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _raw_exec(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    try:
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


@pytest.fixture
def closed_db(tmp_path: Path) -> Path:
    """A migrated, set-up database file, closed (no -wal left behind)."""
    path = tmp_path / "xa.db"
    database = open_database(path, create=True)
    with database.session() as s:
        office.setup_office(s, unit_name="Bình Tân")
    database.close()
    return path


# --------------------------------------------------------------------------- new file


def test_new_database_header_and_journal(closed_db: Path) -> None:
    assert _raw(closed_db, "PRAGMA journal_mode") == "wal"
    assert _raw(closed_db, "PRAGMA application_id") == APPLICATION_ID == 0x47434453
    assert _raw(closed_db, "PRAGMA user_version") == int(migrate.head_revision())
    assert _raw(closed_db, "SELECT version_num FROM alembic_version") == migrate.head_revision()


def test_connection_pragmas(db) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS >= 1000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_connection_used_last_is_handed_out_next(db) -> None:
    """Its cache of decrypted pages is warm: a search repeated while typing reads from it,
    not from a connection that must read the table in again (issue 16)."""
    with db.engine.connect() as a, db.engine.connect() as b, db.engine.connect() as c:
        used = [conn.connection.dbapi_connection for conn in (a, b, c)]
    # returned in the order c, b, a as the block unwinds: a was returned last
    for _ in range(3):
        with db.engine.connect() as conn:
            assert conn.connection.dbapi_connection is used[0]


def test_foreign_keys_enforced_in_sessions(db) -> None:
    with db.session() as s:
        assert s.exec(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Household(head_name="Nguyễn Văn Ba", hamlet_id="no-such-hamlet"))
            s.flush()
    with db.session() as s:
        assert s.exec(select(Household)).all() == []


def test_migrations_create_every_table(closed_db: Path) -> None:
    con = sqlite3.connect(closed_db)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()
    expected = set(SQLModel.metadata.tables)
    assert expected <= tables
    assert {"household", "meeting", "pledge", "evaluation", "audit_log", "office"} <= expected


# household <-> self_managed_group reference each other (group leader); alembic warns.
@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_models_and_migrations_agree(db) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def _indexes(path: Path) -> dict[str, tuple[str, list[str], bool]]:
    """Every index of the file: name -> (table, its columns, partial)."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            for _seq, name, _unique, _origin, partial in con.execute(f"PRAGMA index_list('{table}')").fetchall():
                columns = [r[2] for r in con.execute(f"PRAGMA index_info('{name}')")]
                out[name] = (table, columns, bool(partial))
        return out
    finally:
        con.close()


def _prefix_indexes(path: Path) -> set[str]:
    """Indexes whose columns begin another (whole-table) index of their table: that
    one serves their lookups, so they only cost pages on every write (issue 16)."""
    indexes = _indexes(path)
    return {name for name, (table, cols, _) in indexes.items()
            if any(other != name and t == table and not partial and len(c) > len(cols) and c[:len(cols)] == cols
                   for other, (t, c, partial) in indexes.items())}


def test_no_index_begins_another_of_its_table(closed_db: Path) -> None:
    assert _prefix_indexes(closed_db) == set()


def test_a_file_from_0013_loses_its_prefix_indexes_and_nothing_else(closed_db: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    head = _indexes(closed_db)
    engine = create_engine(f"sqlite:///{closed_db}")
    cfg = migrate.alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013")
        conn.exec_driver_sql("PRAGMA user_version=13")
        conn.commit()
    engine.dispose()
    assert {"ix_pledge_household_id", "ix_pledge_owner_unit_id", "ix_meeting_owner_unit_id",
            "ix_meeting_group_id"} <= _prefix_indexes(closed_db)
    counts = table_counts(closed_db)
    open_database(closed_db).close()  # migrates
    assert _indexes(closed_db) == head
    assert table_counts(closed_db) == counts


def test_reopen_is_a_no_op(closed_db: Path) -> None:
    """Opening an up-to-date file neither migrates nor makes a backup copy."""
    before = sorted(p.name for p in closed_db.parent.iterdir())
    database = open_database(closed_db)
    with database.session() as s:
        assert office.get_office(s).unit_name == "Bình Tân"
    database.close()
    assert sorted(p.name for p in closed_db.parent.iterdir()) == before


def test_empty_file_is_initialised_only_when_asked(tmp_path: Path) -> None:
    """A 0-byte file (made by a file picker) is a new database when set up on
    purpose; a command that only opens it refuses it untouched."""
    path = tmp_path / "moi.db"
    path.touch()
    with pytest.raises(DatabaseError, match="trống"):
        open_database(path)
    assert path.stat().st_size == 0
    database = open_database(path, create=True)
    database.close()
    assert _raw(path, "PRAGMA application_id") == APPLICATION_ID


def test_vietnamese_path_with_spaces(tmp_path: Path) -> None:
    path = tmp_path / "Nguyễn Văn A" / "dữ liệu.db"
    database = open_database(path, create=True)
    with database.session() as s:
        office.setup_office(s, unit_name="Đồng Sơn")
    database.forget_office()
    with database.session() as s:
        hamlets.add_hamlet(s, "Thạnh Phong")
    database.close()
    assert path.is_file()
    database = open_database(path)
    with database.session() as s:
        assert [h.name for h in hamlets.list_hamlets(s)] == ["Thạnh Phong"]
    database.close()


@pytest.mark.parametrize("name", ["Tổ #5.db", "50% ấp.db", "a%20b.db"]
                         + ([] if os.name == "nt" else ["x?.db"]))
def test_file_names_with_url_characters(tmp_path: Path, name: str) -> None:
    """"#", "%" and "?" are legal in file names; the file opened is the file named."""
    path = tmp_path / name
    database = open_database(path, create=True)
    database.close()
    database = open_database(path)
    database.close()
    assert _files(tmp_path) == [name]


def test_newer_database_with_hash_in_name_refused(tmp_path: Path) -> None:
    path = tmp_path / "Tổ #5.db"
    open_database(path, create=True).close()
    _raw_exec(path, f"PRAGMA user_version={int(migrate.head_revision()) + 1}")
    _assert_refused(path, "mới hơn")


def test_missing_file_without_create(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.db"
    with pytest.raises(NotFoundError) as err:
        open_database(path)
    assert "Không tìm thấy" in err.value.message
    assert not path.exists()


def test_backup_copy_is_complete(closed_db: Path) -> None:
    copy = migrate.backup_copy(closed_db, "0001")
    assert copy != closed_db and copy.is_file()
    assert _raw(copy, "SELECT count(*) FROM office") == 1
    assert _raw(copy, "PRAGMA integrity_check") == "ok"


# --------------------------------------------------------------------------- refusals


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _assert_refused(path: Path, *words: str) -> None:
    digest = file_digest(path)
    files = _files(path.parent)
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    for word in words:
        assert word in err.value.message
    assert file_digest(path) == digest
    assert _files(path.parent) == files  # no backup copy, nothing created beside it


def test_newer_user_version_refused_untouched(closed_db: Path) -> None:
    _raw_exec(closed_db, f"PRAGMA user_version={int(migrate.head_revision()) + 1}")
    _assert_refused(closed_db, "mới hơn", "cập nhật")


def test_unknown_alembic_revision_refused_untouched(closed_db: Path) -> None:
    _raw_exec(closed_db, "UPDATE alembic_version SET version_num='9999'")
    _assert_refused(closed_db, "mới hơn", "cập nhật")


def test_non_sqlite_file_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "danh-sach.db"
    path.write_bytes("Họ tên,Năm sinh\nNguyễn Văn Ba,1962\n".encode() * 200)
    _assert_refused(path)


def test_foreign_sqlite_database_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "khac.db"
    _raw_exec(path, "CREATE TABLE contacts (name TEXT)", "INSERT INTO contacts VALUES ('Ba')")
    assert _raw(path, "PRAGMA application_id") == 0
    _assert_refused(path, "không phải cơ sở dữ liệu của gocong_desktop")


def test_other_application_id_refused_untouched(closed_db: Path) -> None:
    _raw_exec(closed_db, "PRAGMA application_id=1234")
    _assert_refused(closed_db, "không phải")


def test_directory_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError):
        open_database(tmp_path)


# --------------------------------------------------------------------------- record hook


def _audit(db, record_id: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.record_id == record_id)
                           .order_by(AuditEntry.at)).all())


def test_version_and_updated_at(db) -> None:
    with db.session() as s:
        hamlet_id = hamlets.add_hamlet(s, "Lợi An")
    with db.session() as s:
        unit = s.get(AdminUnit, hamlet_id)
        assert unit.version == 1
        first_update = unit.updated_at
        assert unit.created_at == first_update
    time.sleep(0.002)
    with db.session() as s:
        hamlets.rename_hamlet(s, hamlet_id, "Lợi An Đông")
    with db.session() as s:
        unit = s.get(AdminUnit, hamlet_id)
        assert unit.version == 2
        assert unit.updated_at > first_update
        assert unit.created_at == first_update
        second_update = unit.updated_at
    # Assigning the value it already has is not a change.
    with db.session() as s:
        unit = s.get(AdminUnit, hamlet_id)
        unit.name = "Lợi An Đông"
        unit.code = None
    with db.session() as s:
        unit = s.get(AdminUnit, hamlet_id)
        assert unit.version == 2
        assert unit.updated_at == second_update
    assert [a.action for a in _audit(db, hamlet_id)] == ["create", "update"]


def test_owner_unit_is_the_office_unit(db) -> None:
    with db.session() as s:
        hamlet_id = hamlets.add_hamlet(s, "Lợi An")
        unit_id = s.get(Office, 1).unit_id
    with db.session() as s:
        assert s.get(AdminUnit, hamlet_id).owner_unit_id == unit_id


def test_audit_log_changes_and_masked_citizen_id(db) -> None:
    with db.session(actor="can-bo-xa") as s:
        hamlet_id = hamlets.add_hamlet(s, "Lợi An")
        hid = households.create_household(s, HouseholdInput(
            head_name="Nguyễn Văn Ba", hamlet_id=hamlet_id, citizen_id=CID, members=3))
    with db.session(actor="can-bo-xa") as s:
        households.update_household(s, hid, HouseholdInput(
            head_name="Nguyễn Văn Bá", hamlet_id=hamlet_id, citizen_id="087190654321", members=4))
    with db.session(actor="can-bo-xa") as s:
        households.delete_household(s, hid)
    entries = _audit(db, hid)
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.actor == "can-bo-xa" and e.table_name == "household" for e in entries)
    changes = json.loads(entries[1].changes_json)
    assert changes["head_name"] == ["Nguyễn Văn Ba", "Nguyễn Văn Bá"]
    assert changes["members"] == [3, 4]
    assert changes["citizen_id"] == ["***", "***"]
    assert "version" not in changes and "updated_at" not in changes
    assert json.loads(entries[2].changes_json) == {"deleted": [False, True]}
    # The ID numbers appear nowhere in the audit table.
    con = sqlite3.connect(db.path)
    try:
        dump = " ".join(str(r) for r in con.execute("SELECT * FROM audit_log"))
    finally:
        con.close()
    assert CID not in dump and "087190654321" not in dump


def test_failing_session_rolls_back_everything(db) -> None:
    with db.session() as s:
        hamlets.add_hamlet(s, "Lợi An")
    before = table_counts(db.path)
    with pytest.raises(RuntimeError):
        with db.session() as s:
            hamlet_id = hamlets.add_hamlet(s, "Đồng Sơn")
            households.create_household(s, HouseholdInput(head_name="Lê Thị Hoa", hamlet_id=hamlet_id))
            raise RuntimeError("power cut")
    assert table_counts(db.path) == before
    with db.session() as s:
        assert [h.name for h in hamlets.list_hamlets(s)] == ["Lợi An"]


def test_revision_ids_from_file_names_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert migrate.head_revision() == script.get_current_head()


def test_a_folder_sqlite_cannot_write_in_is_told_in_words(tmp_path: Path) -> None:
    from tests import app_sqlite as sqlite3

    from gocong_desktop.core.sqlite.io_errors import storage_error

    exc = sqlite3.OperationalError("unable to open database file")
    exc.sqlite_errorcode = 14  # SQLITE_CANTOPEN: WAL cannot make its -shm beside a read-only file
    friendly = storage_error(exc, tmp_path / "usb khoá" / "xa.db")
    assert friendly is not None and "chỉ đọc" in friendly.message and "usb khoá" in friendly.message
