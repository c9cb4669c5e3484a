"""The window's start (issue 16): the sign-in box of an encrypted file shows before the
window's modules load, which are imported on a thread meanwhile; the person signs in
once; the lock and an unclean exit's mark survive every way out of the box."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from gocong_desktop.core.demo.accounts import PASSWORD  # noqa: E402
from gocong_desktop.core.storage.lock import acquire_lock, held_lock, lock_path  # noqa: E402
from gocong_desktop.gui import app as app_module  # noqa: E402
from gocong_desktop.gui import application, launch  # noqa: E402
from gocong_desktop.gui.page_imports import PAGE_MODULES  # noqa: E402
from gocong_desktop.gui.security.sign_in import SignInDialog  # noqa: E402
from gocong_desktop.gui.storage.db_startup import SignInCancelled, open_guarded  # noqa: E402
from tests.conftest import copy_database  # noqa: E402
from tests.encrypted import forget_keys  # noqa: E402
from tests.gui.test_backup_restore import Answers  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import when_shown  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "gocong_desktop.core.db.engine", "gocong_desktop.gui.main_window")


@pytest.fixture
def encrypted(demo_files, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    forget_keys()
    return copy_database(demo_files["encrypted"], tmp_path / "xã mẫu.db")


@pytest.fixture
def own_settings(tmp_path):
    """The QSettings() run_gui makes land in tmp_path, not the user's."""
    application.create_app()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield QSettings()


@pytest.fixture
def sign_in_boxes(monkeypatch) -> list[SignInDialog]:
    """Every sign-in box shown (exec'd), in order."""
    shown: list[SignInDialog] = []
    original = SignInDialog.exec

    def exec_and_count(box: SignInDialog) -> int:
        shown.append(box)
        return original(box)
    monkeypatch.setattr(SignInDialog, "exec", exec_and_count)
    return shown


