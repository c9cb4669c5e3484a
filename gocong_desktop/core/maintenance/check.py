"""Checking a database file: SQLite's own checks, then the app's rules.

Everything reads through a read-only connection, so checking a damaged file
never makes it worse. Used by ``gocong-desktop check``, by the start-up check
(integrity only) and by the crash tests.

The app's rules live in ``check_rules.RULES``: to add one, append a function
that takes a read-only ``cipher.Connection`` and returns messages (to
``FULL_RULES`` if it reads every row: those run with ``--full`` only). A database
on a PostgreSQL server runs the same rules (``check_server``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from gocong_desktop.core.maintenance.rule_runner import Problem, rule_problems
from gocong_desktop.core.sqlite import cipher

from gocong_desktop.core.errors import DatabaseError, NotFoundError
from gocong_desktop.core.sqlite.key_slots import KeySlotsError
from gocong_desktop.core.sqlite.raw import connect_readonly

if TYPE_CHECKING:
    from gocong_desktop.core.db.location import ServerAddress

MAX_LISTED = 20  # integrity_check lines shown; the first ones say enough


def integrity_problems(path: Path, *, full: bool = True) -> list[str]:
    """``integrity_check`` (or the faster ``quick_check``): [] when the file is sound."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        con = connect_readonly(path)
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}({MAX_LISTED})")]
        finally:
            con.close()
    except cipher.DatabaseError as exc:
        return [f"Tệp không đọc được: {exc}."]
    return [] if rows == ["ok"] else rows


def check_database(path: "str | Path | ServerAddress", *, full: bool = False) -> list[Problem]:
    """Every problem found in ``path``; [] means the file passed every check.

    SQLite's ``quick_check`` by default: every page, record and constraint, in
    a seventh of the time; ``full`` adds ``integrity_check``'s comparison of
    every index with its table (an index that disagrees is rebuilt by REINDEX,
    no data lost), which is most of the time on a large file, and every stored
    value checked against its form's rule (``check_rules.FULL_RULES``). A
    server's database (a ``postgresql://`` URL): ``check_server.check_server_database``."""
    from gocong_desktop.core.db.location import ServerAddress, parse_location

    path = parse_location(path)
    if isinstance(path, ServerAddress):
        from gocong_desktop.core.maintenance.check_server import check_server_database

        return check_server_database(path, full=full)
    if not path.is_file():
        raise NotFoundError(f"Không tìm thấy cơ sở dữ liệu «{path}».")
    if (wrong := _not_ours(path)) is not None:  # the rules would only say "no such table"
        return [Problem("file", wrong)]
    # SQLite's check and the app's rules each read most pages: they run side by
    # side, on a connection and a core each (a statement's step releases the GIL).
    # On an encrypted file that halves the wait for the decryption of every page.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity") as pool:
        integrity = pool.submit(integrity_problems, path, full=full)
        try:
            findings: list[Problem] | cipher.Error = _rule_findings(path, full)
        except cipher.Error as exc:  # a page the integrity check names as damaged
            findings = exc
        damage = integrity.result()
    if damage:  # what the rules read on damaged pages says nothing: the damage only
        return [Problem("integrity", f"Lỗi cấu trúc tệp: {line}") for line in damage]
    if isinstance(findings, cipher.Error):
        raise findings
    return findings


def _rule_findings(path: Path, full: bool) -> list[Problem]:
    con = connect_readonly(path)
    try:
        references = [Problem("foreign_keys", m) for m in _foreign_key_problems(con)]
        return references + rule_problems(con, cipher.Error, full=full)
    finally:
        con.close()


def _not_ours(path: Path) -> str | None:
    """Why ``path`` is not a database of this version to check, or None."""
    from gocong_desktop.core.db.engine import APPLICATION_ID
    from gocong_desktop.core.db.migrate import check_before_open

    if path.stat().st_size == 0:
        return f"Tệp «{path}» trống (0 byte): không phải cơ sở dữ liệu."
    try:
        check_before_open(path, APPLICATION_ID)
    except KeySlotsError:
        raise  # locked (nobody signed in) or no slot table: not a finding about the data
    except DatabaseError as exc:
        if isinstance(exc.__cause__, cipher.DatabaseError):
            return None  # unreadable pages: integrity_check says where
        return exc.message  # another program's file, or a newer version's
    return None


def _foreign_key_problems(con: cipher.Connection) -> list[str]:
    rows = con.execute("PRAGMA foreign_key_check").fetchall()
    messages = []
    for table, rowid, parent, _fk in rows[:MAX_LISTED]:
        record = _record_id(con, table, rowid)
        messages.append(f"Bảng {table}, bản ghi {record}: trỏ tới một bản ghi không có trong bảng {parent}.")
    if len(rows) > MAX_LISTED:
        messages.append(f"… và {len(rows) - MAX_LISTED} tham chiếu hỏng khác.")
    return messages


def _record_id(con: cipher.Connection, table: str, rowid: int | None) -> str:
    try:
        row = con.execute(f'SELECT id FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    except cipher.Error:
        row = None
    return str(row[0]) if row else f"dòng {rowid}"
