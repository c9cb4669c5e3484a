"""The start page's to-do counts and chart figures (services/start_page.py) on the
review scenario (tests/core/prevention_scenario.py): each count equals the length of
the list the page opens for it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services import groups, prevention
from gocong_desktop.core.services.start_page import (BACKUP, DRAFT_MINUTES, GROUPS_NOT_MET, MODELS_DUE, PACKAGE,
                                                      UNSIGNED_PLEDGES, SentPackage, month_start, start_page)
from tests.conftest import copy_database, seed
from tests.core.prevention_scenario import build_scenario

TODAY = date(2024, 8, 15)  # quarter III/2024; the last half-year ended is 2024-H1


@pytest.fixture(scope="module")
def commune(tmp_path_factory, _set_up_file: Path):
    database = open_database(copy_database(_set_up_file, tmp_path_factory.mktemp("start") / "xa.db"))
    seeded = seed(database)
    build_scenario(seeded)
    yield seeded
    database.close()


def read(commune, **kwargs):
    with commune.db.session() as s:
        return start_page(s, today=TODAY, **kwargs)


def test_explore(commune):
    page = read(commune)
    for t in page.to_do:
        print(t)
    print(page.charts)