def _python(code: str, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_sign_in_box_of_an_encrypted_file_needs_no_database_layer(encrypted: Path) -> None:
    seen = _python("""
        import json, sys
        from gocong_desktop.gui import launch
        from gocong_desktop.gui.application import create_app
        from gocong_desktop.gui.security.sign_in import SignInDialog
        create_app()
        box = SignInDialog(None, path=sys.argv[1])
        box.show()
        print(json.dumps({"title": box.windowTitle(), "loaded": sorted(m for m in sys.modules if m in sys.argv[2:])}))
        """, str(encrypted), *HEAVY)
    assert seen == {"title": f"Đăng nhập – {encrypted.name}", "loaded": []}


def test_the_window_modules_import_on_a_thread_without_a_qt_warning() -> None:
    seen = _python("""
        import json, sys, threading
        from PySide6.QtCore import qInstallMessageHandler
        from gocong_desktop.gui.application import create_app
        from gocong_desktop.gui.launch import BEHIND_SIGN_IN
        from gocong_desktop.gui.page_imports import import_in_background
        messages = []
        qInstallMessageHandler(lambda kind, context, text: messages.append(text))
        create_app()
        import_in_background(BEHIND_SIGN_IN).join()
        print(json.dumps({"messages": messages, "loaded": [m for m in BEHIND_SIGN_IN if m in sys.modules]}))
        """)
    assert seen == {"messages": [], "loaded": list(launch.BEHIND_SIGN_IN)}


# A person at the first sign-in box: waits until the modules meant to load behind it
# have ("wait"), or enters the password at once; then what had been imported.
# Arguments: DB wait|at-once PASSWORD SETTINGS early|usual (launch.sign_in_first, or
# the window's own opening: a plain file's box comes once it is open).
TYPIST = """
    import json, sys, threading, time
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from gocong_desktop.gui import launch
    from gocong_desktop.gui.application import create_app
    from gocong_desktop.gui.page_imports import PAGE_MODULES, WHILE_SIGNING_IN
    from gocong_desktop.gui.security.sign_in import SignInDialog
    app = create_app()
    db, wait_for_imports, password, settings, early = sys.argv[1], sys.argv[2] == "wait", *sys.argv[3:5], sys.argv[5] == "early"
    behind = launch.BEHIND_SIGN_IN if early else WHILE_SIGNING_IN
    seen = {}
    def type_password():
        box = QApplication.activeModalWidget()
        imported = all(m in sys.modules for m in behind)
        if not isinstance(box, SignInDialog) or (wait_for_imports and not imported and time.monotonic() < deadline):
            QTimer.singleShot(10, type_password)
            return
        seen["imported at Enter"] = imported
        box.username.setText("canbo")
        box.password.setText(password)
        box.ok_button.click()
    deadline = time.monotonic() + 60
    QTimer.singleShot(0, type_password)
    settings = QSettings(settings, QSettings.Format.IniFormat)
    if early:
        seen["signed in"] = launch.sign_in_first(settings, db).username
    else:
        from gocong_desktop.gui import app as window_app
        seen["signed in"] = window_app.open_first_database(settings, db).user.username
    for thread in threading.enumerate():
        if thread.name == "page-imports":
            thread.join()
    seen["pages imported"] = [m for m, _ in PAGE_MODULES.values() if m in sys.modules]
    print(json.dumps(seen))
    """
ALL_PAGES = [module for module, _ in PAGE_MODULES.values()]


@pytest.mark.parametrize("file", ["encrypted", "plain"])
def test_the_pages_modules_are_imported_while_the_password_is_typed(demo_files, file, tmp_path) -> None:
    db = copy_database(demo_files[file], tmp_path / "xã.db")
    seen = _python(TYPIST, str(db), "wait", PASSWORD, str(tmp_path / "s.ini"), "early" if file == "encrypted" else "usual")
    assert seen == {"imported at Enter": True, "pages imported": ALL_PAGES, "signed in": "canbo"}


def test_the_imports_behind_the_box_stop_once_the_password_is_entered(encrypted: Path, tmp_path) -> None:
    seen = _python(TYPIST, str(encrypted), "at once", PASSWORD, str(tmp_path / "s.ini"), "early")
    assert not seen["imported at Enter"] and seen["signed in"] == "canbo"
    assert len(seen["pages imported"]) < len(ALL_PAGES)  # the window's work went first


def test_an_encrypted_file_asks_once_then_opens_the_window_signed_in(qtbot, encrypted, own_settings, sign_in_boxes,
                                                                      monkeypatch) -> None:
    opened = []
    run_window = app_module.run_window
    monkeypatch.setattr(app_module, "run_window", lambda app, settings, db: (
        opened.append((db.user.username, held_lock(encrypted)._count)), run_window(app, settings, db))[1])
    monkeypatch.setenv(application.SMOKE_QUIT_ENV, "50")

    def sign_in(box: SignInDialog) -> None:
        box.username.setText("canbo")
        type_text(box.password, PASSWORD)
        box.ok_button.click()
    when_shown(SignInDialog, sign_in)
    assert launch.run_gui(encrypted) == 0
    assert len(sign_in_boxes) == 1 and sign_in_boxes[0].db is None  # the early box, not one after opening
    assert opened == [("canbo", 1)]  # signed in; the early box's hold on the lock given back
    assert not lock_path(encrypted).exists() and held_lock(encrypted) is None


def test_giving_up_at_the_first_box_opens_nothing_and_keeps_an_unclean_mark(qtbot, encrypted, own_settings,
                                                                           sign_in_boxes, monkeypatch) -> None:
    lock_path(encrypted).write_text("{}", encoding="utf-8")  # left by a crash
    monkeypatch.setattr(app_module, "open_first_database", lambda *a, **k: pytest.fail("opened"))
    when_shown(SignInDialog, lambda box: box.reject())
    assert launch.run_gui(encrypted) == 0
    assert len(sign_in_boxes) == 1
    assert lock_path(encrypted).exists() and held_lock(encrypted) is None  # the next start still checks


def test_an_unclean_exit_is_still_seen_by_the_window_after_the_early_sign_in(encrypted, own_settings,
                                                                             monkeypatch) -> None:
    lock_path(encrypted).write_text("{}", encoding="utf-8")
    monkeypatch.setenv(application.SMOKE_SIGN_IN_ENV, f"canbo:{PASSWORD}")
    early = launch.sign_in_first(own_settings, encrypted)
    try:
        db = app_module.open_first_database(own_settings, encrypted, signed_in_as=early.username)
    finally:
        early.lock.release()
    try:
        lock = held_lock(encrypted)
        assert db.user.username == "canbo" and lock.unclean and lock.keep_file  # the window's check runs
    finally:
        db.close()


def test_a_file_in_use_takes_the_usual_way(encrypted, own_settings, sign_in_boxes, monkeypatch) -> None:
    other = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from gocong_desktop.core.storage.lock import acquire_lock
        acquire_lock(sys.argv[1]); print("held", flush=True); time.sleep(60)
        """), str(encrypted)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        assert launch.sign_in_first(own_settings, encrypted) is None  # no box: the usual way says who has it
        assert sign_in_boxes == []
    finally:
        other.kill()
        other.wait()


def test_a_plain_file_or_none_takes_the_usual_way(demo_files, tmp_path, own_settings, sign_in_boxes) -> None:
    plain = copy_database(demo_files["plain"], tmp_path / "thường.db")
    server_file = tmp_path / "máy chủ.gcserver"
    server_file.write_text("[gocong-server]\nhost = may-chu\ndatabase = gocong\n", encoding="utf-8")
    assert launch.sign_in_first(own_settings, tmp_path / "không có.db") is None
    assert launch.sign_in_first(own_settings, "postgresql://may-chu/gocong") is None
    lock_path(server_file).write_text("{}", encoding="utf-8")  # whatever lies beside it
    assert launch.sign_in_first(own_settings, server_file) is None  # its settings, not the data: not locked
    assert lock_path(server_file).read_text(encoding="utf-8") == "{}"
    assert launch.sign_in_first(own_settings, plain) is None  # its sign-in needs the open database
    assert held_lock(plain) is None and not lock_path(plain).exists()
    assert sign_in_boxes == []


def test_the_early_lock_is_given_back_when_the_start_fails(encrypted, own_settings, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("không nhập được")
    monkeypatch.setattr(launch, "import_in_background", broken)
    with pytest.raises(RuntimeError):
        launch.sign_in_first(own_settings, encrypted)
    assert held_lock(encrypted) is None and not lock_path(encrypted).exists()


class GiveUp(Answers):
    def unlock(self, path: Path) -> None:
        return None


def test_giving_up_the_usual_sign_in_keeps_an_unclean_mark(encrypted, own_settings) -> None:
    lock_path(encrypted).write_text("{}", encoding="utf-8")
    with pytest.raises(SignInCancelled):
        open_guarded(encrypted, GiveUp(), check_now=False)
    assert lock_path(encrypted).exists()
    lock = acquire_lock(encrypted)
    assert lock.unclean  # the next start still checks the file
    lock.release()


def test_giving_up_a_second_opening_keeps_the_open_windows_checked_file_clean(encrypted, own_settings) -> None:
    lock_path(encrypted).write_text("{}", encoding="utf-8")  # the window's session began after a crash
    window_lock = acquire_lock(encrypted)
    window_lock.keep_file = False  # ... and its start-up check passed
    try:
        with pytest.raises(SignInCancelled):
            open_guarded(encrypted, GiveUp(), check_now=False)  # the same file chosen again, then given up
        assert window_lock.held and window_lock.keep_file is False
    finally:
        window_lock.release()
    assert not lock_path(encrypted).exists()  # closed cleanly: no unclean exit seen next time
