"""The app's own consistency rules, checked in plain SQL on a read-only connection.

Each rule returns messages (Vietnamese, naming the records) and says in its
docstring what it checks. Only live records count (``deleted = FALSE``): tombstones
keep whatever they held when deleted.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from itertools import islice
from typing import Callable, Iterable

from gocong_desktop.core.sqlite.raw import table_columns, tables

MAX_LISTED = 20


def _listed(rows: list, describe: Callable[..., str], *, total: int | None = None) -> list[str]:
    """The first ``MAX_LISTED`` rows described, and how many more there are
    (``total``: all of them, when only the first were kept)."""
    total = len(rows) if total is None else total
    messages = [describe(*row) for row in rows[:MAX_LISTED]]
    if total > MAX_LISTED:
        messages.append(f"… và {total - MAX_LISTED} trường hợp khác cùng loại.")
    return messages


def household_hamlet(con: sqlite3.Connection) -> list[str]:
    """hộ thuộc đúng ấp của tổ"""
    rows = con.execute(
        "SELECT h.head_name, h.id, g.name FROM household h JOIN self_managed_group g ON g.id = h.group_id "
        "WHERE h.deleted = FALSE AND h.hamlet_id IS DISTINCT FROM g.hamlet_id").fetchall()
    return _listed(rows, lambda name, hid, group: f"Hộ «{name}» ({hid}) ghi ấp khác với ấp của {group}.")


def group_officers(con: sqlite3.Connection) -> list[str]:
    """tổ trưởng, tổ phó là hộ của tổ"""
    rows = []
    for column, title in (("leader_household_id", "Tổ trưởng"), ("deputy_household_id", "Tổ phó")):
        rows += [(title, *r) for r in con.execute(
            f"SELECT g.name, g.id, h.head_name FROM self_managed_group g JOIN household h "
            f"ON h.id = g.{column} WHERE g.deleted = FALSE AND (h.group_id IS DISTINCT FROM g.id OR h.deleted = TRUE)")]
    return _listed(rows, lambda title, group, gid, name:
                   f"{title} của {group} ({gid}) là hộ «{name}», không phải hộ đang thuộc tổ này.")


def attendance_group(con: sqlite3.Connection) -> list[str]:
    """điểm danh chỉ các hộ của tổ họp"""
    # A household may have moved to another group since the meeting: the audit
    # log's record of its group changes shows it once belonged to the meeting's group.
    was, now = (_json_item(con, "l.changes_json", "group_id", i) for i in (0, 1))
    rows = con.execute(
        "SELECT m.starts_at, g.name, h.head_name, a.id FROM attendance a "
        "JOIN meeting m ON m.id = a.meeting_id JOIN household h ON h.id = a.household_id "
        "JOIN self_managed_group g ON g.id = m.group_id "
        "WHERE a.deleted = FALSE AND m.deleted = FALSE AND h.group_id IS DISTINCT FROM m.group_id "
        "AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.table_name = 'household' "
        "  AND l.record_id = h.id AND l.changes_json LIKE '%group_id%' "
        f"  AND m.group_id IN ({was}, {now}))").fetchall()
    return _listed(rows, lambda starts, group, name, aid:
                   f"Cuộc họp {group} ngày {_day(starts)} điểm danh hộ «{name}», hộ chưa từng thuộc tổ "
                   f"({aid}).")


def final_minutes(con: sqlite3.Connection) -> list[str]:
    """biên bản hoàn tất có số, năm và mã băm nội dung"""
    rows = con.execute(
        "SELECT g.name, m.starts_at, m.id FROM meeting m JOIN self_managed_group g ON g.id = m.group_id "
        "WHERE m.deleted = FALSE AND m.status = 'final' AND (m.minutes_number IS NULL OR m.minutes_year IS NULL "
        "OR m.content_hash IS NULL OR length(m.content_hash) != 64)").fetchall()
    return _listed(rows, lambda group, starts, mid:
                   f"Biên bản hoàn tất của {group} ngày {_day(starts)} thiếu số, năm hoặc mã băm ({mid}).")


def minutes_numbers(con: sqlite3.Connection) -> list[str]:
    """số biên bản không trùng trong một tổ, một năm"""
    rows = con.execute(
        "SELECT g.name, m.minutes_year, m.minutes_number, count(*) FROM meeting m "
        "JOIN self_managed_group g ON g.id = m.group_id WHERE m.minutes_number IS NOT NULL "
        "GROUP BY m.group_id, g.name, m.minutes_year, m.minutes_number HAVING count(*) > 1").fetchall()
    return _listed(rows, lambda group, year, number, n:
                   f"{group}: {n} biên bản cùng số {number:02d} năm {year}.")


def minutes_hashes(con: sqlite3.Connection) -> list[str]:
    """mã băm khớp nội dung biên bản đã hoàn tất của đơn vị này"""
    from gocong_desktop.core.services.meetings import content_hash, snapshot_from_rows

    # Minutes received from a commune arrive without the personal fields it
    # keeps home, so their hash can only be checked where they were written.
    cursor = con.execute(
        "SELECT g.name AS group_name, m.* FROM meeting m JOIN self_managed_group g ON g.id = m.group_id "
        "WHERE m.deleted = FALSE AND m.status = 'final' AND m.content_hash IS NOT NULL "
        "AND (m.owner_unit_id IS NULL OR m.owner_unit_id IN (SELECT unit_id FROM office))")
    columns = [d[0] for d in cursor.description]
    bad = []
    for row in cursor:  # streamed: a commune holds thousands of final minutes
        meeting = dict(zip(columns, row))
        try:
            meeting["starts_at"] = _moment(meeting["starts_at"])
            meeting["ends_at"] = _moment(meeting["ends_at"]) if meeting["ends_at"] else None
        except (TypeError, ValueError):  # no date the app wrote, so none it hashed
            bad.append((meeting["group_name"], meeting["starts_at"], meeting["id"]))
            continue
        snapshot = snapshot_from_rows(meeting, *_minutes_children(con, meeting["id"]))
        if content_hash(snapshot) != meeting["content_hash"]:
            bad.append((meeting["group_name"], meeting["starts_at"], meeting["id"]))
    return _listed(bad, lambda group, starts, mid:
                   f"Biên bản hoàn tất của {group} ngày {_day(starts)} đã bị sửa sau khi hoàn tất: nội dung "
                   f"không khớp mã băm ({mid}).")


def _minutes_children(con: sqlite3.Connection, meeting_id: str) -> tuple[list, list, list]:
    live = "deleted = FALSE ORDER BY position"
    guests = con.execute(f"SELECT name, role, organisation FROM meeting_guest WHERE meeting_id = ? AND {live}",
                         (meeting_id,)).fetchall()
    attendance = con.execute("SELECT household_id, status, reason, representative FROM attendance "
                             "WHERE meeting_id = ? AND deleted = FALSE", (meeting_id,)).fetchall()
    items = con.execute("SELECT id, title, content, conclusion, votes_for, votes_against, votes_other "
                        f"FROM agenda_item WHERE meeting_id = ? AND {live}", (meeting_id,)).fetchall()
    agenda = [(title, content, conclusion, (v_for, v_against, v_other), con.execute(
        f"SELECT household_id, speaker_name, text FROM agenda_opinion WHERE agenda_item_id = ? AND {live}",
        (item_id,)).fetchall()) for item_id, title, content, conclusion, v_for, v_against, v_other in items]
    return guests, attendance, agenda


def votes_attendance(con: sqlite3.Connection) -> list[str]:
    """số biểu quyết mỗi nội dung không vượt số hộ có mặt"""
    from gocong_desktop.core.rules import item_votes_message

    # Items are numbered as printed (live ones by position); only the few over the limit are named.
    # Attendance is counted only for items with votes: no other can exceed it.
    rows = con.execute(
        "SELECT g.name, m.starts_at, m.id, i.number, i.title, i.votes_for, i.votes_against, i.votes_other, "
        "i.present FROM (SELECT *, CASE WHEN votes > 0 THEN (SELECT count(*) FROM attendance a "
        "    WHERE a.meeting_id = v.meeting_id AND a.deleted = FALSE AND a.status = 'present') END AS present "
        "  FROM (SELECT *, row_number() OVER (PARTITION BY meeting_id ORDER BY position) AS number, "
        "    coalesce(votes_for, 0) + coalesce(votes_against, 0) + coalesce(votes_other, 0) AS votes "
        "    FROM agenda_item WHERE deleted = FALSE) v) i "
        "JOIN meeting m ON m.id = i.meeting_id JOIN self_managed_group g ON g.id = m.group_id "
        "WHERE m.deleted = FALSE AND i.votes > i.present ORDER BY m.starts_at, m.id, i.number").fetchall()
    bad = [(group, starts, mid, message) for group, starts, mid, number, title, *votes, present in rows
           if (message := item_votes_message(number, title, votes, present)) is not None]
    return _listed(bad, lambda group, starts, mid, message:
                   f"Biên bản của {group} ngày {_day(starts)} ({mid}): {message}.")


def evaluation_dates(con: sqlite3.Connection) -> list[str]:
    """đánh giá mô hình khi kỳ đã kết thúc; giờ kết thúc sau giờ bắt đầu, trong ngày đánh giá"""
    from gocong_desktop.core.rules import evaluation_problem

    # A file older than migration 0013 has no hours yet: its evaluations are checked without them.
    hours = "e.started_at, e.ended_at" if "started_at" in _columns(con, "evaluation") else "NULL, NULL"
    rows = con.execute(
        f"SELECT m.name, e.id, e.period_start, e.period_end, e.evaluated_on, {hours} FROM evaluation e "
        "JOIN prevention_model m ON m.id = e.model_id WHERE e.deleted = FALSE ORDER BY e.evaluated_on, e.id").fetchall()
    columns = ("period_start", "period_end", "evaluated_on", "started_at", "ended_at")
    bad = []
    for name, eid, *values in rows:
        record = dict(zip(columns, values))
        try:
            why = (evaluation_problem(record) or (None, None))[1]
        except (TypeError, ValueError):  # written by hand, not by the app
            why = "ngày hoặc giờ không hợp lệ"
        if why is not None:
            bad.append((name, record["evaluated_on"], eid, why))
    return _listed(bad, lambda name, on, eid, why: f"Đánh giá mô hình «{name}» ngày {_day(on)} ({eid}): {why}.")


def pledges_unique(con: sqlite3.Connection) -> list[str]:
    """mỗi hộ một bản cam kết mỗi năm"""
    # Candidates from the (household, year) index alone, deleted rows included (no
    # table row read); live ones counted, and named, only for those few.
    rows = con.execute(
        "SELECT h.head_name, d.year, d.n FROM (SELECT household_id, year, count(*) AS n FROM pledge "
        "WHERE deleted = FALSE AND (household_id, year) IN (SELECT household_id, year FROM pledge "
        "GROUP BY household_id, year HAVING count(*) > 1) "
        "GROUP BY household_id, year HAVING count(*) > 1) d JOIN household h ON h.id = d.household_id").fetchall()
    return _listed(rows, lambda name, year, n: f"Hộ «{name}» có {n} bản cam kết năm {year}.")


def versions(con: sqlite3.Connection) -> list[str]:
    """số phiên bản của mỗi bản ghi từ 1 trở lên"""
    rows = []
    for table in _tables(con):
        if "version" in _columns(con, table):
            n = con.execute(f'SELECT count(*) FROM "{table}" WHERE version IS NULL OR version < 1').fetchone()[0]
            if n:
                rows.append((table, n))
    return _listed(rows, lambda table, n: f"Bảng {table}: {n} bản ghi có số phiên bản nhỏ hơn 1.")


def audit_chain(con: sqlite3.Connection) -> list[str]:
    """nhật ký thay đổi không bị sửa, xoá hay đổi thứ tự (chuỗi mã băm)"""
    from gocong_desktop.core.storage.audit_chain import chain_problems

    return _listed(chain_problems(con), lambda entry_id, what: f"Nhật ký thay đổi, mục {entry_id}: {what}.")


def audit_anchors(con: sqlite3.Connection) -> list[str]:
    """nhật ký thay đổi còn đủ và khớp mốc cơ quan cấp trên đã ký xác nhận"""
    from gocong_desktop.core.sync.anchor_check import anchor_problems

    return _listed([(message,) for message in anchor_problems(con)], lambda message: message)


def accounts(con: sqlite3.Connection) -> list[str]:
    """có tài khoản thì còn ít nhất một quản trị viên đang dùng; vai trò hợp lệ"""
    if "account" not in _tables(con):
        return []
    messages = [f"Tài khoản «{name}» có vai trò không hợp lệ «{role}»." for name, role in con.execute(
        "SELECT username, role FROM account WHERE role NOT IN ('administrator', 'clerk', 'viewer')")]
    active, admins = con.execute("SELECT count(*), coalesce(sum(CASE WHEN role = 'administrator' THEN 1 ELSE 0 END), 0) "
                                 "FROM account WHERE active").fetchone()
    if active and not admins:
        messages.append("Có tài khoản đang dùng nhưng không còn quản trị viên nào: không ai quản lý được "
                        "tài khoản và cài đặt.")
    return messages


def field_values(con: sqlite3.Connection) -> list[str]:
    """mỗi giá trị đúng quy tắc của biểu mẫu: độ dài, khoảng số, lựa chọn, ngày, ký tự, dạng NFC"""
    from gocong_desktop.core.sync.stored_values import bad_values

    present = set(_tables(con))
    found = bad_values(con, lambda table: _columns(con, table) if table in present else set())
    first = list(islice(found, MAX_LISTED))
    total = len(first) + sum(1 for _ in found)  # the rest counted, not kept: memory stays flat
    return _listed([(bad.message,) for bad in first], lambda message: message, total=total)


def _on_server(con: sqlite3.Connection) -> bool:
    """A server's connection (``check_server.ServerConnection``) says its dialect."""
    return getattr(con, "dialect", "sqlite") != "sqlite"


