"""Short garbage-collector pauses while the window reads a large commune.

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
this happens once, at a moment when nearly everything alive lives to the end.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_long_lived() -> None:
    """Keep what is alive now out of later collections; once per process (the
    first page shown: the libraries are imported and the window is built)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect(1)  # the young generations' garbage goes first, not into the frozen set
    gc.freeze()
