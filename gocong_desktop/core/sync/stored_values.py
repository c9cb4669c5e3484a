"""Every stored value against its form's rule (``core/rules/fields.py``): lengths,
ranges, choices, dates, characters and NFC.

The forms and sync imports hold every value to these rules as it is written, but
a database edited outside the app (a file opened with sqlite3, a crafted upper
office's file) may hold anything. ``check --full`` lists such values and
``upper migrate`` refuses a file holding any: both read them here.

Live and deleted rows alike (a tombstone travels in packages too), read in
chunks (memory stays flat on a file of any size) and checked a column at a time
by ``first_bad_field``; only a chunk holding a bad value is looked at row by row.
A package's values are held to the same rules as they arrive (``validate_values``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterator, Sequence

from gocong_desktop.core.rules import FIELDS, first_bad_field, table_rules
from gocong_desktop.core.rules.checks import CLOCK_SLACK
from gocong_desktop.core.sync.kinds import LABELS, UUID_RE
from gocong_desktop.core.sync.validate_values import withholdable_columns

CHUNK = 2000  # rows read at a time
_SHOWN_ID = 40  # a crafted id is cut short in messages

# Tables without a sync label of their own (the office's one row).
_LABELS = {"office": "thông tin cơ quan"}


@dataclass(frozen=True)
class BadValue:
    table: str
    record_id: Any
    deleted: bool
    why: str  # "trường «members» (số nhân khẩu) phải từ 1 đến 50"

    @property
    def message(self) -> str:
        gone = " (đã xóa)" if self.deleted else ""
        return f"Bản ghi {table_label(self.table)} {_shown_id(self.record_id)}{gone}: {self.why}."


def _shown_id(record_id: Any) -> str:
    """The id as the app writes it (a UUID, the office's 1); any other, crafted,
    escaped and cut short: a message never carries a terminal's escape sequence."""
    text = str(record_id)
    if type(record_id) is int or UUID_RE.fullmatch(text):
        return text
    return ascii(text[:_SHOWN_ID]) + ("…" if len(text) > _SHOWN_ID else "")


def table_label(table: str) -> str:
    return LABELS.get(table) or _LABELS.get(table, table)


def bad_values(con: Any, columns_of: Callable[[str], set[str]], *,
               today: date | None = None) -> Iterator[BadValue]:
    """Each record of ``con`` (a file's or a server's connection) with a value its
    form would refuse, the first such field of each record, table by table.
    ``columns_of(table)``: the columns it has (none when the table is absent: an
    older file). ``today``: the latest day a "not in the future" date may be (by
    default tomorrow: a commune's clock may be a day ahead of this one)."""
    today = today or date.today() + CLOCK_SLACK
    withholdable = _withholdable()
    for table in FIELDS:
        present = columns_of(table)
        columns = [c for c in table_rules(table) if c in present]
        if columns and "id" in present:
            yield from _table_bad_values(con, table, columns, present, withholdable.get(table, frozenset()), today)


def _withholdable() -> dict[str, frozenset[str]]:
    return {table: frozenset(columns) for table, columns in withholdable_columns().items()}


def _table_bad_values(con: Any, table: str, columns: list[str], present: set[str],
                      withholdable: frozenset[str], today: date) -> Iterator[BadValue]:
    """A record received from another office may hold blanks where that office
    withheld personal values (its privacy setting), as sync imports allow them."""
    deleted = "deleted" if "deleted" in present else "0"
    received = ("CASE WHEN owner_unit_id <> (SELECT unit_id FROM office WHERE id = 1) THEN 1 ELSE 0 END"
                if withholdable and "owner_unit_id" in present else "0")
    listed = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT id, {deleted}, {received}, {listed} FROM "{table}"'
    for rows in _chunks(con, sql):
        for group, blank_ok in (([r for r in rows if not r[2]], frozenset()),
                                ([r for r in rows if r[2]], withholdable)):
            if group:
                yield from _group_bad_values(table, columns, group, blank_ok, today)


def _group_bad_values(table: str, columns: list[str], rows: Sequence[tuple], blank_ok: frozenset[str],
                      today: date) -> Iterator[BadValue]:
    values = {c: [row[3 + i] for row in rows] for i, c in enumerate(columns)}
    if first_bad_field(table, values, today=today, blank_ok=blank_ok) is None:
        return  # the usual case: the whole chunk checked at C speed
    for row in rows:
        one = {c: [row[3 + i]] for i, c in enumerate(columns)}
        if (found := first_bad_field(table, one, today=today, blank_ok=blank_ok)) is not None:
            yield BadValue(table, row[0], bool(row[1]), found[2])


def _chunks(con: Any, sql: str) -> Iterator[list[tuple]]:
    """The rows of ``sql``, ``CHUNK`` at a time: a server's through a cursor kept
    on the server (``ServerConnection.stream``), a file's as SQLite steps."""
    stream = getattr(con, "stream", None)
    if stream is not None:
        yield from stream(sql, CHUNK)
        return
    cursor = con.execute(sql)
    try:
        while rows := cursor.fetchmany(CHUNK):
            yield rows
    finally:
        cursor.close()