def _tables(con: sqlite3.Connection) -> list[str]:
    if not _on_server(con):
        return tables(con)
    return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                      "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")]


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    if not _on_server(con):
        return table_columns(con, table)
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                      "current_schema() AND table_name = ?", (table,))}


def _json_item(con: sqlite3.Connection, column: str, key: str, index: int) -> str:
    """SQL for ``column``'s JSON ``{key: [..]}`` item at ``index``, as text."""
    if _on_server(con):
        return f"(({column})::json -> '{key}' ->> {index})"
    return f"json_extract({column}, '$.{key}[{index}]')"


def _moment(value: str | datetime) -> datetime:
    """A file holds the text of a date and time; a server, the value."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _day(value: str | datetime | None) -> str:
    try:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return when.strftime("%d/%m/%Y")


RULES: list[Callable[[sqlite3.Connection], Iterable[str]]] = [
    household_hamlet, group_officers, attendance_group, final_minutes, minutes_numbers, minutes_hashes,
    votes_attendance, evaluation_dates, pledges_unique, versions, audit_chain, audit_anchors, accounts]
# Run only by ``check --full``: reading every value of every table costs about a
# third more than the rules above together (measured on a 3,000-household demo).
FULL_RULES: list[Callable[[sqlite3.Connection], Iterable[str]]] = [field_values]
