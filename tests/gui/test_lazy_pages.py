"""The window shows its start page without building the others (issue 16): each page
is built, and its module imported, the first time it is shown; a page built late
shows the data as it is then, and hears of changes from then on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gocong_desktop.core.errors import UserError  # noqa: E402
from gocong_desktop.core.services import households  # noqa: E402
from gocong_desktop.core.services.households import HouseholdInput  # noqa: E402
from gocong_desktop.gui import main_window  # noqa: E402
from gocong_desktop.gui.main_window import NAV_TITLES, MainWindow  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

OTHER_PAGES = ["groups", "households", "meetings", "pledges", "prevention", "sync", "reports"]
# Libraries only a document, a preview or a sync package needs.
NOT_AT_START = ["reportlab", "openpyxl", "pypdfium2", "alembic", "gocong_desktop.core.demo",
                "gocong_desktop.core.documents.pdf", "gocong_desktop.core.documents.excel",
                "gocong_desktop.core.sync.package"]

# The window as the app opens it, on the Overview; what was imported once it shows its
# figures (its charts, drawn right after them, import reportlab: behind the sign-in box
# in the app, gui/launch.py).
START = r"""
import json, sys
from PySide6.QtCore import QSettings
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.gui.application import create_app
from gocong_desktop.gui.app import make_context
from gocong_desktop.gui.main_window import MainWindow
from gocong_desktop.gui.overview.page import OverviewPage
create_app()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("main/page", 0)
at_figures = []
show_table = OverviewPage._show_table
def showing_table(self, figures):
    at_figures.extend(sys.modules)
    show_table(self, figures)
