"""Database writes off the UI thread, one at a time, through one helper.

A single-worker pool serialises SQLite writes. Each task runs inside a change
recording (core/db/changes.py): what its commits wrote comes back to the UI
thread with its result, is announced once as ``data_changed(ChangeSet)`` — pages
refresh themselves when it touches a table they show (they never call each
other) — and then the caller's callback runs. A task that committed nothing
announces nothing. A busy indicator appears only when a task is slow (after ~0.5 s).
The runner also owns the reads (``reads``, gui/queries.py): holding, releasing and
waiting cover both, so a locked screen or a closing window minds reads too.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.queries import QueryRunner

log = logging.getLogger(__name__)
BUSY_AFTER_MS = 500


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    parent: QWidget | None
    busy: QTimer
    dialog: QProgressDialog | None = None


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], runner: "TaskRunner") -> None:
        super().__init__()
        self._id, self._fn, self._runner = job_id, fn, runner

    def run(self) -> None:  # worker thread
        with changes.recording() as recorded:
            try:
                result, failed = self._fn(), None
            except BaseException as exc:  # reported on the UI thread
                result, failed = None, exc
        # A task failing after a first commit announces what that commit wrote, too.
        if failed is not None:
            self._runner._failed.emit(self._id, failed, recorded.changes)
        else:
            self._runner._succeeded.emit(self._id, result, recorded.changes)


class TaskRunner(QObject):
    data_changed = Signal(object)  # ChangeSet: the tables a finished task's commits wrote
    _succeeded = Signal(int, object, object)
    _failed = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._held: list[tuple[Callable[..., None], tuple]] | None = None  # see hold()
        self.reads = QueryRunner(self)
        # Queued: the slots run on the UI thread, whatever thread emitted.
        self._succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)

    def run(self, fn: Callable[[], Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            parent: QWidget | None = None, busy_text: str | None = "Đang xử lý…") -> None:
        """``busy_text=None``: a background task (a daily backup) shows no busy box, which would block the window."""
        job_id = next(self._ids)
        busy = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        pending = _Pending(on_done, on_error, parent, busy)
        busy.timeout.connect(lambda: self._show_busy(pending, busy_text))
        self._pending[job_id] = pending
        if busy_text is not None:
            busy.start()
        self._pool.start(_Job(job_id, fn, self))

    def is_busy(self) -> bool:
        return bool(self._pending)

    def hold(self) -> None:
        """Keep finished tasks' callbacks (result boxes, errors) until ``release``:
        nothing pops up over a locked screen."""
        self._held = []
        self.reads.hold()

    def release(self) -> None:
        held, self._held = self._held, None
        for deliver, args in held or ():
            deliver(*args)
        self.reads.release()

    def wait(self, timeout_ms: int = 30000, *, reads: bool = True) -> bool:
        """Block until every task finished and its callback ran, then (``reads``) until
        the reads they started (pages refreshing) were applied (for shutdown and tests)."""
        done = self._pool.waitForDone(timeout_ms)
        QApplication.processEvents()
        return (self.reads.wait(timeout_ms) if reads else True) and done

    def _show_busy(self, pending: _Pending, text: str) -> None:
        dialog = QProgressDialog(text, "", 0, 0, pending.parent)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        pending.dialog = dialog

    def _finish(self, job_id: int) -> _Pending:
        pending = self._pending.pop(job_id)
        pending.busy.stop()
        if pending.dialog is not None:
            pending.dialog.close()
        return pending

    def _announce(self, written: ChangeSet) -> None:
        if written:
            self.data_changed.emit(written)

    @Slot(int, object, object)
    def _on_succeeded(self, job_id: int, result: Any, written: ChangeSet) -> None:
        if self._held is not None:
            self._held.append((self._on_succeeded, (job_id, result, written)))
            return
        pending = self._finish(job_id)
        self._announce(written)
        if pending.on_done is not None:
            pending.on_done(result)

    @Slot(int, object, object)
    def _on_failed(self, job_id: int, exc: BaseException, written: ChangeSet) -> None:
        if self._held is not None:
            self._held.append((self._on_failed, (job_id, exc, written)))
            return
        pending = self._finish(job_id)
        self._announce(written)
        if pending.on_error is not None:
            pending.on_error(exc)
        else:
            show_error(pending.parent, exc)
