"""Data safety in the app: start-up on a damaged database offers the newest good
backup and keeps the damaged file; the lock refuses a second instance and takes
over a stale one; backups from the menu and on close; restore from the window."""

from __future__ import annotations

import os
import signal
from tests import app_sqlite as sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gocong_desktop.core.storage import backup  # noqa: E402
from gocong_desktop.core.maintenance import startup  # noqa: E402
from gocong_desktop.core.storage.backup import all_backups, backup_now, last_backup  # noqa: E402
from gocong_desktop.core.storage.lock import DatabaseInUseError, lock_path  # noqa: E402
from gocong_desktop.core.maintenance.restore import check_restore  # noqa: E402
from gocong_desktop.core.maintenance.restore_checks import OtherOfficeBackup, read_identity  # noqa: E402
from gocong_desktop.core.errors import DatabaseError  # noqa: E402
from gocong_desktop.core.services import households  # noqa: E402
from gocong_desktop.gui import app as app_module  # noqa: E402
from gocong_desktop.gui.storage import db_startup, startup_check  # noqa: E402
from gocong_desktop.gui import message_box  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import WindowKeeper, make_context, open_first_database  # noqa: E402
from gocong_desktop.gui.storage.backup_dialogs import DialogUi, RestoreDialog  # noqa: E402
from gocong_desktop.gui.storage.db_startup import open_guarded  # noqa: E402
from gocong_desktop.gui.storage.confirm_office_dialog import ConfirmOfficeDialog  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from gocong_desktop.gui.tasks import TaskRunner  # noqa: E402
from gocong_desktop.core.db.changes import EVERYTHING  # noqa: E402
from gocong_desktop.core.sync.txn import write_transaction  # noqa: E402
from tests.conftest import HOLD_LOCK, file_digest  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.core.test_backup import corrupt  # noqa: E402


class Answers:
    """The start-up questions answered by the test, and what was said."""

    def __init__(self, restore: bool = True) -> None:
        self.restore, self.offered, self.infos, self.warnings = restore, [], [], []

    def offer_restore(self, check) -> bool:
        self.offered.append(check)
        return self.restore

    def info(self, title: str, text: str) -> None:
        self.infos.append(text)

    def warn(self, title: str, text: str) -> None:
        self.warnings.append(text)


