"""``check_database``: each rule caught on a deliberately broken copy of a healthy demo."""

from __future__ import annotations

import re
from tests import app_sqlite as sqlite3
from datetime import datetime
from pathlib import Path


from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.services import households, meetings
from tests.core.test_backup import corrupt


def _rules(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in check_database(path):
        found.setdefault(problem.rule, []).append(problem.message)
    return found


def _one(con, sql: str, *args) -> tuple:
    return con.execute(sql, args).fetchone()


def _drop_unique(con: sqlite3.Connection, table: str) -> None:
    """Rebuild ``table`` without its UNIQUE constraint (as a file damaged by an old
    tool or a faulty import might be), so duplicates can be written."""
    sql = _one(con, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)[0]
    without = re.sub(r",\s*UNIQUE \([^)]*\)", "", sql)
    con.executescript(f"""PRAGMA foreign_keys=OFF; PRAGMA legacy_alter_table=ON;
        ALTER TABLE {table} RENAME TO old_{table};
        {without};
        INSERT INTO {table} SELECT * FROM old_{table};
        DROP TABLE old_{table};""")


def test_healthy_demo_passes(demo):
    assert check_database(demo) == []


def test_household_in_another_hamlet_than_its_group(broken):
    path, con = broken
    hid, name = _one(con, "SELECT id, head_name FROM household WHERE group_id IS NOT NULL")
    other = _one(con, "SELECT id FROM admin_unit WHERE level = 'hamlet' AND id != "
                      "(SELECT hamlet_id FROM household WHERE id = ?)", hid)[0]
    con.execute("UPDATE household SET hamlet_id = ? WHERE id = ?", (other, hid))
    messages = _rules(path)["household_hamlet"]
    assert len(messages) == 1 and name in messages[0] and hid in messages[0]


def test_leader_from_another_group(broken):
    path, con = broken
    gid, group = _one(con, "SELECT id, name FROM self_managed_group WHERE deleted = 0 LIMIT 1")
    outsider = _one(con, "SELECT id FROM household WHERE group_id != ? AND deleted = 0", gid)[0]
    con.execute("UPDATE self_managed_group SET deputy_household_id = ? WHERE id = ?", (outsider, gid))
    messages = _rules(path)["group_officers"]
    assert messages[0].startswith(f"Tổ phó của {group}")


def test_attendance_of_a_household_from_another_group(broken):
    path, con = broken
    aid, meeting_id, group_id = _one(con, "SELECT a.id, m.id, m.group_id FROM attendance a JOIN meeting m "
                                          "ON m.id = a.meeting_id WHERE a.deleted = 0 LIMIT 1")
    outsider = _one(con, "SELECT id FROM household WHERE group_id != ? AND id NOT IN "
                         "(SELECT household_id FROM attendance WHERE meeting_id = ?)", group_id, meeting_id)[0]
    con.execute("UPDATE attendance SET household_id = ? WHERE id = ?", (outsider, aid))
    assert any(aid in m for m in _rules(path)["attendance_group"])


def test_a_household_that_moved_after_the_meeting_is_not_a_problem(seeded):
    with seeded.db.session() as s:
        meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2026, 3, 1, 19))
    with seeded.db.session() as s:
        households.move_household(s, seeded.households["Lê Thị Hoa"], seeded.group_b3)
    assert check_database(seeded.db.path) == []


def test_final_minutes_without_hash_and_with_edited_content(broken):
    path, con = broken
    finals = con.execute("SELECT id FROM meeting WHERE status = 'final' LIMIT 2").fetchall()
    con.execute("UPDATE meeting SET content_hash = NULL WHERE id = ?", finals[0])
    con.execute("UPDATE meeting SET place = 'sửa lén sau khi hoàn tất' WHERE id = ?", finals[1])
    found = _rules(path)
    assert len(found["final_minutes"]) == 1 and finals[0][0] in found["final_minutes"][0]
    assert len(found["minutes_hashes"]) == 1 and finals[1][0] in found["minutes_hashes"][0]


def test_final_minutes_starting_on_no_real_day_are_said_edited_not_a_crash(broken):
    """A start no form writes (edited outside the app): the hash rule reads it as a date."""
    path, con = broken
    (final,) = con.execute("SELECT id FROM meeting WHERE status = 'final' LIMIT 1").fetchone()
    con.execute("UPDATE meeting SET starts_at = '2025-13-01 19:00:00.000000' WHERE id = ?", (final,))
    [message] = _rules(path)["minutes_hashes"]
    assert final in message and "ngày 2025-13-01 19:00:00.000000 đã bị sửa sau khi hoàn tất" in message


def test_votes_above_the_households_present(broken):
    path, con = broken
    item_id, meeting_id, present = _one(
        con, "SELECT i.id, i.meeting_id, (SELECT count(*) FROM attendance a WHERE a.meeting_id = i.meeting_id "
             "AND a.deleted = 0 AND a.status = 'present') FROM agenda_item i WHERE i.deleted = 0 "
             "AND i.votes_for IS NOT NULL LIMIT 1")
    con.execute("UPDATE agenda_item SET votes_for = ?, votes_against = 0, votes_other = 1 WHERE id = ?",
                (present, item_id))
    [message] = _rules(path)["votes_attendance"]
    assert meeting_id in message and f"vượt quá số hộ có mặt ({present})" in message


