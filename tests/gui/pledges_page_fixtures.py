"""The Cam kết page on a seeded commune whose group A1 has a leader (Nguyễn Văn Ba,
the default witness): shared by the page's tests."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from gocong_desktop.core.services import groups, pledges
from gocong_desktop.gui.application import create_app
from gocong_desktop.gui.app import make_context
from gocong_desktop.gui.pledges.checklist import COL_NAME
from gocong_desktop.gui.pledges.page import PledgesPage
from tests.gui.waiting import settle

YEAR = 2025


@pytest.fixture
def ctx(seeded, tmp_path):
    create_app()
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=seeded.households["Nguyễn Văn Ba"])
    context = make_context(seeded.db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield context
    context.tasks.wait()


@pytest.fixture
def opened(seeded):
    with seeded.db.session() as s:
        pledges.open_campaign(s, YEAR, opened_on=date(YEAR, 1, 5))
    return seeded


def shown_page(qtbot, ctx) -> PledgesPage:
    page = PledgesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.year.setValue(YEAR)
    page.show()
    settle(page)
    return page


def tick(qtbot, page, name: str) -> None:
    """Tick a household's box with the keyboard (Space on the name cell)."""
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).household_name == name)
    page.table.setCurrentIndex(page.model.index(row, COL_NAME))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)


def statuses(seeded) -> dict[str, tuple]:
    """Each household's pledge of YEAR: (status, signed date, witness, reason)."""
    with seeded.db.session() as s:
        return {r.household_name: (r.status, r.signed_date, r.witness_name, r.reason)
                for r in pledges.list_pledges(s, YEAR)}


def open_text_boxes() -> list[QInputDialog]:
    """The input boxes on screen (a reason being asked)."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()]