def _households_in(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM household WHERE deleted = 0").fetchone()[0]
    finally:
        con.close()


def _count(db) -> int:
    with db.session() as s:
        return len(households.list_households(s))


@pytest.fixture
def damaged(seeded):
    """A database with a good backup from yesterday, then damaged (e.g. by a power cut)."""
    good = backup_now(seeded.db, backup.DAILY, now=datetime.now() - timedelta(days=1)).path
    seeded.db.close()
    corrupt(seeded.db.path)
    return seeded.db.path, good


# ---- start-up check -------------------------------------------------------------

def test_damaged_database_offers_the_newest_good_backup_and_keeps_the_damaged_file(damaged):
    path, good = damaged
    damaged_digest, answers = file_digest(path), Answers(restore=True)
    db = open_guarded(path, answers)
    try:
        assert _count(db) == 7  # the backup's data
        assert answers.offered[0].backup.path == good and answers.offered[0].problems
    finally:
        db.close()
    kept = [p for p in path.parent.iterdir() if p.name.startswith("xa.bi-hong-") and p.suffix == ".db"]
    assert len(kept) == 1 and file_digest(kept[0]) == damaged_digest  # kept byte for byte
    assert str(kept[0]) in answers.infos[0]
    assert not lock_path(path).exists()  # closed cleanly


def test_declining_the_restore_leaves_the_file_untouched(damaged):
    path, _good = damaged
    digest = file_digest(path)
    with pytest.raises(DatabaseError, match="bị hỏng"):
        open_guarded(path, Answers(restore=False))
    assert file_digest(path) == digest and not lock_path(path).exists()


def test_damaged_database_without_any_backup_is_refused_with_a_reason(damaged):
    path, good = damaged
    good.unlink()
    answers = Answers()
    with pytest.raises(DatabaseError, match="Chưa có bản sao lưu nào còn tốt"):
        open_guarded(path, answers)
    assert answers.offered == []


def test_the_real_dialog_offers_restore(damaged, qtbot):
    create_app()
    path, _good = damaged
    seen = []

    def answer(button_text: str | None, then=None):
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        if then:
            QTimer.singleShot(0, then)
        next(b for b in box.buttons() if button_text in (None, b.text())).click()

    QTimer.singleShot(0, lambda: answer("Khôi phục bản sao lưu này", then=lambda: answer(None)))
    db = open_guarded(path, DialogUi())
    db.close()
    assert "bị hỏng" in seen[0] and "không bị xóa" in seen[0]
    assert seen[1].startswith("Đã khôi phục dữ liệu từ bản sao lưu lúc")


def test_full_check_after_an_unclean_shutdown_only(db, monkeypatch):
    path = db.path
    db.close()
    checks = []
    real = startup.integrity_problems
    monkeypatch.setattr(startup, "integrity_problems", lambda p, *, full: checks.append(full) or real(p, full=full))
    open_guarded(path, Answers()).close()
    lock_path(path).write_text('{"pid": 999999, "host": "máy cũ"}')  # left behind by a crash
    open_guarded(path, Answers()).close()
    assert checks == [False, True]


def test_storage_warning_for_a_usb_or_network_folder(db, monkeypatch):
    db.close()
    monkeypatch.setattr(db_startup, "storage_warning", lambda p: "Nơi này có vẻ là ổ đĩa rời (USB).")
    answers = Answers()
    open_guarded(db.path, answers).close()
    assert answers.warnings == ["Nơi này có vẻ là ổ đĩa rời (USB)."]


# ---- one running app per database -------------------------------------------------

def test_lock_refuses_a_second_instance_and_takes_over_a_stale_one(db, private_settings, monkeypatch):
    path = db.path
    db.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUseError, match="đang được mở ở một cửa sổ gocong_desktop khác"):
            open_guarded(path, Answers())
        refused = []
        monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: True)
        monkeypatch.setattr(app_module, "ask_for_other_file", lambda exc, p: refused.append(exc) or None)
        assert open_first_database(private_settings, path) is None
        assert isinstance(refused[0], DatabaseInUseError)
    finally:
        holder.send_signal(signal.SIGKILL)  # the first app "crashes": its lock file stays behind
        holder.wait()
    assert lock_path(path).exists()
    reopened = open_guarded(path, Answers())  # a stale lock is taken over
    assert _count(reopened) == 0
    reopened.close()


@pytest.fixture
def private_settings(tmp_path) -> QSettings:
    create_app()
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


# ---- the main window ----------------------------------------------------------------

@pytest.fixture
def window(qtbot, seeded, private_settings):
    win = MainWindow(make_context(seeded.db, private_settings))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _file_action(win, text: str):
    menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Tệp")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_back_up_now_from_the_menu_updates_the_status_bar(qtbot, window):
    qtbot.waitUntil(lambda: window.backups.label.text() == "Chưa có bản sao lưu")  # read once the window is up
    _file_action(window, "Sao lưu ngay").trigger()
    window.ctx.tasks.wait()
    made = last_backup(window.ctx.db)
    assert made is not None and made.reason == backup.MANUAL
    assert window.backups.label.text() == f"Sao lưu gần nhất: {made.taken_at:%H:%M} ngày {made.taken_at:%d/%m/%Y}"
    assert "Đã sao lưu vào" in window.statusBar().currentMessage()


