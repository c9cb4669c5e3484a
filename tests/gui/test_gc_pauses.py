"""The garbage collector's full passes skip what lives from the window's start
(gui/gc_pauses.py): the first page shown freezes what is alive then, once; what
comes later (rows read, dialogs) is still collected."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gocong_desktop.gui import gc_pauses  # noqa: E402
from gocong_desktop.gui.groups.page import GroupsPage  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
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


def test_the_first_page_shown_freezes_what_lives_then_once(qtbot, seeded_ctx, fresh_process):
    page = HouseholdsPage(seeded_ctx)
    qtbot.addWidget(page)
    before = _Cell()
    assert _walked_by_collections(before) and _walked_by_collections(page)
    page.show()
    settle(page)
    assert not _walked_by_collections(before) and not _walked_by_collections(page)
    later = _Cell()
    other = GroupsPage(seeded_ctx)
    qtbot.addWidget(other)
    other.show()  # a second page shown freezes nothing more
    settle(other)
    assert _walked_by_collections(later) and _walked_by_collections(other)


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