OverviewPage._show_table = showing_table
db = open_database(sys.argv[1])
window = MainWindow(make_context(db, settings))
window.show()
assert window.ctx.tasks.wait()
shown = window.overview_page.table.rowCount()
modules = at_figures or list(sys.modules)
window.close()
db.close()
print(json.dumps({"rows": shown, "modules": sorted(modules)}))
"""


def test_the_window_starts_without_importing_the_other_pages(seeded, tmp_path):
    run = subprocess.run([sys.executable, "-c", START, str(seeded.db.path), str(tmp_path / "s.ini")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    started = json.loads(run.stdout.splitlines()[-1])
    assert started["rows"] == 3  # two hamlets and the commune: the start page has its data
    modules = started["modules"]
    assert "gocong_desktop.gui.overview.page" in modules
    assert not [m for m in modules for page in OTHER_PAGES if m.startswith(f"gocong_desktop.gui.{page}")]
    assert not [m for m in modules for lib in NOT_AT_START if m == lib or m.startswith(f"{lib}.")]


# The window opened on a list page (the page a clerk left it on): what only its buttons
# open (the PDF preview, the spreadsheet reader, the review report) waits for them.
ON_HOUSEHOLDS = START.replace('settings.setValue("main/page", 0)',
                              f'settings.setValue("main/page", {NAV_TITLES.index("Hộ gia đình")})').replace(
    "shown = window.overview_page.table.rowCount()", "shown = window.households_page.model.total")
NOT_FOR_A_LIST = [*NOT_AT_START, "gocong_desktop.core.documents.reports", "gocong_desktop.core.services.household_import",
                  "gocong_desktop.gui.documents.pdf_preview", "gocong_desktop.gui.households.import_dialog"]


def test_a_list_page_starts_without_what_only_its_buttons_open(seeded, tmp_path):
    run = subprocess.run([sys.executable, "-c", ON_HOUSEHOLDS, str(seeded.db.path), str(tmp_path / "s.ini")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    started = json.loads(run.stdout.splitlines()[-1])
    assert started["rows"] == 7  # the households page has its data
    modules = started["modules"]
    assert "gocong_desktop.gui.households.page" in modules
    assert not [m for m in modules for lib in NOT_FOR_A_LIST if m == lib or m.startswith(f"{lib}.")]


def test_no_page_loads_the_pdf_renderer_before_a_pdf_is_shown():
    """pdfium's library takes 0.1 s to load: the page a clerk opens first stalled on it
    (the page modules' background import had not reached it yet)."""
    pages = "; ".join(f"import gocong_desktop.gui.{page}.page" for page in OTHER_PAGES)
    run = subprocess.run([sys.executable, "-c", f"import sys; {pages}; print('pypdfium2' in sys.modules)"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False"]


# Then, once it has been up a moment: the other pages' modules, imported on a thread of their own.
LATER = START.replace("shown = window.overview_page.table.rowCount()", """shown = window.overview_page.table.rowCount()
import threading
from PySide6.QtCore import QEventLoop, QTimer
from gocong_desktop.gui.page_imports import AFTER_SHOWN_MS
loop = QEventLoop()
QTimer.singleShot(AFTER_SHOWN_MS + 200, loop.quit)
loop.exec()
for thread in threading.enumerate():
    if thread.name == "page-imports":
        thread.join(60)
built = [window.stack.is_built(row) for row in range(window.stack.count())]
assert built.count(True) == 1, built
at_figures.clear()  # what is imported now""")


def test_the_other_pages_modules_are_imported_in_the_background_once_it_is_up(seeded, tmp_path):
    run = subprocess.run([sys.executable, "-c", LATER, str(seeded.db.path), str(tmp_path / "s.ini")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    modules = json.loads(run.stdout.splitlines()[-1])["modules"]
    assert all(f"gocong_desktop.gui.{page}.page" in modules for page in OTHER_PAGES)


@pytest.fixture
def window(qtbot, seeded_ctx):
    seeded_ctx.settings.setValue("main/page", NAV_TITLES.index("Tổng quan"))
    win = MainWindow(seeded_ctx)
    qtbot.addWidget(win)
    win.show()
    settle(win)
    yield win
    win.close()


def _row(title: str) -> int:
    return NAV_TITLES.index(title)


def test_only_the_start_page_is_built(window):
    assert [row for row in range(len(NAV_TITLES)) if window.stack.is_built(row)] == [_row("Tổng quan")]
    assert window.current_page() is window.overview_page


def test_a_page_built_after_a_change_shows_the_data_as_it_is(qtbot, window, seeded):
    done = []
    window.ctx.write(households.create_household, HouseholdInput(
        head_name="Huỳnh Văn Tư", hamlet_id=seeded.hamlet_a, group_id=seeded.group_a1), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    settle(window)
    assert not window.stack.is_built(_row("Tổ tự quản"))
    window.nav.setCurrentRow(_row("Tổ tự quản"))
    settle(window)
    assert window.current_page() is window.groups_page
    assert window.groups_page.count_label.text() == "3 tổ, 8 hộ"
    window.nav.setCurrentRow(_row("Tổng quan"))  # built now: a later change marks it stale, shown again it reloads
    done.clear()
    window.ctx.write(households.create_household, HouseholdInput(
        head_name="Lý Thị Năm", hamlet_id=seeded.hamlet_b, group_id=seeded.group_b3), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    window.nav.setCurrentRow(_row("Tổ tự quản"))
    settle(window)
    assert window.groups_page.count_label.text() == "3 tổ, 9 hộ"


def test_the_restored_page_is_the_one_built(qtbot, seeded_ctx):
    seeded_ctx.settings.setValue("main/page", _row("Hộ gia đình"))
    win = MainWindow(seeded_ctx)
    qtbot.addWidget(win)
    win.show()
    settle(win)
    assert [row for row in range(len(NAV_TITLES)) if win.stack.is_built(row)] == [_row("Hộ gia đình")]
    assert win.households_page.model.total == 7
    win.close()


def test_a_page_that_cannot_be_built_says_so_and_the_window_stays_where_it_was(qtbot, seeded_ctx, monkeypatch):
    def broken(_ctx):
        raise UserError("Không mở được trang cam kết.")

    shown = []
    monkeypatch.setitem(main_window.PAGES, "Cam kết", broken)
    monkeypatch.setattr(main_window, "show_error", lambda _parent, exc: shown.append(exc.message))
    win = MainWindow(seeded_ctx)
    qtbot.addWidget(win)
    win.show()
    win.nav.setCurrentRow(_row("Cam kết"))
    assert shown == ["Không mở được trang cam kết."]
    assert win.nav.currentRow() == win.stack.currentIndex() == _row("Tổng quan")
    settle(win)
    win.close()  # closing saves the state of the pages built, and no stand-in


def test_the_edit_menu_offers_only_what_the_page_does(window):
    """Thêm mới/Sửa/Xóa were enabled but did nothing on Báo cáo and Tổng quan (issue 18)."""
    for title, can in (("Tổng quan", False), ("Hộ gia đình", True), ("Báo cáo", False), ("Sinh hoạt tổ", True)):
        window.nav.setCurrentRow(_row(title))
        assert [a.isEnabled() for a in (window.new_action, window.edit_action, window.delete_action)] == [can] * 3, \
            title
