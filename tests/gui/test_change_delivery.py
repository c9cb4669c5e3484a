"""Change sets reach the pages: a write from the GUI refreshes exactly the pages
showing a table it wrote, the visible one at once and the others when shown; a
failed write announces nothing. Real window, real database, real services."""

from __future__ import annotations

import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from gocong_desktop.core.db.changes import ChangeSet  # noqa: E402
from gocong_desktop.core.services import hamlets, households, propaganda  # noqa: E402
from gocong_desktop.core.services.households import HouseholdInput  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.households.dialog import HouseholdDialog  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402


@pytest.fixture
def window(qtbot, seeded, tmp_path):
    create_app()
    win = MainWindow(make_context(seeded.db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ctx.tasks.wait()
    win.close()


def _pages(window) -> list:
    return [window.stack.widget(i) for i in range(window.stack.count())]


def _show(window, page) -> None:
    window.nav.setCurrentRow(window.stack.indexOf(page))
    settle(window)


@pytest.fixture
def refreshed(window, monkeypatch) -> list[str]:
    """The pages that refresh from now on, by class name, in order. Every page has
    been shown once first (a page loads when first shown), then the households page."""
    for page in _pages(window):
        _show(window, page)
    _show(window, window.households_page)
    names: list[str] = []
    for page in _pages(window):
        def counted(page=page, real=page.refresh) -> None:
            names.append(type(page).__name__)
            real()
        monkeypatch.setattr(page, "refresh", counted)
    return names


def _visit_all(window) -> None:
    """Show every page in turn: a stale one refreshes when shown."""
    for page in _pages(window):
        _show(window, page)


def _write(qtbot, window, fn, *args, **kwargs) -> list[ChangeSet]:
    announced: list[ChangeSet] = []
    window.ctx.tasks.data_changed.connect(announced.append)
    done: list[object] = []
    window.ctx.write(fn, *args, on_done=done.append, on_error=done.append, **kwargs)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    settle(window)
    window.ctx.tasks.data_changed.disconnect(announced.append)
    return announced


def test_a_write_refreshes_exactly_the_pages_showing_its_tables(qtbot, window, seeded, refreshed):
    announced = _write(qtbot, window, households.create_household, HouseholdInput(
        head_name="Huỳnh Văn Tư", hamlet_id=seeded.hamlet_a, group_id=seeded.group_a1))
    assert announced == [ChangeSet.of("household", "audit_log")]
    assert refreshed == ["HouseholdsPage"]  # the page on screen, at once
    _visit_all(window)
    assert sorted(refreshed) == ["GroupsPage", "HouseholdsPage", "OverviewPage", "PledgesPage"]
    assert not window.meetings_page.TABLES & {"household", "audit_log"}  # left alone: shows none of them


def test_a_write_of_other_tables_leaves_these_pages_alone(qtbot, window, refreshed):
    announced = _write(qtbot, window, propaganda.record_activity, kind="phat_thanh",
                       activity_date=date(2024, 5, 1))
    assert announced == [ChangeSet.of("propaganda_activity", "audit_log")]
    _visit_all(window)
    assert refreshed == ["PreventionPage"]


def test_a_failed_write_announces_nothing_and_refreshes_nothing(qtbot, window, seeded, refreshed):
    def rename_then_fail(session):
        hamlets.rename_hamlet(session, seeded.hamlet_b, "Đồng Sơn Mới")
        session.flush()  # written, then rolled back with the refusal below
        households.create_household(session, HouseholdInput(head_name="", hamlet_id=seeded.hamlet_a))

    announced = _write(qtbot, window, rename_then_fail)
    assert announced == []
    _visit_all(window)
    assert refreshed == []


def test_the_page_on_screen_shows_the_change_at_once(qtbot, window, seeded, refreshed):
    _show(window, window.groups_page)
    panel = window.groups_page.hamlets
    _write(qtbot, window, hamlets.rename_hamlet, seeded.hamlet_b, "Đồng Sơn Mới")
    labels = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert any(label.startswith("Đồng Sơn Mới") for label in labels)


def test_a_household_added_on_its_page_updates_the_groups_counts(qtbot, window, seeded):
    _show(window, window.groups_page)
    assert window.groups_page.count_label.text() == "3 tổ, 7 hộ"
    page = window.households_page
    _show(window, page)
    page.hamlet_filter.setCurrentIndex(page.hamlet_filter.findData(seeded.hamlet_a))
    page.group_filter.setCurrentIndex(page.group_filter.findData(seeded.group_a1))

    def fill_and_save(dialog: HouseholdDialog) -> None:
        type_text(dialog.head_name, "Huỳnh Văn Tư")
        dialog.ok_button.click()

    when_shown(HouseholdDialog, fill_and_save)
    page.add_button.click()  # the dialog's exec() returns once the write is done
    window.ctx.tasks.wait()
    _show(window, window.groups_page)
    assert window.groups_page.count_label.text() == "3 tổ, 8 hộ"
