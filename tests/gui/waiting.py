"""Answering a modal dialog that code under test opens with exec()."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


_test = [0]  # which test a waiter belongs to: forget_waiters() moves on to the next


def forget_waiters() -> None:
    """After a test: a waiter whose dialog never came must not act on the next test's."""
    _test[0] += 1


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Run ``act(dialog)`` on the next visible top-level widget of type ``kind``
    (shown during this test)."""
    test = _test[0]

    def poll() -> None:
        if test != _test[0]:
            return
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            act(dialog)
    QTimer.singleShot(0, poll)


def confirm_recovery_code(dialog) -> None:
    """The user ticks «I wrote it down» and closes the recovery-code box."""
    dialog.confirmed.setChecked(True)
    dialog.close_button.click()


def settle(holder) -> None:
    """Wait until the tasks and reads started so far finished and their results
    were applied (pages load off the UI thread). ``holder``: a context, or a
    page or window with ``ctx``."""
    ctx = getattr(holder, "ctx", holder)
    assert ctx.tasks.wait()
