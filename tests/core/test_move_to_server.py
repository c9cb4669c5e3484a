"""Moving an upper office's file to PostgreSQL (issue 19): every table copied and
verified by count and digest, in one transaction; the file left byte-for-byte as it
was, also when refused; the audit chain valid on the server, the move its entry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo.accounts import PASSWORD as DEMO_PASSWORD
from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.db.table_copy import copy_order
from gocong_desktop.core.db.table_digest import TableDigest, database_digests, read_only_file_engine
from gocong_desktop.core.errors import DatabaseError, NotFoundError, PermissionDeniedError
from gocong_desktop.core.services import accounts
from gocong_desktop.core.sqlite.raw import connect
from gocong_desktop.core.storage.audit_chain import chain_problems
from gocong_desktop.core.storage.lock import DatabaseInUseError
from gocong_desktop.core.upper.move_to_server import ACTION, CopyMismatch, move_to_server, mover, verify_copy
from tests.conftest import HOLD_LOCK, copy_database, file_digest
from tests.core.sync.conftest import make_upper_office

pytestmark = pytest.mark.pg

PASSWORD = "Mat-khau-quan-tri-9"
# Written by the move itself on the server: the new incarnation, its chain id, its entry.
MOVE_WRITES = {"sync_clock", "app_setting", "audit_log"}


def server_engine(url: str):
    return create_engine(parse_server_url(url).url)


def file_digests(path: Path) -> dict[str, TableDigest]:
    engine = read_only_file_engine(path)
    try:
        with engine.connect() as conn:
            return database_digests(conn)
    finally:
        engine.dispose()


def server_tables(url: str) -> set[str]:
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


class ServerCursor:
    """``con.execute(sql, params)`` with "?" placeholders on a server's DB-API connection,
    for code written against sqlite3 (the audit chain's check)."""

    def __init__(self, raw) -> None:
        self.raw = raw

    def execute(self, sql: str, params=()):
        cursor = self.raw.cursor()
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor


@pytest.fixture
def source(tmp_path, upper_with_communes) -> Path:
    return copy_database(upper_with_communes, tmp_path / "tinh.db")


def test_every_table_arrives_with_every_value(source, pg_empty_url):
    before, seen = file_digest(source), []
    summary = move_to_server(source, parse_server_url(pg_empty_url), actor="quantri",
                             on_progress=lambda table, rows: seen.append(table))
    assert file_digest(source) == before
    assert all(t.matches for t in summary.tables) and {t.name for t in summary.tables} == set(seen)
    rows = {t.name: t.source.rows for t in summary.tables}
    assert rows["household"] == 200 and rows["meeting"] > 0 and rows["self_managed_group"] > 0
    engine = server_engine(pg_empty_url)
    try:
        with engine.connect() as conn:
            after = database_digests(conn)
    finally:
        engine.dispose()
    expected = file_digests(source)
    assert {k: v for k, v in after.items() if k not in MOVE_WRITES} == \
           {k: v for k, v in expected.items() if k not in MOVE_WRITES}
    assert after["audit_log"].rows == expected["audit_log"].rows + 1


def test_groups_keep_their_leaders_and_units_their_parents(source, pg_empty_url):
    """The references no table order satisfies are filled in after every table."""
    move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    _order, late = copy_order()
    assert {c.name for c in late["self_managed_group"]} == {"leader_household_id", "deputy_household_id"}
    query = "SELECT count(leader_household_id), count(parent_id) FROM self_managed_group, admin_unit"
    con = connect(source)
    try:
        in_file = con.execute(query).fetchone()
    finally:
        con.close()
    engine = server_engine(pg_empty_url)
    try:
        with engine.connect() as conn:
            assert tuple(conn.execute(text(query)).one()) == tuple(in_file) and in_file[0] > 0
    finally:
        engine.dispose()


def test_the_chain_is_valid_on_the_server_and_the_move_ends_a_new_chain(source, pg_empty_url):
    """Entries the file had not sealed yet (an import's summary waits for the next
    flush) are sealed first in the new chain, the move after them."""
    move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    engine = server_engine(pg_empty_url)
    try:
        with engine.connect() as conn:
            problems = chain_problems(ServerCursor(conn.connection.dbapi_connection))
            moves = conn.execute(text("SELECT actor, seq, chain_id, changes_json FROM audit_log WHERE action = :a"),
                                 {"a": ACTION}).all()
            chain = conn.execute(text("SELECT max(seq) FROM audit_log WHERE chain_id = :c"),
                                 {"c": moves[0].chain_id}).scalar()
            reason = conn.execute(text("SELECT lineage_json, machine FROM sync_clock")).one()
    finally:
        engine.dispose()
    con = connect(source)
    try:
        file_chains = {r[0] for r in con.execute("SELECT DISTINCT chain_id FROM audit_log")}
    finally:
        con.close()
    assert problems == []
    assert len(moves) == 1 and moves[0].actor == "quantri" and moves[0].seq == chain
    assert moves[0].chain_id not in file_chains
    assert str(source) in moves[0].changes_json and "mật-khẩu" not in moves[0].changes_json
    assert '"reason": "migrate"' in reason.lineage_json and reason.machine is None


def test_the_server_database_works_afterwards_and_numbers_continue(source, pg_empty_url):
    move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    db = open_database(pg_empty_url)
    try:
        with db.engine.begin() as conn:
            serials = conn.execute(text(
                "SELECT c.table_name, c.column_name, pg_get_serial_sequence(c.table_name, c.column_name) "
                "FROM information_schema.columns c WHERE c.table_schema = 'public' "
                "AND pg_get_serial_sequence(c.table_name, c.column_name) IS NOT NULL")).all()
            for table, column, sequence in serials:
                highest = conn.execute(text(f'SELECT coalesce(max("{column}"), 0) FROM "{table}"')).scalar()
                assert conn.execute(text("SELECT nextval(:s)"), {"s": sequence}).scalar() > highest, table
    finally:
        db.close()
    assert serials


def test_a_difference_names_the_table(source, pg_url):
    engine = server_engine(pg_url)
    try:
        with engine.connect() as conn:
            digests = database_digests(conn)
            digests["household"] = TableDigest(digests["household"].rows + 1, "0" * 64)
            with pytest.raises(CopyMismatch, match="household"):
                verify_copy(conn, digests)
    finally:
        engine.dispose()


def test_a_row_the_server_refuses_rolls_everything_back(source, pg_empty_url):
    """A NUL in a bookkeeping column no form writes (in a name, the forms' rules
    refuse the file before the copy: test_move_to_server_hostile.py)."""
    con = connect(source)
    con.execute("UPDATE household SET origin = 'máy' || char(0) || 'A' "
                "WHERE rowid = (SELECT min(rowid) FROM household)")
    con.commit()
    con.close()
    before = file_digest(source)
    with pytest.raises(DatabaseError, match="bảng «household»"):
        move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    assert server_tables(pg_empty_url) == set() and file_digest(source) == before


def test_a_commune_file_is_refused_before_the_server_is_touched(demo_communes, pg_empty_url):
    commune = demo_communes(1)[0].db
    path = commune.path
    commune.close()
    before = file_digest(path)
    with pytest.raises(DatabaseError, match="của một xã"):  # its administrator's password: refused all the same
        move_to_server(path, parse_server_url(pg_empty_url), actor="quantri", password=DEMO_PASSWORD)
    assert file_digest(path) == before and server_tables(pg_empty_url) == set()


def test_a_database_with_data_is_refused_untouched(source, pg_url, tmp_path):
    other = make_upper_office(tmp_path / "khac.db")
    move_to_server(other, parse_server_url(pg_url), actor="quantri")  # the schema alone is taken
    before = file_digest(source)
    engine = server_engine(pg_url)
    try:
        with engine.connect() as conn:
            held = database_digests(conn)
        with pytest.raises(DatabaseError, match="đã có dữ liệu"):
            move_to_server(source, parse_server_url(pg_url), actor="quantri")
        with engine.connect() as conn:
            assert database_digests(conn) == held
    finally:
        engine.dispose()
    assert file_digest(source) == before


@pytest.mark.parametrize("revision, words", [("0013", "phiên bản cũ hơn"), ("9999", "mới hơn")])
def test_a_file_of_another_schema_version_is_refused(source, pg_empty_url, revision, words):
    con = connect(source)
    con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.commit()
    con.close()
    before = file_digest(source)
    with pytest.raises(DatabaseError, match=words):
        move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    assert file_digest(source) == before and server_tables(pg_empty_url) == set()


def test_a_missing_file_or_another_programs_is_refused(tmp_path, pg_empty_url):
    with pytest.raises(NotFoundError, match="Không tìm thấy"):
        move_to_server(tmp_path / "khong-co.db", parse_server_url(pg_empty_url), actor="quantri")
    other = tmp_path / "bang-tinh.db"
    other.write_bytes(b"PK\x03\x04 not a database" * 100)
    with pytest.raises(DatabaseError, match="gocong_desktop"):
        move_to_server(other, parse_server_url(pg_empty_url), actor="quantri")
    assert server_tables(pg_empty_url) == set()


def test_who_moves_a_plain_file_with_accounts_is_its_administrator(tmp_path):
    """Checked from the file's password hashes, read only: the file is not written."""
    path = make_upper_office(tmp_path / "tinh.db")
    assert mover(path, None, None) is None  # no accounts: whoever can read the file
    db = open_database(path)
    try:
        with db.session() as session:
            accounts.create_first_admin(session, username="quantri", display_name="Quản trị", password=PASSWORD)
        accounts.sign_in(db, "quantri", PASSWORD)
        with db.session() as session:
            accounts.add_account(session, username="canbo", display_name="Cán bộ", role="clerk", password=PASSWORD)
    finally:
        db.close()
    before = file_digest(path)
    assert mover(path, "quantri", PASSWORD).username == "quantri"
    with pytest.raises(PermissionDeniedError, match="không đúng"):
        mover(path, "quantri", "sai-mat-khau")
    with pytest.raises(PermissionDeniedError, match="Chỉ quản trị viên"):
        mover(path, "canbo", PASSWORD)
    with pytest.raises(PermissionDeniedError, match="--user"):
        mover(path, None, None)
    assert file_digest(path) == before


def test_a_file_open_in_the_window_is_not_moved(source, pg_empty_url):
    """The window may write while the file is read: the move waits for no one."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(source)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUseError):
            move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    finally:
        holder.communicate("")
    assert server_tables(pg_empty_url) == set()
