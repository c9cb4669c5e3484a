"""Save as you go: a pause after the last edit (~1.5 s), then one ``save_draft``
on the worker. Never two saves at once (rows new in the first would be added
twice): edits made meanwhile are saved right after. ``flush`` saves and waits,
for closing the window."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.meeting_drafts import MeetingDraft, save_draft
from gocong_desktop.gui.context import AppContext

AUTOSAVE_DELAY_MS = 1500

# collect() -> (draft read from the widgets, {id(child sent): its widget})
Collect = Callable[[], tuple[MeetingDraft, dict[int, Any]]]


class Autosaver(QObject):
    saved = Signal(object, object, object)  # sent draft, saved draft, owners
    failed = Signal(object)  # the exception (a UserError names its field)
    status_changed = Signal(str, bool)  # text for the status line, is it a problem

    def __init__(self, ctx: AppContext, meeting_id: str, collect: Collect, parent: QObject | None = None,
                 *, delay_ms: int = AUTOSAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id, self._collect = ctx, meeting_id, collect
        self.dirty = False
        self.in_flight = False
        self.last_error: BaseException | None = None
        self.saved_at: datetime | None = None
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.save_now)

    def schedule(self) -> None:
        """Something was edited: save after a pause."""
        self.dirty = True
        self.status_changed.emit("Có thay đổi chưa lưu…", False)
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self.dirty = False

    def save_now(self) -> None:
        self._timer.stop()
        if self.in_flight or not self.dirty:
            return  # a save in flight saves again when it ends
        try:
            draft, owners = self._collect()
        except UserError as exc:
            self._on_failed(exc)
            return
        self.dirty, self.in_flight = False, True
        self.status_changed.emit("Đang lưu…", False)
        self.ctx.write(save_draft, self.meeting_id, draft,
                       on_done=lambda result: self._on_saved(draft, result, owners), on_error=self._on_error)

    def flush(self) -> bool:
        """Save what is pending and wait; True when everything typed is stored."""
        for _ in range(3):  # a save in flight, then the edits made during it
            self.save_now()
            self.ctx.tasks.wait()
            if not self.dirty or self.last_error is not None:
                break
        return not self.dirty and not self.in_flight and self.last_error is None

    # ---- results --------------------------------------------------------
    def _on_saved(self, sent: MeetingDraft, result: MeetingDraft, owners: dict[int, Any]) -> None:
        self.in_flight, self.last_error = False, None
        self.saved_at = datetime.now()
        self.saved.emit(sent, result, owners)
        if self.dirty:
            self.save_now()
        else:
            self.status_changed.emit(f"Đã lưu lúc {self.saved_at:%H:%M}", False)

    def _on_error(self, exc: BaseException) -> None:
        self.in_flight = False
        self.dirty = True  # what was sent is not stored: keep it pending
        self._on_failed(exc)

    def _on_failed(self, exc: BaseException) -> None:
        self.last_error = exc
        message = exc.message if isinstance(exc, UserError) else "Đã xảy ra lỗi khi lưu."
        self.status_changed.emit(f"Chưa lưu được: {message}", True)
        self.failed.emit(exc)
