"""The other pages' modules imported on a background thread once the window is up.

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

log = logging.getLogger(__name__)
AFTER_SHOWN_MS = 1500  # the start page's own reads and the start-up check go first


def import_in_background(modules: Iterable[str]) -> threading.Thread:
    """Import ``modules`` one by one on a daemon thread; a module that fails is left
    for its page to report when opened (the import is tried again there)."""
    names = list(modules)

    def run() -> None:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the page shows the error when opened
                log.warning("Could not import %s ahead of its page", name, exc_info=True)

    thread = threading.Thread(target=run, name="page-imports", daemon=True)
    thread.start()
    return thread
