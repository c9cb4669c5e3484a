"""Lock the windows after a while without keyboard or mouse.

While locked, every open window of the app is covered by an opaque curtain and
an application-modal box asks for the password. Nothing is closed: a dialog
half filled in, or a meeting being edited, is there again after unlocking.
Results of background work wait until then (``TaskRunner.hold``), and any
window that still opens meanwhile is covered as it appears.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu, QVBoxLayout, QWidget

from gocong_desktop.core.db.access import Principal
from gocong_desktop.core.db.engine import Database
from gocong_desktop.gui.security.sign_in import UnlockDialog
from gocong_desktop.gui.tasks import TaskRunner

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}
CHECK_EVERY_MS = 15_000


class Curtain(QWidget):
    """An opaque cover over one window, following its size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: palette(window);")
        layout = QVBoxLayout(self)
        label = QLabel("Đã khóa màn hình")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        elif event.type() == QEvent.Type.ChildAdded:
            self.raise_()
        return False


class IdleLock(QObject):
    """Watches the app's input; ``lock()`` also works on demand (Ctrl+L)."""

    # The person at the desk chose to sign the locked person out: every other
    # window is closed and the main window hidden before this is emitted.
    sign_out_requested = Signal()

    def __init__(self, db: Database, principal: Principal, minutes: int, parent: QObject | None = None,
                 *, check_every_ms: int = CHECK_EVERY_MS, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.db, self.principal, self.tasks = db, principal, tasks
        self.minutes = minutes
        self.locked = False
        self.curtains: list[Curtain] = []
        self.dialog: UnlockDialog | None = None
        self._last_input = time.monotonic()
        QApplication.instance().installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(check_every_ms)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if not self.locked:
            if event.type() in _ACTIVITY:
                self._last_input = time.monotonic()
        elif event.type() == QEvent.Type.Show and self._needs_curtain(watched):
            self.curtains.append(Curtain(watched))  # opened while locked: covered too
            QTimer.singleShot(0, self._raise_dialog)
        return False

    def _needs_curtain(self, widget: QObject) -> bool:
        return (isinstance(widget, QWidget) and widget.isWindow()
                and not isinstance(widget, (Curtain, UnlockDialog, QMenu))
                and not any(c.parentWidget() is widget for c in self.curtains))

    def _raise_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_input

    def check(self) -> None:
        if not self.locked and self.idle_seconds() >= self.minutes * 60:
            self.lock(idle=True)

    def lock(self, *, idle: bool = False) -> None:
        """Cover every window, then ask for the password (returns once unlocked)."""
        if self.locked:
            return
        self.locked = True
        if self.tasks is not None:
            self.tasks.hold()
        self.curtains = [Curtain(w) for w in QApplication.topLevelWidgets()
                         if w.isVisible() and self._needs_curtain(w)]
        self.dialog = UnlockDialog(self.db, self.principal, self.minutes if idle else None)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.finished.connect(self._on_finished)
        self.dialog.show()  # application-modal, not exec(): a lock from a timer must not nest event loops

    def _on_finished(self, code: int) -> None:
        if code != UnlockDialog.SWITCH:
            return
        for window in QApplication.topLevelWidgets():  # nothing of theirs stays open
            if window.isVisible() and not isinstance(window, (Curtain, UnlockDialog)):
                if isinstance(window, QDialog):
                    window.reject()  # ends its exec() once control returns to the event loop
                elif window is not self.parent():
                    window.close()  # e.g. a meeting editor: it saves what is typed as it closes
        if isinstance(self.parent(), QWidget):
            self.parent().hide()
        self._unlocked()
        QTimer.singleShot(0, self.sign_out_requested.emit)  # after the dialogs' loops have ended

    def _unlocked(self) -> None:
        for curtain in self.curtains:
            try:
                curtain.parentWidget().removeEventFilter(curtain)
                curtain.deleteLater()
            except RuntimeError:  # its window was closed (and deleted) while locked
                pass
        self.curtains = []
        self.dialog.deleteLater()
        self.dialog = None
        self.locked = False
        self._last_input = time.monotonic()
        if self.tasks is not None:
            self.tasks.release()  # what finished meanwhile shows now
