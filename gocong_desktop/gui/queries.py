"""Database reads off the UI thread, in the spirit of Anki's QueryOp.

``run(fn, on_done=...)`` calls ``fn()`` on a small pool of reader threads (each
read opens its own session: SQLite's WAL lets readers run beside the writer) and
hands the result to ``on_done`` on the UI thread. A read started with a ``key``
makes older reads with the same key stale: their results are dropped (typing in
a search box starts a new search before the last one ended). Only a slow read
shows that it is busy, and never with a modal box: the parent widget's cursor
turns busy and ``busy_changed`` tells the window (its status bar). An error is
shown like a failed task's. After ``close()`` (the window closing, another
database opened) nothing is delivered any more.

A read can start before the widget that shows it exists (``run_ahead``: the start
page's, while the window is built); the widget ``take``s it as if it had started it.
``when_idle`` waits for the reads of the moment (the start-up check goes after the
start page's first figures: both would share two cores).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, Hashable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from gocong_desktop.gui.errors import show_error

BUSY_AFTER_MS = 300
READER_THREADS = 2


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    parent: QWidget | None
    key: Hashable | None
    busy: QTimer
    slow: bool = False


class _Read(QRunnable):
    def __init__(self, read_id: int, fn: Callable[[], Any], runner: "QueryRunner") -> None:
        super().__init__()
        self._id, self._fn, self._runner = read_id, fn, runner

    def run(self) -> None:  # reader thread
        try:
            result, failed = self._fn(), None
        except BaseException as exc:  # reported on the UI thread
            result, failed = None, exc
        try:
            self._runner._finished.emit(self._id, result, failed)
        except RuntimeError:  # the runner is gone (the program is ending): nobody to tell
            pass


def _alive(widget: QWidget | None) -> bool:
    return widget is not None and shiboken6.isValid(widget)


class QueryRunner(QObject):
    busy_changed = Signal(bool)  # a slow read started, or the last slow one ended
    _finished = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(READER_THREADS)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._latest: dict[Hashable, int] = {}  # key -> the newest read started with it
        self._held: list[tuple[int, Any, BaseException | None]] | None = None  # see hold()
        self._ahead: dict[Hashable, tuple[int, Callable[[], Any]]] = {}  # name -> a read started ahead, not taken
        self._arrived: dict[int, tuple[Any, BaseException | None]] = {}  # such a read, finished
        self._when_idle: list[Callable[[], None]] = []
        self._closed = False
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def run(self, fn: Callable[[], Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            parent: QWidget | None = None, key: Hashable | None = None) -> int:
        """Start reading; returns the read's number."""
        read_id = next(self._ids)
        if self._closed:
            return read_id
        busy = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        pending = _Pending(on_done, on_error, parent, key, busy)
        busy.timeout.connect(lambda: self._show_busy(pending))
        self._pending[read_id] = pending
        if key is not None:
            self._latest[key] = read_id
        busy.start()
        self._pool.start(_Read(read_id, fn, self))
        return read_id

    def run_ahead(self, name: Hashable, fn: Callable[[], Any]) -> int:
        """Start a read for a widget not built yet; it ``take``s the read by ``name``."""
        read_id = self.run(fn)
        if not self._closed:
            self._ahead[name] = (read_id, fn)
        return read_id

    def take(self, name: Hashable, *, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             parent: QWidget | None = None, key: Hashable | None = None) -> bool:
        """The read started ahead as ``name``, as if ``run`` had started it now with these
        arguments (its result delivered at once if it has arrived). False when there is
        none: the caller reads for itself. A read ahead that failed is read once more,
        now: it may have run into the window's own imports (a concurrent import of a
        package can fail in one thread); a second failure is reported as usual."""
        read_id, fn = self._ahead.pop(name, (None, None))
        if read_id is None:
            return False
        def again(_exc: BaseException) -> None:
            self.run(fn, on_done=on_done, on_error=on_error, parent=parent, key=key)
        if read_id in self._arrived:
            self._deliver(on_done, again, parent, *self._arrived.pop(read_id))
            return True
        pending = self._pending.get(read_id)
        if pending is None:  # closed meanwhile
            return False
        pending.on_done, pending.on_error, pending.parent, pending.key = on_done, again, parent, key
        if key is not None:
            self._latest[key] = read_id
        return True

    def is_busy(self) -> bool:
        return bool(self._pending)

    def when_idle(self, callback: Callable[[], None]) -> None:
        """``callback()`` once no read is running or waiting to be applied, the reads
        their results started included (now, if none is). Never after ``close``."""
        if self._closed:
            return
        if not self._pending:
            callback()
        else:
            self._when_idle.append(callback)

    def hold(self) -> None:
        """Keep finished reads until ``release``: no error pops up over a locked screen."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held, None
        for finished in held or ():
            self._on_finished(*finished)

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until every read finished and its result was applied, including the
        reads those results started (for tests and before the database closes)."""
        while True:
            if not self._pool.waitForDone(timeout_ms):
                return False
            QApplication.processEvents()
            if not self._pool.activeThreadCount() and (self._held is not None or not self._pending):
                return True

    def close(self, *, wait: bool = True) -> None:
        """The window closes or the database changes: deliver nothing any more, and
        wait for running reads unless the caller waits before the database closes
        (``app.finish_in_background``: the window is gone at once)."""
        self._closed = True
        if wait:
            self._pool.waitForDone()
        for read_id in list(self._pending):
            self._finish(read_id)
        self._held = None
        self._ahead.clear()
        self._arrived.clear()
        self._when_idle.clear()

    # ---- on the UI thread -------------------------------------------------
    def _show_busy(self, pending: _Pending) -> None:
        was_busy = self._any_slow()
        pending.slow = True
        if _alive(pending.parent):
            pending.parent.setCursor(Qt.CursorShape.BusyCursor)
        if not was_busy:
            self.busy_changed.emit(True)

    def _any_slow(self) -> bool:
        return any(p.slow for p in self._pending.values())

    def _finish(self, read_id: int) -> _Pending:
        pending = self._pending.pop(read_id)
        pending.busy.stop()
        if pending.key is not None and self._latest.get(pending.key) == read_id:
            del self._latest[pending.key]
        if pending.slow:
            parent = pending.parent
            if _alive(parent) and not any(p.slow and p.parent is parent for p in self._pending.values()):
                parent.unsetCursor()
            if not self._any_slow():
                self.busy_changed.emit(False)
        return pending

    @Slot(int, object, object)
    def _on_finished(self, read_id: int, result: Any, failed: BaseException | None) -> None:
        if read_id not in self._pending:  # closed meanwhile
            return
        if self._held is not None:
            self._held.append((read_id, result, failed))
            return
        pending = self._pending[read_id]
        stale = pending.key is not None and self._latest.get(pending.key) != read_id
        self._finish(read_id)
        if any(read_id == ahead for ahead, _fn in self._ahead.values()):  # not taken yet: kept for ``take``
            self._arrived[read_id] = (result, failed)
        elif not stale:  # else a newer read with its key replaces it
            self._deliver(pending.on_done, pending.on_error, pending.parent, result, failed)
        self._after_delivery()

    @staticmethod
    def _deliver(on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 parent: QWidget | None, result: Any, failed: BaseException | None) -> None:
        if parent is not None and not _alive(parent):
            return  # its page is gone
        if failed is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(failed)
        else:
            show_error(parent, failed)

    def _after_delivery(self) -> None:
        if self._pending or not self._when_idle:
            return
        waiting, self._when_idle = self._when_idle, []
        for callback in waiting:
            callback()
