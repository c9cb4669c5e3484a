"""Rows read on a server are given SQLite's storage form (``sync/stored.py``): the
exact text SQLAlchemy writes into a SQLite file, so plans, digests and conflicts
compare the same values on either store."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from gocong_desktop.core.sync.kinds import get_kind
from gocong_desktop.core.sync.stored import storage_row


def _sqlite_text(path, value: datetime | date) -> str:
    """What a real SQLite file holds for ``value`` in a DateTime (Date) column."""
    engine = sa.create_engine(f"sqlite:///{path}")
    table = sa.Table("t", sa.MetaData(), sa.Column("v", sa.DateTime() if isinstance(value, datetime) else sa.Date()))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), {"v": value})
        stored = conn.execute(sa.text("SELECT v FROM t")).scalar()
    engine.dispose()
    return stored


def _converted(column: str, value) -> object:
    """``value`` as read from a server in ``column`` of a group, in storage form."""
    kind = get_kind("self_managed_group")
    row = [None] * len(kind.columns)
    row[kind.index(column)] = value
    return storage_row(kind, row)[kind.index(column)]


@pytest.mark.parametrize("when", [datetime(2024, 3, 15, 19, 30), datetime(2024, 12, 31, 23, 59, 59, 999999),
                                  datetime(999, 1, 2, 3, 4, 5, 6)])
def test_a_date_time_is_written_as_sqlite_holds_it(tmp_path, when):
    assert _converted("updated_at", when) == _sqlite_text(tmp_path / "form.db", when)


def test_an_aware_date_time_is_given_in_utc():
    hanoi = timezone(timedelta(hours=7))
    assert _converted("updated_at", datetime(2024, 3, 16, 2, 30, tzinfo=hanoi)) == "2024-03-15 19:30:00.000000"


def test_a_date_and_a_flag_take_sqlite_forms(tmp_path):
    assert _converted("founded_date", date(2024, 3, 5)) == _sqlite_text(tmp_path / "form.db", date(2024, 3, 5))
    assert _converted("active", True) == 1 and _converted("active", False) == 0
    assert _converted("retired_date", None) is None
