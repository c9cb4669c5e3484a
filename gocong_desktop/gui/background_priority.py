"""Background threads that yield the CPU to the window.

On an office PC with two cores, the start-up check (every page of the file read
and, when encrypted, decrypted) took one core for seconds while a page's reads
took the other: a page opened meanwhile waited for a core (the meetings page's
first visit stalled 140–290 ms, issue 16). A thread that does long work nobody
waits for lowers its own priority, so the UI thread and the page reads go first.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

LINUX_NICE = 10  # of 19: behind the window and its reads, still well ahead of idle work
WINDOWS_BELOW_NORMAL = -1  # THREAD_PRIORITY_BELOW_NORMAL


def lower_this_threads_priority() -> None:
    """The calling thread's scheduling priority lowered; never raises (a system that
    refuses leaves the thread as it was)."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), WINDOWS_BELOW_NORMAL)
        elif sys.platform.startswith("linux"):  # a thread id is its own scheduling entity there
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), LINUX_NICE))
    except (OSError, AttributeError) as exc:
        log.info("could not lower a background thread's priority: %s", exc)