def test_a_second_folder_missing_is_said_first_and_in_a_box_when_asked_by_hand(qtbot, window, seeded, tmp_path,
                                                                                monkeypatch):
    from gocong_desktop.core.services.backup_folders import save_backup_settings
    from gocong_desktop.core.settings.backup_places import BackupSettings

    usb = tmp_path / "usb"
    usb.mkdir()
    with seeded.db.session() as s:
        save_backup_settings(s, BackupSettings(second=usb))
    usb.rmdir()
    usb.write_text("the stick was pulled out")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == startup_check.PASSED_TEXT)  # its own word first
    boxes = []
    monkeypatch.setattr(message_box, "warning", lambda _parent, title, text: boxes.append((title, text)))
    _file_action(window, "Sao lưu ngay").trigger()
    window.ctx.tasks.wait()
    said = window.statusBar().currentMessage()
    # a small screen's status bar shows its start: the warning, not a path
    assert said.startswith("Chưa sao lưu được vào thư mục thứ hai") and str(tmp_path) not in said.split("«")[-1]
    assert [title for title, _text in boxes] == ["Chưa sao lưu đủ"] and "thư mục thứ hai" in boxes[0][1]
    window.backups._on_backed_up(backup_now(seeded.db, backup.DAILY))  # the hourly check's: no box
    assert len(boxes) == 1 and window.statusBar().currentMessage().startswith("Chưa sao lưu được")


def test_closing_the_window_backs_up_after_pending_work(window, seeded):
    window.ctx.write(households.create_household, households.HouseholdInput(
        head_name="Hộ thêm ngay trước khi đóng", hamlet_id=seeded.hamlet_a))
    window.close()
    made = last_backup(seeded.db)
    assert made.reason == backup.ON_CLOSE and backup.record_counts(made.path)["hộ"] == 8


def test_restore_dialog_lists_backups_with_date_size_and_counts(window, seeded, qtbot):
    backup_now(seeded.db, backup.DAILY, now=datetime(2026, 3, 17, 20, 5))
    with seeded.db.session() as s:
        households.create_household(s, households.HouseholdInput(head_name="Hộ mới", hamlet_id=seeded.hamlet_a))
    backup_now(seeded.db, backup.MANUAL, now=datetime(2026, 3, 18, 9, 30))
    dialog = RestoreDialog(all_backups(seeded.db), window)
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
            for r in range(dialog.table.rowCount())]
    assert [r[:2] for r in rows] == [["09:30 ngày 18/03/2026", "Sao lưu thủ công"],
                                     ["20:05 ngày 17/03/2026", "Sao lưu hằng ngày"]]
    assert [r[3:5] for r in rows] == [["8", "3"], ["7", "3"]]  # households, groups
    assert all(r[2].endswith("KB") for r in rows)
    dialog.table.selectRow(1)
    dialog.restore_button.click()
    assert dialog.chosen == all_backups(seeded.db)[1].path


def test_restore_from_the_window_keeps_the_current_file_and_reopens(seeded, private_settings, monkeypatch):
    path = seeded.db.path
    seeded.db.close()
    monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: True)  # tested in test_sign_in_and_lock
    keeper = WindowKeeper(private_settings)
    keeper.show(open_guarded(path, Answers()))
    first = keeper.window
    good = backup_now(first.ctx.db, backup.MANUAL, now=datetime.now() - timedelta(hours=1)).path
    with first.ctx.db.session() as s:
        households.create_household(s, households.HouseholdInput(head_name="Hộ sẽ cất đi", hamlet_id=seeded.hamlet_a))
    monkeypatch.setattr(message_box, "information", lambda *a, **k: None)
    first.backups._restore_from(good)
    try:
        assert keeper.window is not first and _count(keeper.window.ctx.db) == 7
        aside = next(p for p in path.parent.iterdir()  # the database, not its -wal or -shm
                     if p.name.startswith("xa.truoc-khoi-phuc-") and p.suffix == ".db")
        assert _households_in(aside) == 8  # the current data, kept aside (with its -wal, if any)
        assert lock_path(path).exists()  # still ours: the reopened window holds it
    finally:
        keeper.window.close()
        keeper.window.ctx.db.close()
    assert not lock_path(path).exists()


