"""``check`` on PostgreSQL (issue 19): the same rules find the same planted problems,
with the same messages, in an upper office's file and in the server database it was
moved to. (Each rule's own cases on a commune's file are in ``test_check.py``.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import IntegrityError

from gocong_desktop.core.db.engine import make_engine
from gocong_desktop.core.db.location import ServerAddress, parse_server_url
from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.upper.move_to_server import move_to_server
from tests import app_sqlite as sqlite3
from tests.conftest import copy_database
from tests.core.test_check import _drop_unique

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def moved(tmp_path_factory, upper_with_communes, pg_server) -> tuple[Path, str]:
    """The upper office's file and the name of the server database it was moved to
    (a template: each test checks copies of both)."""
    path = copy_database(upper_with_communes, tmp_path_factory.mktemp("check-both") / "tinh.db")
    name = pg_server.new_database()
    move_to_server(path, ServerAddress(pg_server.url(name)), actor="quantri")
    return path, name


@pytest.fixture
def stores(moved, pg_server, tmp_path) -> list[tuple[Path | str, Callable[[], object]]]:
    """[(location, engine maker)] for a copy of the file and a copy of the server database."""
    path, name = moved
    copy = copy_database(path, tmp_path / "tinh.db")
    url = pg_server.url_text(pg_server.new_database(template=name))
    return [(copy, lambda: make_engine(copy)), (url, lambda: create_engine(parse_server_url(url).url))]


def planted(stores, plant: Callable[[Connection], None], *, full: bool = False) -> list[dict[str, list[str]]]:
    """``plant`` run on each store, then each store's problems by rule (``full``: ``check --full``'s)."""
    found = []
    for location, engine_of in stores:
        engine = engine_of()
        try:
            with engine.begin() as conn:
                plant(conn)
        finally:
            engine.dispose()
        rules: dict[str, list[str]] = {}
        for problem in check_database(location, full=full):
            rules.setdefault(problem.rule, []).append(problem.message)
        found.append(rules)
    return found


def one(conn: Connection, sql: str, **params) -> tuple:
    return tuple(conn.execute(text(sql), params).first())


def test_the_moved_office_passes_on_both_stores(stores):
    assert [check_database(location) for location, _engine in stores] == [[], []]
    assert [check_database(location, full=True) for location, _engine in stores] == [[], []]


def test_values_no_form_accepts_are_named_alike_on_both_stores(stores):
    """Read as each store returns them (text on a file; dates, times and numbers on a
    server), a tombstone's too: the same records, fields and words (in each table's
    stored order, which an update changes on a server)."""
    def plant(conn):
        first, second = (r[0] for r in conn.execute(text(
            "SELECT id FROM household WHERE id NOT IN (SELECT leader_household_id FROM self_managed_group "
            "WHERE leader_household_id IS NOT NULL UNION SELECT deputy_household_id FROM self_managed_group "
            "WHERE deputy_household_id IS NOT NULL) ORDER BY id LIMIT 2")))
        conn.execute(text("UPDATE household SET members = 999 WHERE id = :h"), {"h": first})
        conn.execute(text("UPDATE household SET deleted = :yes, moved_out_date = :day WHERE id = :h"),
                     {"yes": True, "day": date(2099, 1, 1), "h": second})
        conn.execute(text("UPDATE evaluation SET total_score = 100.5 WHERE id = (SELECT min(id) FROM evaluation)"))
    on_file, on_server = planted(stores, plant, full=True)
    assert set(on_file) == set(on_server) == {"field_values"}
    said = sorted(on_server["field_values"])
    assert sorted(on_file["field_values"]) == said and len(said) == 3
    assert any("«members» (số nhân khẩu) phải từ 1 đến 50" in m for m in said)
    assert any("(đã xóa): trường «moved_out_date» (ngày chuyển đi) không được ở tương lai" in m for m in said)
    assert any("«total_score» (tổng điểm) phải từ 0 đến 100" in m for m in said)


def test_a_household_in_another_hamlet_than_its_group(stores):
    def plant(conn):
        hid = one(conn, "SELECT id FROM household WHERE group_id IS NOT NULL ORDER BY id LIMIT 1")[0]
        other = one(conn, "SELECT id FROM admin_unit WHERE level = 'hamlet' AND id != "
                          "(SELECT hamlet_id FROM household WHERE id = :h) ORDER BY id LIMIT 1", h=hid)[0]
        conn.execute(text("UPDATE household SET hamlet_id = :o WHERE id = :h"), {"o": other, "h": hid})
    on_file, on_server = planted(stores, plant)
    assert on_file == on_server and len(on_server["household_hamlet"]) == 1


def test_a_deputy_from_another_group(stores):
    def plant(conn):
        gid = one(conn, "SELECT id FROM self_managed_group WHERE deleted = :no ORDER BY id LIMIT 1", no=False)[0]
        outsider = one(conn, "SELECT id FROM household WHERE group_id != :g AND deleted = :no ORDER BY id LIMIT 1",
                       g=gid, no=False)[0]
        conn.execute(text("UPDATE self_managed_group SET deputy_household_id = :h WHERE id = :g"),
                     {"h": outsider, "g": gid})
    on_file, on_server = planted(stores, plant)
    assert on_file == on_server and on_server["group_officers"][0].startswith("Tổ phó của")


def test_attendance_of_a_household_from_another_group(stores):
    """The rule's audit-log exception reads JSON: json_extract on a file, ->> on a server."""
    def plant(conn):
        aid, meeting_id, group_id = one(conn, "SELECT a.id, m.id, m.group_id FROM attendance a JOIN meeting m "
                                              "ON m.id = a.meeting_id WHERE a.deleted = :no ORDER BY a.id LIMIT 1",
                                        no=False)
        outsider = one(conn, "SELECT id FROM household WHERE group_id != :g AND id NOT IN (SELECT household_id "
                             "FROM attendance WHERE meeting_id = :m) ORDER BY id LIMIT 1", g=group_id, m=meeting_id)[0]
        conn.execute(text("UPDATE attendance SET household_id = :h WHERE id = :a"), {"h": outsider, "a": aid})
    on_file, on_server = planted(stores, plant)
    assert on_file == on_server and len(on_server["attendance_group"]) == 1


