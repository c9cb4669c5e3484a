"""The upper office's reads give the same answers on a file and on the server it was
moved to (issue 19): the comparison dashboard, the ledger of imports, the aggregate
report (figures and PDF), a commune's records and the household search, over the
real imports of two demo communes."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from sqlmodel import select

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.db.models import Household
from gocong_desktop.core.documents.pdf.aggregate_report import write_aggregate_pdf
from gocong_desktop.core.services import households
from gocong_desktop.core.services.review_period import parse_period
from gocong_desktop.core.sync import ledger
from gocong_desktop.core.upper.aggregate import aggregate_figures
from gocong_desktop.core.upper.commune_records import commune_records
from gocong_desktop.core.upper.dashboard import commune_dashboard
from gocong_desktop.core.upper.move_to_server import move_to_server
from tests.conftest import copy_database

pytestmark = pytest.mark.pg

TODAY = date.today()
YEAR = TODAY.year - 1  # the demo holds two years up to today
# Marked and unmarked words take different paths (marked_match, folded_match).
SEARCHES = [None, "nguyen", "Nguyễn Văn", "ấp", "khong-ai-ten-the-nay"]


@pytest.fixture(scope="module")
def stores(tmp_path_factory, upper_with_communes, pg_server) -> dict[str, Database]:
    """The same upper office on both stores: a copy of the file, and its move to a server."""
    path = copy_database(upper_with_communes, tmp_path_factory.mktemp("reads") / "tinh.db")
    url = pg_server.url_text(pg_server.new_database())
    move_to_server(path, parse_server_url(url), actor="quantri")
    opened = {"sqlite": open_database(path), "postgresql": open_database(url)}
    yield opened
    for db in opened.values():
        db.close()


def both(stores: dict[str, Database], read) -> tuple:
    """``read(session)`` on the file, then on the server."""
    answers = []
    for db in stores.values():
        with db.session() as session:
            answers.append(read(session))
    return tuple(answers)


def test_the_dashboard_is_the_same(stores):
    on_file, on_server = both(stores, lambda s: commune_dashboard(s, today=TODAY))
    assert len(on_file) == 2 and on_file == on_server


def test_the_ledger_is_the_same(stores):
    on_file, on_server = both(stores, lambda s: (ledger.list_imports(s), ledger.received_by_sender(s),
                                                 ledger.senders(s)))
    assert on_file[0] and on_file == on_server


@pytest.mark.parametrize("period", [f"{YEAR}-H1", f"{YEAR}", f"{TODAY.year}-Q1"])
def test_the_aggregate_figures_and_their_pdf_are_the_same(stores, tmp_path, period):
    on_file, on_server = both(stores, lambda s: aggregate_figures(s, parse_period(period)))
    assert on_file == on_server and on_file.total.households > 100
    texts = []
    for name, figures in (("tep", on_file), ("may-chu", on_server)):
        pdf = tmp_path / f"{name}.pdf"
        write_aggregate_pdf(figures, pdf, issued_on=date(YEAR, 7, 5))
        texts.append("".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert texts[0] == texts[1] and "Tổng cộng" in texts[0]


def test_each_communes_records_are_the_same(stores):
    units = both(stores, lambda s: sorted(s.exec(select(Household.owner_unit_id).distinct()).all()))[0]
    assert len(units) == 2
    for unit_id in units:
        on_file, on_server = both(stores, lambda s: commune_records(s, unit_id))
        assert any(on_file) and on_file == on_server


@pytest.mark.parametrize("search", SEARCHES)
def test_the_household_search_is_the_same(stores, search):
    on_file, on_server = both(stores, lambda s: (households.count_households(s, search=search),
                                                 households.list_households(s, search=search, limit=50)))
    assert on_file == on_server and (search is not None or on_file[0] > 100)