def test_duplicate_minutes_numbers(broken):
    path, con = broken
    _drop_unique(con, "meeting")
    group_id, year, number = _one(con, "SELECT group_id, minutes_year, minutes_number FROM meeting "
                                       "WHERE minutes_number > 1 LIMIT 1")
    con.execute("UPDATE meeting SET minutes_number = ? WHERE group_id = ? AND minutes_year = ? "
                "AND minutes_number = ?", (number, group_id, year, number - 1))
    messages = _rules(path)["minutes_numbers"]
    assert messages == [f"{_one(con, 'SELECT name FROM self_managed_group WHERE id = ?', group_id)[0]}: "
                        f"2 biên bản cùng số {number:02d} năm {year}."]


def test_two_pledges_of_one_household_in_one_year(broken):
    path, con = broken
    _drop_unique(con, "pledge")
    con.execute("INSERT INTO pledge SELECT 'ban-sao-' || id, version, created_at, updated_at, deleted, "
                "owner_unit_id, household_id, year, template_id, status, signed_date, witness_name, "
                "witness_household_id, reason, origin, change_seq FROM pledge WHERE deleted = 0 LIMIT 1")
    assert "2 bản cam kết" in _rules(path)["pledges_unique"][0]


def test_only_live_pledges_count_as_duplicates(broken):
    """A deleted copy (a tombstone) is no second pledge; two live ones beside it are."""
    path, con = broken
    _drop_unique(con, "pledge")
    copy = ("INSERT INTO pledge SELECT ? || id, version, created_at, updated_at, ?, owner_unit_id, household_id, "
            "year, template_id, status, signed_date, witness_name, witness_household_id, reason, origin, change_seq "
            "FROM pledge WHERE deleted = 0 ORDER BY rowid LIMIT 1")
    con.execute(copy, ("da-xoa-", 1))
    assert "pledges_unique" not in _rules(path)
    con.execute(copy, ("ban-sao-", 0))
    name, year = _one(con, "SELECT h.head_name, p.year FROM pledge p JOIN household h ON h.id = p.household_id "
                           "WHERE p.id LIKE 'ban-sao-%'")
    assert _rules(path)["pledges_unique"] == [f"Hộ «{name}» có 2 bản cam kết năm {year}."]


def test_version_below_one_and_a_broken_reference(broken):
    path, con = broken
    con.execute("UPDATE household SET version = 0 WHERE rowid = 1")
    con.execute("UPDATE household SET group_id = 'khong-co-to-nay' WHERE rowid = 2")
    found = _rules(path)
    assert found["versions"] == ["Bảng household: 1 bản ghi có số phiên bản nhỏ hơn 1."]
    assert "self_managed_group" in found["foreign_keys"][0]


def test_damaged_file_reports_the_damage_only(broken):
    path, con = broken
    con.close()
    corrupt(path)
    found = _rules(path)
    assert list(found) == ["integrity"] and found["integrity"]


def _index_disagreeing_with_its_table(con: sqlite3.Connection) -> str:
    """Point an index's definition at another column of its table, without rebuilding it: its entries no
    longer match the rows (what a faulty tool or a bit flip inside index pages leaves), pages all sound."""
    name, table, sql = _one(con, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND name = 'ix_household_name_sort_key'")
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql.replace("(name_sort_key", "(head_name"), name))
    con.execute("PRAGMA writable_schema = OFF")
    return name


def test_an_index_disagreeing_with_its_table_is_found_by_the_full_check_only(broken):
    path, con = broken
    _index_disagreeing_with_its_table(con)
    con.close()
    assert check_database(path) == []  # quick_check: pages and records sound
    problems = check_database(path, full=True)
    assert problems and {p.rule for p in problems} == {"integrity"}


def test_a_leader_moving_or_deleted_steps_down(seeded):
    from gocong_desktop.core.services import groups

    h = seeded.households
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=h["Nguyễn Văn Ba"], deputy_household_id=h["Lê Thị Hoa"])
    with seeded.db.session() as s:
        households.move_household(s, h["Nguyễn Văn Ba"], seeded.group_b3)
        households.delete_household(s, h["Lê Thị Hoa"])
    assert check_database(seeded.db.path) == []
    with seeded.db.session() as s:
        row = next(g for g in groups.list_groups(s) if g.id == seeded.group_a1)
    assert (row.leader_name, row.deputy_name) == (None, None)


def test_accounts_without_an_active_administrator(broken):
    path, con = broken  # the demo has quantri (administrator), canbo and xem
    con.execute("UPDATE account SET active = 0 WHERE role = 'administrator'")
    con.execute("UPDATE account SET role = 'boss' WHERE username = 'xem'")
    messages = _rules(path)["accounts"]
    assert len(messages) == 2 and "«xem»" in messages[0] and "không còn quản trị viên" in messages[1]


def test_a_file_that_is_not_ours_is_said_so_once(tmp_path):
    empty, foreign = tmp_path / "trống.db", tmp_path / "khác.db"
    empty.touch()
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    for path, words in ((empty, "trống"), (foreign, "không phải cơ sở dữ liệu của gocong_desktop")):
        (problem,) = check_database(path)
        assert problem.rule == "file" and words in problem.message
