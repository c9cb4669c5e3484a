"""The pages' modules imported on a background thread: behind the sign-in box while
the password is typed (gui/launch.py), and those not imported yet once the window is up.

A page is built the first time it is shown (gui/widgets/page_stack.py); most of
that first visit was importing its module (80–240 ms of UI thread at 50,000
households, the sync page the most). Imported here meanwhile, a first visit only
builds widgets. Page modules create no Qt object at import but value types
(colours, locales), which any thread may make.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable

from gocong_desktop.gui.overview import reads as overview_reads

log = logging.getLogger(__name__)
AFTER_SHOWN_MS = 1500  # the start page's own reads and the start-up check go first


# Each page's module and class, in the navigation's order (gui/main_window.py builds a
# page from them when it is first shown).
PAGE_MODULES = {
    "Tổng quan": ("gocong_desktop.gui.overview.page", "OverviewPage"),
    "Tổ tự quản": ("gocong_desktop.gui.groups.page", "GroupsPage"),
    "Hộ gia đình": ("gocong_desktop.gui.households.page", "HouseholdsPage"),
    "Sinh hoạt tổ": ("gocong_desktop.gui.meetings.page", "MeetingsPage"),
    "Cam kết": ("gocong_desktop.gui.pledges.page", "PledgesPage"),
    "Mô hình": ("gocong_desktop.gui.prevention.page", "PreventionPage"),
    "Đồng bộ": ("gocong_desktop.gui.sync.page", "SyncPage"),
    "Báo cáo": ("gocong_desktop.gui.reports.page", "ReportsPage"),
}

# What the window starts with and is soon asked for: imported while a person signs in.
# The start page's charts (reportlab: 0.13 s to import) are drawn right after its figures;
# imported then, on a reader thread, they would hold the first page a person opens.
WHILE_SIGNING_IN = (*overview_reads.SERVICES, overview_reads.CHARTS,
                    *(module for module, _ in PAGE_MODULES.values()))


def import_in_background(modules: Iterable[str], *, stop: threading.Event | None = None) -> threading.Thread:
    """Import ``modules`` one by one on a daemon thread, until ``stop`` is set (the one
    under way finishes); a module that fails is left for its page to report when
    opened (the import is tried again there)."""
    names = list(modules)

    def run() -> None:
        for name in names:
            if stop is not None and stop.is_set():
                return
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the page shows the error when opened
                log.warning("Could not import %s ahead of its page", name, exc_info=True)

    thread = threading.Thread(target=run, name="page-imports", daemon=True)
    thread.start()
    return thread