def test_final_minutes_without_hash_and_votes_above_those_present(stores):
    def plant(conn):
        final = one(conn, "SELECT id FROM meeting WHERE status = 'final' ORDER BY id LIMIT 1")[0]
        conn.execute(text("UPDATE meeting SET content_hash = NULL WHERE id = :m"), {"m": final})
        item, present = one(conn, "SELECT i.id, (SELECT count(*) FROM attendance a WHERE a.meeting_id = "
                                  "i.meeting_id AND a.deleted = :no AND a.status = 'present') FROM agenda_item i "
                                  "WHERE i.deleted = :no AND i.votes_for IS NOT NULL ORDER BY i.id LIMIT 1", no=False)
        conn.execute(text("UPDATE agenda_item SET votes_for = :v, votes_against = 0, votes_other = 1 WHERE id = :i"),
                     {"v": present, "i": item})
    on_file, on_server = planted(stores, plant)
    assert on_file == on_server
    assert len(on_server["final_minutes"]) == 1 and "vượt quá số hộ có mặt" in on_server["votes_attendance"][0]


def test_a_version_below_one_and_an_edited_audit_entry(stores):
    def plant(conn):
        conn.execute(text("UPDATE household SET version = 0 WHERE id = (SELECT min(id) FROM household)"))
        # An entry sealed in the file (the move seals on the server the ones the file had not yet).
        conn.execute(text("UPDATE audit_log SET actor = 'người khác' WHERE id = (SELECT min(id) FROM audit_log "
                          "WHERE entry_hash IS NOT NULL AND action = 'create')"))
    on_file, on_server = planted(stores, plant)
    assert on_file == on_server
    assert on_server["versions"] == ["Bảng household: 1 bản ghi có số phiên bản nhỏ hơn 1."]
    assert "nội dung không khớp mã băm" in on_server["audit_chain"][0]


def test_accounts_without_an_active_administrator(stores):
    def plant(conn):
        for username, role, active in (("quantri", "administrator", False), ("xem", "boss", True)):
            conn.execute(text("INSERT INTO account (id, username, display_name, role, password_hash, active, "
                              "created_at, updated_at) VALUES (:u, :u, :u, :r, 'x', :a, :t, :t)"),
                         {"u": username, "r": role, "a": active, "t": "2026-01-01 00:00:00.000000"})
    on_file, on_server = planted(stores, plant)
    assert on_file == on_server and len(on_server["accounts"]) == 2 and "«xem»" in on_server["accounts"][0]


def test_a_broken_reference_cannot_be_planted_on_the_server(stores):
    """The foreign-key rule has nothing to find there: the server refuses the row."""
    url, _engine = stores[1]
    engine = create_engine(parse_server_url(url).url)
    try:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE household SET group_id = 'khong-co-to-nay' WHERE id = "
                              "(SELECT min(id) FROM household)"))
            conn.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # deferred ones are checked at commit anyway
    finally:
        engine.dispose()


def test_a_server_database_never_set_up_or_not_ours(pg_empty_url):
    assert [p.rule for p in check_database(pg_empty_url)] == ["database"]
    engine = create_engine(parse_server_url(pg_empty_url).url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE khach_hang (id integer PRIMARY KEY)"))
    engine.dispose()
    [problem] = check_database(pg_empty_url)
    assert "không phải của gocong_desktop" in problem.message


def test_an_unreachable_server_is_one_message(tmp_path):
    with pytest.raises(DatabaseError, match="Không kết nối được"):
        check_database(f"postgresql://gocong@/gocong?host={tmp_path}&port=5999")


def test_two_live_pledges_of_one_household_in_one_year(stores):
    """The rule's row-value IN (household, year) runs on both stores (the unique
    constraint that prevents it is dropped first, as a faulty tool might have)."""
    drop_pledge_unique(stores)
    copy = ("INSERT INTO pledge SELECT 'x' || substr(id, 2), version, created_at, updated_at, deleted, owner_unit_id, "
            "household_id, year, template_id, status, signed_date, witness_name, witness_household_id, reason, "
            "origin, change_seq FROM pledge WHERE id = (SELECT min(id) FROM pledge WHERE deleted = :no)")
    on_file, on_server = planted(stores, lambda conn: conn.execute(text(copy), {"no": False}))
    assert on_file == on_server and "2 bản cam kết" in on_server["pledges_unique"][0]


def drop_pledge_unique(stores) -> None:
    (path, _file_engine), (url, _server_engine) = stores
    con = sqlite3.connect(path, isolation_level=None)
    try:
        _drop_unique(con, "pledge")
    finally:
        con.close()
    engine = create_engine(parse_server_url(url).url)
    try:
        with engine.begin() as conn:
            name = conn.execute(text("SELECT conname FROM pg_constraint WHERE conrelid = 'pledge'::regclass "
                                     "AND contype = 'u'")).scalar_one()
            conn.execute(text(f'ALTER TABLE pledge DROP CONSTRAINT "{name}"'))
    finally:
        engine.dispose()
