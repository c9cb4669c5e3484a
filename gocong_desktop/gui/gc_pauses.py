"""The garbage collector in the window: short pauses while it reads a large
commune, and collections on the UI thread only.

CPython's full collection walks every object alive and holds the GIL
throughout, in whichever thread happened to allocate: often a reader thread
making rows, so the UI thread cannot run either. Once the window is up, about
150,000 objects live until it closes (the libraries' modules and classes, the
tables' metadata, the pages' widgets); a full pass over them froze the window
for 100–140 ms of CPU while the households page opened, a search ran or the
pledges scrolled (issue 16). ``gc.freeze()`` moves what is alive at that moment
out of every later collection, so a full pass only walks what came since:
rows read, dialogs, pages built later. Frozen objects are still freed when
their last reference goes; only a cycle among them would stay, which is why
this happens once, at a moment when nearly everything alive lives to the end:
the window built and its first page's data shown (the collection before the
freeze takes about 0.1 s at start-up, so it waits until the data is painted).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QTimer

_frozen = False
FREEZE_AFTER_MS = 50  # after the first page's data is applied: its painting goes first


def freeze_long_lived() -> None:
    """Keep what is alive now out of later collections; once per process (the
    window shown with its first page's data: the libraries are imported, the window built)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect(1)  # the young generations' garbage goes first, not into the frozen set
    gc.freeze()


# How often the UI thread looks at the collector's counts (Anki's GarbageCollector does
# the same): often enough that garbage never piles up, rare enough to cost nothing.
COLLECT_EVERY_MS = 500


def collect_on_ui_thread(app: QCoreApplication) -> None:
    """Collections only on the UI thread, from a timer, never in a reader thread.

    An automatic collection runs in whichever thread allocates when a count passes
    its threshold; a reader thread making rows would then free the widgets of a
    cycle that has become garbage (a closed dialog and its slots, say) away from
    the thread that owns them, and Qt crashes later, anywhere (seen: segfaults
    while a page read households on a worker thread). The same thresholds are
    applied by hand, generation by generation, as CPython would. Once per app."""
    if app.property("gc_on_ui_thread"):
        return
    app.setProperty("gc_on_ui_thread", True)
    thresholds = gc.get_threshold()
    gc.disable()
    timer = QTimer(app)
    timer.setInterval(COLLECT_EVERY_MS)
    timer.timeout.connect(lambda: _collect_due(thresholds))
    timer.start()


def _collect_due(thresholds: tuple[int, int, int]) -> None:
    """As CPython would: the youngest generation when its count passes its threshold,
    with the older ones whose counts have passed theirs too."""
    young, middle, old = gc.get_count()
    if young <= thresholds[0]:
        return
    generation = 0
    if middle > thresholds[1]:
        generation = 2 if old > thresholds[2] else 1
    gc.collect(generation)
