"""The meetings page on a seeded commune whose group has officers (a new meeting
gets its chair and secretary): shared by the page's tests and the keyboard's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from gocong_desktop.core.services import groups
from gocong_desktop.gui.application import create_app
from gocong_desktop.gui.app import make_context
from gocong_desktop.gui.meetings.page import MeetingsPage
from tests.gui.waiting import settle


@pytest.fixture
def ctx(seeded, tmp_path):
    create_app()
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=seeded.households["Nguyễn Văn Ba"],
                          deputy_household_id=seeded.households["Lê Thị Hoa"])
    context = make_context(seeded.db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield context
    context.tasks.wait()


@pytest.fixture
def page(qtbot, ctx):
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1150, 600)
    widget.show()
    settle(widget)
    yield widget
    for editor in list(widget.editors.values()):
        editor.autosaver.cancel()  # nothing written after the test's database is gone
        editor.close()
    ctx.tasks.wait()
