"""Tổng quan as the clerk's start page: the to-do items with their counts, each a
click or Enter away from its list filtered to what it counts; the charts drawn."""

from __future__ import annotations

import os
import threading
import traceback
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from gocong_desktop.core.errors import ValidationError  # noqa: E402
from gocong_desktop.core.services import pledges  # noqa: E402
from gocong_desktop.core.services.start_page import (BACKUP, DRAFT_MINUTES, GROUPS_NOT_MET, MODELS_DUE,  # noqa: E402
                                                      PACKAGE, UNSIGNED_PLEDGES, to_do)
from gocong_desktop.gui.main_window import NAV_TITLES, MainWindow  # noqa: E402
from gocong_desktop.gui.overview.to_do import button_text  # noqa: E402
from tests.core.prevention_scenario import build_scenario  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402


@pytest.fixture
def window(qtbot, seeded, seeded_ctx):
    """The review scenario (2024), with this year's pledge campaign open."""
    build_scenario(seeded)
    with seeded.db.session(actor="tester") as s:
        pledges.open_campaign(s, date.today().year)
    seeded_ctx.settings.setValue("main/page", NAV_TITLES.index("Tổng quan"))
    win = MainWindow(seeded_ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    settle(win)
    yield win
    win.close()


def expected(window) -> dict:
    with window.ctx.db.session() as s:
        return {t.kind: t for t in to_do(s, today=date.today(), sent=None)}


def test_items_are_counted_and_the_charts_drawn(window, qtbot):
    page = window.overview_page
    window.ctx.tasks.wait()  # the window's first backup, if one is running: the page reads its items again
    settle(window)
    todo = expected(window)
    assert list(page.to_do.buttons) == [GROUPS_NOT_MET, DRAFT_MINUTES, UNSIGNED_PLEDGES, MODELS_DUE, PACKAGE, BACKUP]
    for kind, item in todo.items():
        if kind == BACKUP:  # a backup may finish at any moment of the test: its own test checks this item
            continue
        assert page.to_do.buttons[kind].text() == button_text(item)
        assert page.to_do.buttons[kind].description() == item.detail
    # The 2024 scenario seen today: no group met this quarter, five drafts, both running models due.
    assert todo[GROUPS_NOT_MET].count == 3 and todo[DRAFT_MINUTES].count == 5 and todo[MODELS_DUE].count == 2
    assert todo[UNSIGNED_PLEDGES].count == 6  # seven households, Ánh moved out
    assert page.to_do.buttons[GROUPS_NOT_MET].text().endswith(": 3")
    qtbot.waitUntil(lambda: page.charts.drawn, timeout=20000)  # drawn once the window is up
    for view in page.charts.views:  # drawn at the view's size by Qt's SVG image plugin
        assert not view.image.isNull() and view.image.deviceIndependentSize().toSize() == view.size()
        assert view.height() > 100 and b"Liberation Sans" in view.svg
    assert page.table.rowCount() == 3  # two hamlets and the commune, on their tab


def _list_size(window, kind: str) -> int:
    if kind == GROUPS_NOT_MET:
        page = window.groups_page
        assert page.not_met.isChecked() and page.hamlets.current_id() is None
        return page.model.rowCount()
    if kind == DRAFT_MINUTES:
        page = window.meetings_page
        assert page.filters.status.currentData() == "draft" and page.filters.hamlet.currentData() is None
        return page.model.total
    if kind == UNSIGNED_PLEDGES:
        page = window.pledges_page
        assert page.only_unsigned.isChecked() and page.scope().level == "commune"
        assert page.year.value() == date.today().year
        return page.model.total
    page = window.models_page
    assert page.status_filter.currentText() == "Đến hạn đánh giá"
    return page.model.rowCount()


@pytest.mark.parametrize("kind", [GROUPS_NOT_MET, DRAFT_MINUTES, UNSIGNED_PLEDGES, MODELS_DUE])
@pytest.mark.parametrize("by_key", [False, True])
def test_an_item_opens_its_list_filtered_to_what_it_counts(window, qtbot, kind, by_key):
    count = expected(window)[kind].count
    button = window.overview_page.to_do.buttons[kind]
    if by_key:
        button.setFocus()
        qtbot.keyClick(button, Qt.Key.Key_Return)
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(window)
    assert _list_size(window, kind) == count
    assert window.nav.currentItem().text() == {GROUPS_NOT_MET: "Tổ tự quản", DRAFT_MINUTES: "Sinh hoạt tổ",
                                               UNSIGNED_PLEDGES: "Cam kết", MODELS_DUE: "Mô hình"}[kind]


def test_a_filter_set_by_hand_is_replaced_by_the_item(window, qtbot):
    """The groups page left on one hamlet with a search typed: the item still shows them all."""
    window.nav.setCurrentRow(NAV_TITLES.index("Tổ tự quản"))
    settle(window)
    groups_page = window.groups_page
    groups_page.search.setText("zzz")
    window.nav.setCurrentRow(NAV_TITLES.index("Tổng quan"))
    qtbot.mouseClick(window.overview_page.to_do.buttons[GROUPS_NOT_MET], Qt.MouseButton.LeftButton)
    settle(window)
    qtbot.waitUntil(lambda: groups_page.model.rowCount() == 3)  # the search box's debounce, then the list
    assert groups_page.search.text() == ""


def test_package_item_opens_the_sync_page_and_backup_item_backs_up(window, qtbot):
    page = window.overview_page
    assert page.to_do.buttons[BACKUP].property("pending") is True
    qtbot.mouseClick(page.to_do.buttons[BACKUP], Qt.MouseButton.LeftButton)
    settle(window)
    qtbot.waitUntil(lambda: page.to_do.buttons[BACKUP].property("pending") is False)
    assert page.to_do.buttons[BACKUP].description().startswith("Bản gần nhất:")
    qtbot.mouseClick(page.to_do.buttons[PACKAGE], Qt.MouseButton.LeftButton)
    assert window.current_page() is window.sync_page


def test_the_charts_are_asked_for_as_soon_as_the_figures_are_in(qtbot, seeded, seeded_ctx, monkeypatch):
    """Not a second later, when a person opens another page (issue 16: the charts'
    reader work held that page's first visit): from the figures' own callback, or the
    moment the page's last read is applied; meanwhile the panel says why it is empty."""
    seeded_ctx.settings.setValue("main/page", NAV_TITLES.index("Tổng quan"))
    asked, query = [], seeded_ctx.query

    def recording_query(fn, *args, key=None, **kwargs):
        if isinstance(key, tuple) and key[-1] == "charts":
            callers = {frame.name for frame in traceback.extract_stack()}
            asked.append(bool(callers & {"_show_table", "_after_delivery"}) and "timeout" not in callers)
        return query(fn, *args, key=key, **kwargs)
    monkeypatch.setattr(seeded_ctx, "query", recording_query)
    win = MainWindow(seeded_ctx)
    qtbot.addWidget(win)
    page = win.overview_page
    assert not page.charts.drawing_note.isHidden() and not page.charts.drawn
    assert all(view.isHidden() for view in page.charts.views)  # no empty frames to scroll past
    win.show()
    qtbot.waitUntil(lambda: page.charts.drawn, timeout=20000)
    assert asked == [True]
    assert page.charts.drawing_note.isHidden() and not any(view.isHidden() for view in page.charts.views)
    settle(win)
    win.close()


def test_charts_that_fail_say_so_where_they_would_be(qtbot, seeded, seeded_ctx, monkeypatch):
    from gocong_desktop.gui.overview import page as overview

    def broken(_session, _rows):
        raise ValidationError("Biểu đồ hỏng.")
    monkeypatch.setattr(overview, "read_charts", broken)
    seeded_ctx.settings.setValue("main/page", NAV_TITLES.index("Tổng quan"))
    told = []
    when_shown(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    win = MainWindow(seeded_ctx)
    qtbot.addWidget(win)
    win.show()
    page = win.overview_page
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert told == ["Biểu đồ hỏng."] and not page.charts.drawn
    assert page.charts.drawing_note.text().startswith("Chưa vẽ được biểu đồ")
    settle(win)
    win.close()


def test_figures_that_arrive_while_reads_are_pending_draw_the_charts_once(window, monkeypatch):
    from gocong_desktop.gui.overview import reads

    page, drawn, go_on = window.overview_page, [], threading.Event()
    monkeypatch.setattr(page, "_draw_charts", lambda: drawn.append(1))
    figures = window.ctx.read(reads.read_table)
    window.ctx.query(lambda _session: go_on.wait(20))  # a read still running
    page._show_table(figures)
    page._show_table(figures)  # a refresh meanwhile
    assert drawn == []
    go_on.set()
    settle(window)
    assert drawn == [1]
