"""The reads of commune records an upper office makes (lists, search, figures by
month, years with meetings) run on PostgreSQL too (issue 19): no SQLite-only
function (instr, iif, strftime) in their SQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import literal, select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.portable import text_position
from gocong_desktop.core.db.sql_functions import month_text, year_text
from gocong_desktop.core.services.area_figures import meetings_by_month
from gocong_desktop.core.services.households import list_households
from gocong_desktop.core.services.meeting_drafts import meeting_years
from gocong_desktop.core.services.meetings import list_meetings
from gocong_desktop.core.setup.office import OfficeSetup, create_office_database

SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request, tmp_path):
    location = tmp_path / "tinh.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    if request.param == "sqlite":
        create_office_database(location, SETUP)
    db = open_database(location)
    yield db
    db.close()


def test_the_portable_functions_give_the_same_on_both_stores(store):
    with store.session() as session:
        got = session.exec(select(text_position(literal("nguyen van anh"), literal("van")),
                                  text_position(literal("abc"), literal("x")),
                                  month_text(literal(datetime(2024, 3, 5, 8, 30))),
                                  year_text(literal(datetime(2024, 3, 5, 8, 30))))).one()
    assert tuple(got) == (8, 0, "2024-03", "2024")


def test_the_commune_reads_run(store):
    with store.session() as session:
        assert list_meetings(session) == []
        assert meeting_years(session) == [date.today().year]
        assert [n for _, n in meetings_by_month(session, date(2024, 1, 1), date(2024, 3, 31))] == [0, 0, 0]
        assert list_households(session, search="Ánh") == []  # a query with marks: matched with its marks