def test_a_restore_waits_for_a_sync_write_that_outlasts_the_usual_wait(seeded, private_settings, monkeypatch):
    """No connection may hold the file while it is replaced: a sync write still running
    (an undo on a slow PC) is waited for, with the checkpoint its commit starts, however
    long it takes; otherwise it wrote into the restored file, or into none."""
    path = seeded.db.path
    seeded.db.close()
    monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: True)
    monkeypatch.setattr(message_box, "information", lambda *a, **k: None)
    monkeypatch.setattr(TaskRunner.wait, "__defaults__", (50,))  # a write outlasting the usual wait (30 s)
    keeper = WindowKeeper(private_settings)
    keeper.show(open_guarded(path, Answers()))
    first = keeper.window
    good = backup_now(first.ctx.db, backup.MANUAL, now=datetime.now() - timedelta(hours=1)).path
    db = first.ctx.db

    def slow_write() -> None:
        time.sleep(0.5)
        with write_transaction(db, writes=EVERYTHING) as conn:
            conn.exec_driver_sql("INSERT INTO app_setting (key, value_json) VALUES ('ghi-cham', '1')")
    first.ctx.tasks.run(slow_write, busy_text=None)
    first.backups._restore_from(good)
    try:
        aside = next(p for p in path.parent.iterdir()  # the database, not its -wal or -shm
                     if p.name.startswith("xa.truoc-khoi-phuc-") and p.suffix == ".db")
        written = "SELECT count(*) FROM app_setting WHERE key = 'ghi-cham'"
        assert _one(aside, written) == 1  # made on the file it was started on, now kept aside
        assert _one(path, written) == 0  # the restored file holds what the backup held
    finally:
        keeper.window.close()
        keeper.window.ctx.db.close()


def _one(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


# ---- another office's backup ------------------------------------------------------------

@pytest.fixture
def binh_nhi_backup(tmp_path) -> Path:
    """A backup of another commune (xã Bình Nhì)."""
    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.services import office

    path = tmp_path / "khac" / "binh-nhi.db"
    path.parent.mkdir()
    database = open_database(path, create=True)
    with database.session(actor="tester") as s:
        office.setup_office(s, unit_name="Bình Nhì", province_name="Tiền Giang")
    database.close()
    return path


def test_the_office_name_must_be_typed_to_enable_restore(seeded, binh_nhi_backup, qtbot):
    create_app()
    with pytest.raises(OtherOfficeBackup) as caught:
        check_restore(seeded.db.path, binh_nhi_backup)
    dialog = ConfirmOfficeDialog(caught.value)
    qtbot.addWidget(dialog)
    assert "xã Bình Nhì" in caught.value.reason and not dialog.restore_button.isEnabled()
    type_text(dialog.name_edit, "xã Bình Tân")  # this office's name: not a confirmation
    assert not dialog.restore_button.isEnabled()
    dialog.name_edit.clear()
    type_text(dialog.name_edit, "Bình Nhì", input_method=True)  # as Unikey delivers it
    assert dialog.restore_button.isEnabled()


def _answer_office_dialog(typed: str | None) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, ConfirmOfficeDialog)
    if typed is None:
        box.cancel_button.click()
    else:
        box.name_edit.setText(typed)
        box.restore_button.click()


def test_restoring_another_offices_backup_from_the_window(seeded, binh_nhi_backup, private_settings, monkeypatch):
    path = seeded.db.path
    seeded.db.close()
    monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: True)
    monkeypatch.setattr(message_box, "information", lambda *a, **k: None)
    keeper = WindowKeeper(private_settings)
    keeper.show(open_guarded(path, Answers()))
    first = keeper.window
    try:
        QTimer.singleShot(0, lambda: _answer_office_dialog(None))
        first.backups.restore_file(binh_nhi_backup)
        assert keeper.window is first and read_identity(path).unit_name == "Bình Tân"
        assert not [p for p in path.parent.iterdir() if "truoc-khoi-phuc" in p.name]  # nothing set aside
        QTimer.singleShot(0, lambda: _answer_office_dialog("xã Bình Nhì"))
        first.backups.restore_file(binh_nhi_backup)
        assert keeper.window is not first and read_identity(path).unit_name == "Bình Nhì"
    finally:
        keeper.window.close()
        keeper.window.ctx.db.close()
