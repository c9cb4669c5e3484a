"""The start-up check once the window is shown: ``quick_check`` (the full
``integrity_check`` after an unclean exit) on a thread of its own, a note in the
status bar meanwhile, and on failure the warning and restore offer the check
before showing used to make.

It reads through its own read-only connection, so the window is usable while it
runs. The lock file of an unclean exit stays until the check has run (see
``db_startup.open_guarded``): closing or crashing before that, the next start
checks again.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from gocong_desktop.core.maintenance.startup import StartupCheck, check_at_start, damaged_message
from gocong_desktop.core.storage.lock import held_lock
from gocong_desktop.gui.background_priority import lower_this_threads_priority
from gocong_desktop.gui import message_box

log = logging.getLogger(__name__)
RUNNING_TEXT = "Đang kiểm tra dữ liệu…"
RUNNING_UNCLEAN_TEXT = "Lần trước chương trình không đóng bình thường: đang kiểm tra toàn bộ dữ liệu…"
PASSED_TEXT = "Đã kiểm tra dữ liệu: không có lỗi."
_threads: list[threading.Thread] = []  # joined before the process ends (wait_for_checks)


class StartupChecker(QObject):
    finished = Signal(object)  # StartupCheck, once handled (tests wait on it)
    restore_requested = Signal(object)  # StartupCheck: the user chose its backup
    _done = Signal(object)  # from the check's thread

    def __init__(self, db_path: Path | None, window: QMainWindow) -> None:
        """``db_path`` None: a server's database, which has no file to check (the
        server keeps its own pages sound): ``start`` does nothing."""
        super().__init__(window)
        self.db_path, self.window = (Path(db_path) if db_path is not None else None), window
        self.result: StartupCheck | None = None
        lock = held_lock(self.db_path) if self.db_path is not None else None
        self.unclean = lock is not None and lock.unclean
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        if self.db_path is None:
            return
        self.window.statusBar().showMessage(RUNNING_UNCLEAN_TEXT if self.unclean else RUNNING_TEXT)
        thread = threading.Thread(target=self._run, name="startup-check", daemon=False)
        _threads.append(thread)
        thread.start()

    def _run(self) -> None:  # the check's thread
        lower_this_threads_priority()  # nobody waits for it: the window's work goes first
        try:
            check = check_at_start(self.db_path, unclean=self.unclean)
        except Exception as exc:  # unreadable as a whole: a finding, not a crash
            log.error("start-up check of %s failed", self.db_path, exc_info=exc)
            check = StartupCheck(self.db_path, full=self.unclean, problems=[f"Không kiểm tra được: {exc}"])
        try:
            self._done.emit(check)
        except RuntimeError:  # the window closed meanwhile: the lock file says to check again
            pass

    def _on_done(self, check: StartupCheck) -> None:
        self.result = check
        if not check.damaged:
            self._checked()
            self.window.statusBar().showMessage(PASSED_TEXT, 10000)
        elif self.window.isVisible():  # closed meanwhile: the next start checks again, and warns then
            self.window.statusBar().clearMessage()
            self._warn(check)
        self.finished.emit(check)

    def _checked(self) -> None:
        """The check of an unclean exit has run: a clean close may now remove the lock file."""
        if (lock := held_lock(self.db_path)) is not None:
            lock.keep_file = False

    def _warn(self, check: StartupCheck) -> None:
        title = "Dữ liệu bị hỏng"
        if check.backup is None:
            message_box.critical(self.window, title, damaged_message(check) + " Đừng nhập thêm dữ liệu vào tệp này.")
            return
        box = message_box.plain_box(QMessageBox.Icon.Critical, title, damaged_message(check), parent=self.window)
        restore = box.addButton("Khôi phục bản sao lưu này", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
        box.addButton("Để sau", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is restore:
            self.restore_requested.emit(check)


def wait_for_checks(timeout_s: float = 600.0) -> None:
    """Let a running check end before the process does (its read-only connection closes)."""
    while _threads:
        _threads.pop().join(timeout_s)
