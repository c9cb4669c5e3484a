"""Many rows at once on both stores (``core/db/many_rows.py``): executemany and
``IN (…)`` on SQLite, COPY and ``= ANY(array)`` on a server, read back alike."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.many_rows import SQLITE_CHUNK, in_values, insert_rows
from gocong_desktop.core.db.portable import qmark_execute

COLUMNS = ("package_uuid", "table_name", "record_key", "before_json", "after_digest")
# What COPY's text format escapes (tab, newline, backslash, "\N") and what a CSV would trip on.
AWKWARD = ["Nguyễn Thị Ánh", "tab\there", "new\nline", "back\\slash", "\\N", "quote \"'", "", "%s ? %%"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db(request, tmp_path) -> Database:
    location = tmp_path / "tinh.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    database = open_database(location, create=True)
    yield database
    database.close()


def _journal(db: Database) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in qmark_execute(conn)(
            f"SELECT {', '.join(COLUMNS)} FROM import_journal ORDER BY id")]


def test_rows_are_written_as_given_awkward_text_and_blanks_included(db):
    rows = [("p", "household", key, None if n % 2 else key, f"d{n}") for n, key in enumerate(AWKWARD)]
    with db.engine.begin() as conn:
        insert_rows(conn, "import_journal", COLUMNS, rows)
        insert_rows(conn, "import_journal", COLUMNS, [])
    assert _journal(db) == rows


def test_a_refused_row_raises_the_stores_integrity_error_and_nothing_is_kept(db):
    rows = [("p", "household", "a", None, "d"), ("p", None, "b", None, "d")]  # table_name may not be blank
    with pytest.raises(IntegrityError):
        with db.engine.begin() as conn:
            insert_rows(conn, "import_journal", COLUMNS, rows)
    assert _journal(db) == []


def test_a_list_longer_than_one_sqlite_statement_finds_every_value(db):
    keys = [f"k{n:05d}" for n in range(2 * SQLITE_CHUNK + 7)]
    with db.engine.begin() as conn:
        insert_rows(conn, "import_journal", COLUMNS, [("p", "household", k, None, "d") for k in keys])
        found = []
        for among, part in in_values(conn, keys[1:]):
            found += [r[0] for r in qmark_execute(conn)(
                f"SELECT record_key FROM import_journal WHERE record_key {among}", part)]
    assert sorted(found) == keys[1:]
    with db.engine.connect() as conn:
        assert list(in_values(conn, [])) == []
