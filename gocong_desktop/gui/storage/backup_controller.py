"""The main window's backups: "Sao lưu ngay", restore, folders, the daily timer,
the status-bar label, and the backup on close.

Backups run on the task worker, after whatever write is pending (one worker:
a backup never races a save). Restoring checks the backup first (another
office's needs its name typed; one without an administrator never replaces a
protected file), closes the database's connections, puts the backup in place
(the current file kept aside) and asks the app to reopen the file, so the new
window goes through the full start-up check. The window holds the office lock
all along: no command writes meanwhile.

A server's database (the upper office on PostgreSQL) has none of this: its backups
are the server's own (pg_dump, by its administrator), so the actions are shown
disabled with the reason and nothing runs on a timer or on close.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from gocong_desktop.core.storage import backup
from gocong_desktop.core.services.backup_folders import save_backup_settings
from gocong_desktop.core.settings.backup_places import read_backup_settings
from gocong_desktop.core.db.access import Role, ensure_admin
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.sqlite.raw import side_files
from gocong_desktop.core.storage.backup_file import is_backup_file
from gocong_desktop.core.maintenance.restore import check_restore, restore_backup
from gocong_desktop.core.maintenance.startup import StartupCheck, recover_from_backup
from gocong_desktop.core.storage.lock import CLOSING, held_lock
from gocong_desktop.core.maintenance.restore_checks import OtherOfficeBackup
from gocong_desktop.gui.widgets.elided_label import ElidedLabel
from gocong_desktop.gui.storage.backup_dialogs import BackupFolderDialog, BackupPasswordDialog, RestoreDialog, when_text
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.storage.confirm_office_dialog import ConfirmOfficeDialog
from gocong_desktop.gui.widgets.form_parts import confirm
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui import message_box

log = logging.getLogger(__name__)
CHECK_EVERY_MS = 60 * 60 * 1000  # is a daily backup due? asked hourly
FIRST_CHECK_MS = 2 * 60 * 1000
DAILY_AFTER = timedelta(days=1)
ON_SERVER_LABEL = "Sao lưu: trên máy chủ (pg_dump)"
ON_SERVER_REASON = ("Dữ liệu nằm trên máy chủ PostgreSQL: việc sao lưu và khôi phục do quản trị viên máy chủ "
                    "làm bằng công cụ của máy chủ (pg_dump, pg_restore), không sao chép tệp trên máy này.")


class BackupController(QObject):
    reopen_requested = Signal(Path)  # the database file was replaced: open it again
    backed_up = Signal()  # a backup was made (the start page shows the last one)

    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.label = ElidedLabel()  # in the status bar: gives way on a small screen
        self.on_server = ctx.db.server is not None
        self._done_closing = self.on_server  # nothing to back up on close
        self._timers = [] if self.on_server else [
            QTimer(self, interval=CHECK_EVERY_MS), QTimer(self, singleShot=True, interval=FIRST_CHECK_MS)]
        for timer in self._timers:
            timer.timeout.connect(self._on_tick)
            timer.start()
        # On a file, the label is filled by refresh_label, which the window calls once its
        # first page's data is shown: the backup folders are not read on the way to it.
        if self.on_server:
            self.refresh_label()  # reads nothing

    def add_actions(self, menu) -> None:
        admin = self.ctx.db.role() == Role.ADMIN  # replacing the data and settings: administrators
        for text, slot, allowed in (("&Sao lưu ngay", self.back_up_now, True),
                                    ("&Khôi phục từ bản sao lưu…", self.restore, admin),
                                    ("Thư mục sao &lưu…", self.choose_folders, admin)):
            action = QAction(text, self.window)
            action.triggered.connect(slot)
            action.setEnabled(allowed and not self.on_server)
            if self.on_server:
                action.setStatusTip(ON_SERVER_REASON)
                action.setToolTip(ON_SERVER_REASON)
            menu.addAction(action)
        menu.setToolTipsVisible(True)

    def refresh_label(self) -> None:
        if self.on_server:
            self.label.setText(ON_SERVER_LABEL)
            self.label.setToolTip(ON_SERVER_REASON)
            return
        db = self.ctx.db
        self.ctx.tasks.reads.run(lambda: backup.last_backup(db), on_done=self._show_last,
                                 on_error=lambda exc: log.warning("cannot list the backups: %s", exc),
                                 parent=self.label, key=self.label)

    def _show_last(self, last: backup.BackupInfo | None) -> None:
        self.label.setText(f"Sao lưu gần nhất: {when_text(last)}" if last else "Chưa có bản sao lưu")

    # ---- backing up -------------------------------------------------------
    def back_up_now(self) -> None:
        if self.on_server:
            message_box.information(self.window, "Sao lưu", ON_SERVER_REASON)
            return
        self._run(backup.MANUAL, on_error=None, on_done=self._on_backed_up_by_hand)

    def _run(self, reason: str, *, on_error, busy_text: str | None = "Đang sao lưu dữ liệu…",
             on_done=None) -> None:
        db = self.ctx.db
        self.ctx.tasks.run(lambda: backup.backup_now(db, reason), on_done=on_done or self._on_backed_up,
                           on_error=on_error, parent=self.window, busy_text=busy_text)

    def _on_backed_up_after_close(self, result: backup.BackupResult) -> None:
        """The window is gone: a copy missing from the second folder (a USB stick pulled
        out meanwhile) is said in a box of its own, not in a status bar nobody sees."""
        self._on_backed_up(result)
        if result.warnings:
            message_box.warning(None, "Chưa sao lưu đủ khi đóng", _done_text(result))

    def _on_backed_up_by_hand(self, result: backup.BackupResult) -> None:
        """Asked for by the person at the desk: a copy missing from the second folder is
        said in a box, where it is read whole."""
        self._on_backed_up(result)
        if result.warnings:
            message_box.warning(self.window, "Chưa sao lưu đủ", _done_text(result))

    def _on_backed_up(self, result: backup.BackupResult) -> None:
        self.refresh_label()
        self.backed_up.emit()
        # The warning first and the file by its name: a 1024-pixel status bar shows ~70
        # characters, and a full path before the warning hid it.
        message = " ".join([*result.warnings, f"Đã sao lưu vào «{result.path.name}»."])
        self.window.statusBar().showMessage(message, 60000 if result.warnings else 15000)

    def _on_quiet_failure(self, exc: BaseException) -> None:
        """A daily backup that failed: said in the status bar, not in a box every hour."""
        log.error("daily backup failed", exc_info=exc)
        self.window.statusBar().showMessage(f"Chưa sao lưu được: {getattr(exc, 'message', exc)}", 60000)

    def _on_tick(self) -> None:
        last = backup.last_backup(self.ctx.db)
        if last is None or datetime.now() - last.taken_at >= DAILY_AFTER:
            self._run(backup.DAILY, on_error=self._on_quiet_failure, busy_text=None)  # never blocks the window

    def catch_up(self) -> None:
        """After an unclean exit (power cut, the process killed while backing up on close):
        the backup on close the last session may not have made, in the background."""
        if not self._done_closing and _changed_since_last_backup(self.ctx.db.path):  # closing makes its own
            self._run(backup.ON_CLOSE, on_error=self._on_quiet_failure, busy_text=None)

    def back_up_on_close(self, *, wait: bool = True) -> None:
        """After pending work, once; skipped when nothing changed since the last backup.
        ``wait=False``: queued only; the lock tells another opener the file is closing."""
        if self._done_closing:
            return
        self._done_closing = True
        for timer in self._timers:
            timer.stop()
        self.ctx.tasks.wait(reads=False)  # pending saves first: they decide whether anything changed
        if not _changed_since_last_backup(self.ctx.db.path):
            return
        self._run(backup.ON_CLOSE, busy_text=None if not wait else "Đang sao lưu dữ liệu…",
                  on_done=self._on_backed_up if wait else self._on_backed_up_after_close,
                  on_error=lambda exc: show_error(self.window, exc, title="Chưa sao lưu được khi đóng"))
        if wait:
            self.ctx.tasks.wait(-1)
        elif (lock := held_lock(self.ctx.db.path)) is not None:
            lock.mark(CLOSING)

    # ---- restoring and settings ---------------------------------------------
    def restore(self) -> None:
        try:
            ensure_admin(self.ctx.db.role(), "khôi phục dữ liệu từ bản sao lưu")
        except UserError as exc:
            show_error(self.window, exc)
            return
        dialog = RestoreDialog(backup.all_backups(self.ctx.db), self.window)
        if dialog.exec() and dialog.chosen is not None:
            self.restore_file(dialog.chosen)

    def restore_file(self, chosen: Path) -> None:
        """Check ``chosen``, ask (another office's backup: its name typed), restore."""
        if is_backup_file(chosen):  # encrypted: a password of its day, which will open it afterwards
            user = self.ctx.db.user
            if not BackupPasswordDialog(chosen, user.username if user else "", self.window).exec():
                return
        try:
            check_restore(self.ctx.db.path, chosen)
        except OtherOfficeBackup as exc:
            typed = ConfirmOfficeDialog(exc, self.window)
            if typed.exec():
                self._restore_from(chosen, confirm_office=typed.typed)
            return
        except UserError as exc:
            show_error(self.window, exc, title="Không khôi phục được")
            return
        if confirm(self.window, "Khôi phục dữ liệu",
                   f"Khôi phục dữ liệu từ «{chosen.name}»? Dữ liệu hiện tại được giữ lại trong một "
                   "tệp riêng bên cạnh, không bị xóa; chương trình sẽ mở lại dữ liệu.", "Khôi phục"):
            self._restore_from(chosen)

    def _restore_from(self, chosen: Path, *, confirm_office: str | None = None) -> None:
        db = self.ctx.db
        # However long a write still running takes (an undo on a slow PC): its commit starts
        # a checkpoint, and it holds a connection, which no one may hold while the file is replaced.
        self.ctx.tasks.wait(-1)
        db.release_connections()
        try:
            kept = restore_backup(db.path, chosen, confirm_office=confirm_office)
        except Exception as exc:
            show_error(self.window, exc, title="Không khôi phục được")
            return
        message_box.information(self.window, "Đã khôi phục",
                                f"Đã khôi phục dữ liệu từ «{chosen.name}». Dữ liệu trước khi khôi phục được "
                                f"giữ tại «{kept}».")
        self._done_closing = True  # the file now holds the backup: no backup of it on close
        self.reopen_requested.emit(db.path)

    def recover(self, check: StartupCheck) -> None:
        """The start-up check found damage and the user chose its newest good backup:
        put it in place (the damaged file kept) and open the file again."""
        db = self.ctx.db
        self.ctx.tasks.wait(-1)  # as a restore (``_restore_from``)
        db.release_connections()
        try:
            kept = recover_from_backup(check)
        except Exception as exc:
            show_error(self.window, exc, title="Không khôi phục được")
            return
        b = check.backup
        message_box.information(self.window, "Đã khôi phục",
                                f"Đã khôi phục dữ liệu từ bản sao lưu lúc {b.taken_at:%H:%M} ngày "
                                f"{b.taken_at:%d/%m/%Y}. Tệp bị hỏng được giữ tại «{kept}».")
        self._done_closing = True  # the file now holds the backup: no backup of it on close
        self.reopen_requested.emit(db.path)

    def choose_folders(self) -> None:
        dialog = BackupFolderDialog(read_backup_settings(self.ctx.db.path), self.ctx.db.path.stem, self.window)
        if dialog.exec():
            self.ctx.write(save_backup_settings, dialog.settings(), parent=self.window,
                           on_done=lambda _settings: self.refresh_label())


def _changed_since_last_backup(db_path: Path) -> bool:
    last = backup.last_backup(db_path)
    if last is None:
        return True
    files = [db_path, *side_files(db_path)[:1]]  # the database and its -wal take every write
    newest = max((p.stat().st_mtime for p in files if p.exists()), default=0)
    return newest >= last.taken_at.timestamp()  # second-rounded name: a tie counts as changed


def _done_text(result: backup.BackupResult) -> str:
    return " ".join([f"Đã sao lưu vào «{result.path}».", *result.warnings])
