"""The checkpoint after a big write, run beside the next piece of work.

An import at the upper office writes thousands of pages to the write-ahead log
(~60,000 at 100 communes for a package of random ids, issue 16; db/ids.py keeps a
package's rows together now). SQLite copies them into the main
file at the commit that crosses ``wal_autocheckpoint``, inside the import's own
time: about a quarter of it. A bulk writer turns that off (``sync/txn.py``), and
every sync write transaction on a file hands the copy to this thread once
committed, which runs while the caller reads its next package. The commit is
durable before that (WAL, synchronous=FULL): a power cut only leaves the log to
be copied at the next open.

The next write transaction waits for the copy first, so the log is restarted
from its beginning rather than grown by every package of a round; the database's
close waits for it too.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)


class BackgroundCheckpoint:
    """At most one checkpoint running at a time, on a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # an import's worker starts it, the window's close waits for it

    def start(self) -> None:
        """Never raises: it is called once a write is committed, which must not be
        reported as failed (nor every later write and the close refused) because no
        thread could be had; the log then waits for the next checkpoint or the close."""
        with self._lock:
            self._join()
            thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            try:
                thread.start()
            except Exception:  # RuntimeError: can't start new thread (out of memory or threads)
                log.warning("background checkpoint not started", exc_info=True)
                return
            self._thread = thread

    def wait(self) -> None:
        with self._lock:
            self._join()

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        try:
            with self._engine.connect() as conn:
                # PASSIVE: never waits for a reader or writer; what it cannot copy
                # now the next checkpoint (or the close) copies.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # harmless: the log stays and is copied later
            log.warning("background checkpoint failed", exc_info=True)
