"""The garbage collector's full passes skip what lives from the window's start
(gui/gc_pauses.py): the window freezes what is alive once its first page shows
its data, once; what comes later (rows read, dialogs) is still collected."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gocong_desktop.gui import gc_pauses  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402


class _Cell:
    """A tracked object with a place for a reference cycle."""

    def __init__(self) -> None:
        self.other: object = None


def _walked_by_collections(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects())  # the frozen generation is not listed


@pytest.fixture
def fresh_process(monkeypatch):
    """As if no page had been shown yet in this process (earlier tests showed some)."""
    monkeypatch.setattr(gc_pauses, "_frozen", False)


def test_the_window_freezes_what_lives_once_its_first_page_shows_its_data(qtbot, seeded_ctx, fresh_process):
    """Not on the way to the data: the collection before the freeze waits until the start
    page's reads are applied (and painted); then once only."""
    window = MainWindow(seeded_ctx)
    qtbot.addWidget(window)
    before = _Cell()
    window.show()
    assert _walked_by_collections(before) and _walked_by_collections(window)  # not frozen while it opens
    qtbot.waitUntil(lambda: gc_pauses._frozen)
    assert not _walked_by_collections(before) and not _walked_by_collections(window)
    assert window.overview_page.table.rowCount() > 0  # the start page's data came first
    later = _Cell()
    window.nav.setCurrentRow(window.stack.indexOf(window.groups_page))  # another page freezes nothing more
    settle(window.groups_page)
    assert _walked_by_collections(later) and _walked_by_collections(window.groups_page)
    window.close()


def test_garbage_made_after_the_freeze_is_still_collected(qtbot, seeded_ctx, fresh_process):
    page = HouseholdsPage(seeded_ctx)
    qtbot.addWidget(page)
    page.show()
    settle(page)
    cycle = _Cell()
    cycle.other = _Cell()
    cycle.other.other = cycle
    gone = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert gone() is None
