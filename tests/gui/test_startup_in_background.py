"""The window opens and closes without waiting (issue 16): the start-up check runs
once the window is shown and warns if it fails; the backup on close is made while
the window is already gone, holding the lock marked as closing; a backup killed
half-way leaves nothing that looks good, and the next start takes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from gocong_desktop.core.maintenance import startup  # noqa: E402
from gocong_desktop.core.services import households  # noqa: E402
from gocong_desktop.core.settings.backup_places import backup_folders  # noqa: E402
from gocong_desktop.core.storage import backup  # noqa: E402
from gocong_desktop.core.storage.lock import CLOSING, lock_path, read_owner  # noqa: E402
from gocong_desktop.gui import app as app_module  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from gocong_desktop.gui.storage import startup_check  # noqa: E402
from gocong_desktop.gui.storage.db_startup import open_guarded  # noqa: E402
from tests.gui.test_backup_restore import Answers  # noqa: E402
from tests.gui.waiting import when_shown  # noqa: E402


@pytest.fixture
def settings(tmp_path) -> QSettings:
    create_app()
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _left_by_a_crash(path: Path) -> None:
    lock_path(path).write_text('{"pid": 999999, "host": "máy cũ"}')


def _damage_one_index_page(path: Path) -> None:
    """Break the household name index only: the file still opens, quick_check fails."""
    from tests import app_sqlite as sqlite3

    con = sqlite3.connect(path)
    try:
        page = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'household' "
                           "ORDER BY rootpage DESC").fetchone()[0]
    finally:
        con.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * 4096
    data[start + 8:start + 4000] = b"\x07" * 3992
    path.write_bytes(bytes(data))


@pytest.fixture
def gated_check(monkeypatch):
    """The real start-up check, held until the test lets it go."""
    gate, real = threading.Event(), startup_check.check_at_start
    monkeypatch.setattr(startup_check, "check_at_start",
                        lambda path, *, unclean: gate.wait(30) and real(path, unclean=unclean))
    return gate


def _window(db, settings, qtbot) -> MainWindow:
    win = MainWindow(make_context(db, settings))
    win.close_in_background = True  # as the app's windows do (WindowKeeper)
    qtbot.addWidget(win)
    win.show()
    return win


def test_after_an_unclean_exit_the_window_shows_before_the_check_and_a_failing_check_offers_the_backup(
        seeded, settings, qtbot, gated_check):
    path = seeded.db.path
    good = backup.backup_now(seeded.db, backup.DAILY, now=datetime.now() - timedelta(days=1)).path
    seeded.db.close()
    _damage_one_index_page(path)
    _left_by_a_crash(path)
    db = open_guarded(path, Answers(), check_now=False)  # nothing checked yet: the window is next
    win = _window(db, settings, qtbot)
    qtbot.waitUntil(lambda: win.statusBar().currentMessage() == startup_check.RUNNING_UNCLEAN_TEXT)
    assert win.isVisible() and win.startup_check.result is None  # shown, the check still running
    said, reopened = [], []
    win.backups.reopen_requested.connect(reopened.append)

    def answer(box: QMessageBox) -> None:
        said.append(box.text())
        if len(said) == 1:
            when_shown(QMessageBox, answer)  # then the «restored» note
        next(b for b in box.buttons() if len(said) > 1 or b.text() == "Khôi phục bản sao lưu này").click()

    when_shown(QMessageBox, answer)
    with qtbot.waitSignal(win.startup_check.finished, timeout=30000):
        gated_check.set()
    qtbot.waitUntil(lambda: reopened == [path])
    assert win.startup_check.result.full and win.startup_check.result.backup.path == good
    assert "bị hỏng" in said[0] and said[1].startswith("Đã khôi phục dữ liệu từ bản sao lưu lúc")
    kept = [p for p in path.parent.iterdir() if p.name.startswith("xa.bi-hong-") and p.suffix == ".db"]
    assert len(kept) == 1 and startup.integrity_problems(path) == []
    win.close()
    db.close()


def test_the_unclean_mark_stays_until_the_check_ran(db, settings, qtbot, gated_check):
    path = db.path
    db.close()
    _left_by_a_crash(path)
    opened = open_guarded(path, Answers(), check_now=False)
    opened.close()  # closed (or crashed) before any check: the next start must still check fully
    assert lock_path(path).exists()
    opened = open_guarded(path, Answers(), check_now=False)
    win = _window(opened, settings, qtbot)
    with qtbot.waitSignal(win.startup_check.finished, timeout=30000):
        gated_check.set()
    assert not win.startup_check.result.damaged
    assert win.statusBar().currentMessage() == startup_check.PASSED_TEXT
    win.close()
    win.ctx.tasks.wait(-1)
    opened.close()
    assert not lock_path(path).exists()  # checked: a clean close


def test_a_check_ending_after_the_window_closed_starts_no_backup_nor_box(db, settings, qtbot, gated_check):
    path = db.path
    db.close()
    _left_by_a_crash(path)
    opened = open_guarded(path, Answers(), check_now=False)
    win = _window(opened, settings, qtbot)
    qtbot.waitUntil(lambda: win.statusBar().currentMessage() == startup_check.RUNNING_UNCLEAN_TEXT)
    win.close()
    win.ctx.tasks.wait(-1)  # the backup on close made
    os.utime(path)  # the file looks changed since: a catch-up backup would start, with no window to run in
    with qtbot.waitSignal(win.startup_check.finished, timeout=30000):
        gated_check.set()
    assert not win.ctx.tasks.is_busy() and len(backup.all_backups(path)) == 1
    opened.close()


# ---- closing ----------------------------------------------------------------------

# Another window opening the file: it says when it starts waiting for the lock (each poll's sleep).
OPEN_AFTER_IT = ("import sys, time; from gocong_desktop.core.storage import lock\n"
                 "from gocong_desktop.gui.storage.db_startup import open_guarded\n"
                 "class Ui:\n    def warn(self, *a): pass\n"
                 "def poll(s, _said=[]): _said or print('waiting', flush=True); _said.append(1); time.sleep(s)\n"
                 "lock.time = type('T', (), {'sleep': staticmethod(poll), 'monotonic': time.monotonic})\n"
                 "open_guarded(sys.argv[1], Ui(), check_now=False).close(); print('opened', flush=True)")


def test_closing_leaves_the_backup_running_and_another_window_waits_for_it(seeded, settings, qtbot, monkeypatch):
    gate, real = threading.Event(), backup.backup_now
    monkeypatch.setattr(backup, "backup_now", lambda db, reason: gate.wait(30) and real(db, reason))
    seeded.db.close()
    db = open_guarded(seeded.db.path, Answers(), check_now=False)
    win = _window(db, settings, qtbot)
    win.ctx.write(households.create_household, households.HouseholdInput(
        head_name="Hộ thêm ngay trước khi đóng", hamlet_id=seeded.hamlet_a))
    win.close()  # returns with the backup still held at the gate
    assert not win.isVisible() and not gate.is_set()
    assert read_owner(lock_path(db.path.absolute()))["holder"] == CLOSING
    other = subprocess.Popen([sys.executable, "-c", OPEN_AFTER_IT, str(db.path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "waiting"  # not refused: told to wait for the closing window
    gate.set()
    app_module.finish_in_background(win)  # what the process does before it ends
    out, err = other.communicate(timeout=120)
    assert out.strip() == "opened", err
    made = backup.last_backup(db.path)
    assert made.reason == backup.ON_CLOSE and backup.record_counts(made.path)["hộ"] == 8
    backup.verify_backup(made.path)


def test_a_second_folder_missing_after_the_window_closed_is_said_in_a_box(seeded, settings, qtbot, tmp_path):
    from gocong_desktop.core.services.backup_folders import save_backup_settings
    from gocong_desktop.core.settings.backup_places import BackupSettings

    usb = tmp_path / "usb"
    usb.mkdir()
    with seeded.db.session() as s:
        save_backup_settings(s, BackupSettings(second=usb))
    win = _window(seeded.db, settings, qtbot)
    usb.rmdir()
    usb.write_text("the stick was pulled out; something else has this name now")
    said = []
    when_shown(QMessageBox, lambda box: said.append(box.text()) or box.accept())
    win.close()
    win.ctx.tasks.wait(-1)  # as the process does once the window is gone
    qtbot.waitUntil(lambda: bool(said))
    assert "Chưa sao lưu được vào thư mục thứ hai" in said[0] and backup.last_backup(seeded.db) is not None


KILLED_WHILE_BACKING_UP = (
    "import sys, time; from gocong_desktop.core.storage import backup, lock\n"
    "held = lock.acquire_lock(sys.argv[1]); held.mark(lock.CLOSING)\n"
    "def stuck(path, **kw): print('verifying', flush=True); time.sleep(600)\n"
    "backup.verify_backup = stuck\n"
    "backup.backup_now(sys.argv[1], backup.ON_CLOSE)")


def test_a_backup_on_close_killed_half_way_leaves_nothing_good_looking_and_the_next_start_takes_it(
        seeded, settings, qtbot):
    path = seeded.db.path
    seeded.db.close()
    dying = subprocess.Popen([sys.executable, "-c", KILLED_WHILE_BACKING_UP, str(path)], stdout=subprocess.PIPE,
                             text=True)
    assert dying.stdout.readline().strip() == "verifying"  # the copy written, not yet checked nor named
    dying.send_signal(signal.SIGKILL)  # a power cut
    dying.wait()
    folder, _second = backup_folders(path)
    assert [p.name.endswith(".dang-ghi") for p in folder.iterdir()] == [True]
    assert backup.all_backups(path) == [] and backup.last_backup(path) is None
    db = open_guarded(path, Answers(), check_now=False)  # the lock left behind: an unclean exit
    win = _window(db, settings, qtbot)
    with qtbot.waitSignal(win.startup_check.finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: backup.last_backup(path) is not None, timeout=30000)
    made = backup.last_backup(path)
    assert made.reason == backup.ON_CLOSE
    backup.verify_backup(made.path)
    win.ctx.tasks.wait(-1)
    win.close()
    win.ctx.tasks.wait(-1)
    db.close()
