"""``upper migrate --from`` a crafted file (issue 19): what a file may hold besides
the office's tables (triggers, views, tables of its own) never runs and never
travels; rows breaking the models' rules are refused by the server or reported by
``check`` there; a file whose revision is ours but whose tables are not, a pg_dump
file and a commune's file are refused with the file and the server untouched."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import text

from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.maintenance.server_backup import write_server_backup
from gocong_desktop.core.sqlite.raw import connect
from gocong_desktop.core.upper.move_to_server import move_to_server
from tests.conftest import copy_database, file_digest
from tests.core.test_move_to_server import server_engine, server_tables

pytestmark = pytest.mark.pg


@pytest.fixture
def source(tmp_path, upper_with_communes) -> Path:
    return copy_database(upper_with_communes, tmp_path / "tinh.db")


def _crafted(path: Path, *statements: str) -> str:
    con = connect(path)
    try:
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()
    return file_digest(path)


def _server(url: str, sql: str) -> list[tuple]:
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _move(source: Path, url: str):
    return move_to_server(source, parse_server_url(url), actor="quantri")


def _refused(source: Path, url: str, words: str) -> None:
    before = file_digest(source)
    with pytest.raises(DatabaseError, match=words) as refused:
        _move(source, url)
    assert "\n" not in str(refused.value)
    assert file_digest(source) == before and server_tables(url) == set()


def test_triggers_views_and_tables_of_the_file_never_run_nor_travel(source, pg_empty_url):
    before = _crafted(
        source, "CREATE TABLE canary (n INTEGER)",
        "CREATE TRIGGER t_read AFTER UPDATE ON household BEGIN INSERT INTO canary VALUES (1); END",
        "CREATE TRIGGER t_del BEFORE DELETE ON account BEGIN INSERT INTO canary VALUES (2); END",
        "CREATE TRIGGER t_ins AFTER INSERT ON audit_log BEGIN DELETE FROM household; END",
        "CREATE VIEW v_all AS SELECT * FROM household", "CREATE TABLE extra (secret TEXT)",
        "INSERT INTO extra VALUES ('không được lên máy chủ')")
    summary = _move(source, pg_empty_url)
    assert summary.rows > 0 and file_digest(source) == before
    con = connect(source)
    assert con.execute("SELECT count(*) FROM canary").fetchone() == (0,)
    con.close()
    on_server = server_tables(pg_empty_url)
    assert not on_server & {"canary", "extra", "v_all"}
    assert _server(pg_empty_url, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal") == [(0,)]
    assert _server(pg_empty_url, "SELECT count(*) FROM pg_views WHERE schemaname = current_schema()") == [(0,)]


def test_a_table_replaced_by_a_view_is_refused(source, pg_empty_url):
    _crafted(source, "ALTER TABLE pledge_campaign RENAME TO pledge_campaign_old",
             "CREATE VIEW pledge_campaign AS SELECT * FROM pledge_campaign_old")
    _refused(source, pg_empty_url, "pledge_campaign")


def test_our_revision_over_tables_that_are_not_ours_is_refused(source, pg_empty_url):
    _crafted(source, "ALTER TABLE household ADD COLUMN extra TEXT")
    _refused(source, pg_empty_url, "khác lược đồ")


@pytest.mark.parametrize("sql", [
    "UPDATE household SET members = 'nhiều' WHERE rowid = (SELECT min(rowid) FROM household)",
    "UPDATE household SET moved_out_date = 'hôm qua' WHERE rowid = (SELECT min(rowid) FROM household)",
    "UPDATE account SET active = 'có' WHERE rowid = (SELECT min(rowid) FROM account)",
    "UPDATE household SET deleted = 'false' WHERE rowid = (SELECT min(rowid) FROM household)",
], ids=["text_in_a_number", "text_in_a_date", "text_in_a_boolean", "false_as_text"])
def test_a_value_its_column_cannot_hold_is_refused_naming_the_table(source, pg_empty_url, sql):
    if "account" in sql:
        _crafted(source, "INSERT INTO account (id, username, display_name, role, password_hash, active, "
                         "created_at, updated_at) VALUES ('a1', 'xem', 'Xem', 'viewer', 'x', 1, "
                         "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    _crafted(source, sql)
    _refused(source, pg_empty_url, "Không chép được bảng|khác tệp gốc|có/không không hợp lệ|biểu mẫu.*không nhận")


NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Đào")
_FIRST = "WHERE rowid = (SELECT min(rowid) FROM household)"


@pytest.mark.parametrize("sql, said", [
    (f"UPDATE household SET members = 999 {_FIRST}", "trường «members» (số nhân khẩu) phải từ 1 đến 50"),
    (f"UPDATE household SET head_name = '{'A' * 5000}' {_FIRST}", "trường «head_name» (họ tên chủ hộ) quá dài"),
    (f"UPDATE household SET gender = 'khác' {_FIRST}", "trường «gender» (giới tính) không hợp lệ"),
    (f"UPDATE household SET head_name = '{NFD_NAME}' {_FIRST}", "chưa ở dạng Unicode dựng sẵn (NFC)"),
    (f"UPDATE household SET head_name = 'Nguyễn' || char(0) || 'Văn' {_FIRST}", "có ký tự điều khiển ẩn (U+0000)"),
    ("UPDATE pledge SET signed_date = '2025-02-30' WHERE rowid = (SELECT min(rowid) FROM pledge)",
     "trường «signed_date» (ngày ký) không phải ngày hợp lệ"),
], ids=["number_range", "text_length", "choice", "nfc", "control_character", "date"])
def test_a_value_no_form_accepts_is_refused_before_anything_is_copied(source, pg_empty_url, sql, said):
    before = _crafted(source, sql)
    with pytest.raises(DatabaseError) as refused:
        _move(source, pg_empty_url)
    message = str(refused.value)
    assert said in message and "Bản ghi " in message and "\n" not in message
    assert f'«gocong-desktop check --full --db "{source}"»' in message and "máy chủ chưa thay đổi gì" in message
    assert file_digest(source) == before and server_tables(pg_empty_url) == set()


def test_at_most_three_bad_values_are_named(source, pg_empty_url):
    _crafted(source, "UPDATE household SET members = 0")
    with pytest.raises(DatabaseError) as refused:
        _move(source, pg_empty_url)
    message = str(refused.value)
    assert message.count("«members»") == 3 and "; còn các giá trị sai khác. Không chuyển được" in message
    assert server_tables(pg_empty_url) == set()


def test_rows_breaking_the_rules_are_moved_and_reported_by_check_there(source, pg_empty_url):
    _crafted(source, "INSERT INTO account (id, username, display_name, role, password_hash, active, created_at, "
                     "updated_at) VALUES ('a1', 'xem', 'Xem', 'boss', 'x', 1, '2026-01-01 00:00:00', "
                     "'2026-01-01 00:00:00')",
             "UPDATE account SET role = 'admin' WHERE username <> 'xem'")
    _move(source, pg_empty_url)
    said = " ".join(p.message for p in check_database(parse_server_url(pg_empty_url)))
    assert "vai trò không hợp lệ «boss»" in said


def test_a_pg_dump_file_is_refused(tmp_path, pg_url, pg_empty_url):
    dump = write_server_backup(parse_server_url(pg_url), tmp_path)
    _refused(dump, pg_empty_url, "không phải|gocong_desktop")
