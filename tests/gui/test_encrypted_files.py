"""The window on encrypted files: signing in before anything is read, recovering with
the code from the sign-in box, encrypting a previous version's file, restoring an
encrypted backup — real files, real dialogs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel  # noqa: E402

from gocong_desktop.core.storage.backup import backup_now  # noqa: E402
from gocong_desktop.core.sqlite.cipher import is_encrypted  # noqa: E402
from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.demo.accounts import PASSWORD  # noqa: E402
from gocong_desktop.core.services import accounts  # noqa: E402
from gocong_desktop.core.services.unlocking import unlock_with_password  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import open_set_up_database  # noqa: E402
from gocong_desktop.gui.storage.backup_dialogs import BackupPasswordDialog  # noqa: E402
from gocong_desktop.gui.storage.db_startup import SignInCancelled  # noqa: E402
from gocong_desktop.gui.security.encrypt_dialog import EncryptDialog, encrypt_open_database  # noqa: E402
from gocong_desktop.gui.security.recovery_code_dialog import RecoveryCodeDialog  # noqa: E402
from gocong_desktop.gui.security.sign_in import RecoverDialog, SignInDialog, last_user  # noqa: E402
from gocong_desktop.gui import message_box
from tests.conftest import copy_database  # noqa: E402
from tests.encrypted import forget_keys, new_recovery_code  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import when_shown  # noqa: E402


@pytest.fixture(autouse=True)
def _app():
    create_app()


@pytest.fixture
def encrypted(demo_files, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    forget_keys()
    return copy_database(demo_files["encrypted"], tmp_path / "mau.db")


def sign_in_with(username: str, password: str, *wrong: str):
    def act(box: SignInDialog) -> None:
        for attempt in wrong:
            type_text(box.password, attempt)
            box.ok_button.click()
            assert "không đúng" in box.error.text()
        box.username.setText(username)
        type_text(box.password, password)
        box.ok_button.click()
    return act


def test_opening_an_encrypted_file_signs_in_first(qtbot, encrypted: Path, settings) -> None:
    when_shown(SignInDialog, sign_in_with("canbo", PASSWORD, "doan-sai-mat-khau"))
    db = open_set_up_database(encrypted, settings)
    try:
        assert db.vault is not None and db.user.username == "canbo"  # not asked a second time
        assert last_user(settings, encrypted) == "canbo"
    finally:
        db.close()


def test_giving_up_at_the_sign_in_box_opens_nothing(qtbot, encrypted: Path, settings) -> None:
    when_shown(SignInDialog, lambda box: box.reject())
    with pytest.raises(SignInCancelled):
        open_set_up_database(encrypted, settings)
    when_shown(SignInDialog, sign_in_with("xem", PASSWORD))
    open_set_up_database(encrypted, settings).close()


def test_the_demo_hint_shows_before_the_file_is_unlocked(qtbot, encrypted: Path) -> None:
    box = SignInDialog(None, path=encrypted)
    qtbot.addWidget(box)
    assert "demo1234" in " ".join(label.text() for label in box.findChildren(QLabel))


def test_a_forgotten_administrator_password_is_recovered_from_the_sign_in_box(qtbot, encrypted: Path,
                                                                             settings) -> None:
    code = new_recovery_code(encrypted)  # the administrator made a code beforehand
    forget_keys()
    shown: list[str] = []

    def recover(box: RecoverDialog) -> None:
        box.username.setText("quantri")
        type_text(box.code, code)
        type_text(box.new_password, "mat-khau-moi-quan-tri")
        type_text(box.confirm, "mat-khau-moi-quan-tri")
        when_shown(RecoveryCodeDialog, lambda d: (shown.append(d.code), d.accept()))
        box._recover()

    def forgot_then_sign_in(box: SignInDialog) -> None:
        when_shown(RecoverDialog, recover)
        box.forgot.click()
        sign_in_with("quantri", "mat-khau-moi-quan-tri")(box)

    when_shown(SignInDialog, forgot_then_sign_in)
    db = open_set_up_database(encrypted, settings)
    try:
        assert db.user.username == "quantri" and shown and shown[0] != code
    finally:
        db.close()


def test_an_administrator_encrypts_a_previous_versions_file(qtbot, demo_files, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    path = copy_database(demo_files["plain"], tmp_path / "cu.db")
    db = open_database(path)
    accounts.sign_in(db, "quantri", PASSWORD)
    told: list[str] = []
    monkeypatch.setattr(message_box, "information", lambda _p, _t, text: told.append(text))

    def confirm(box: EncryptDialog) -> None:
        assert "canbo" in " ".join(label.text() for label in box.findChildren(QLabel))
        type_text(box.password, PASSWORD)
        when_shown(RecoveryCodeDialog, lambda d: d.accept())
        box._check()

    when_shown(EncryptDialog, confirm)
    again = encrypt_open_database(db)
    try:
        assert again is not db and is_encrypted(path) and again.vault is not None
        assert again.user.username == "quantri" and "Đã mã hóa dữ liệu" in told[0]
    finally:
        again.close()


def test_restoring_an_encrypted_backup_asks_a_password_of_its_day(qtbot, encrypted: Path, settings) -> None:
    when_shown(SignInDialog, sign_in_with("quantri", PASSWORD))
    db = open_set_up_database(encrypted, settings)
    copy = backup_now(db, "thu-cong").path
    db.close()
    box = BackupPasswordDialog(copy, "quantri")
    qtbot.addWidget(box)
    type_text(box.password, "khong-phai-mat-khau")
    box._check()
    assert not box.error.isHidden() and box.result() == 0
    type_text(box.password, PASSWORD)
    box._check()
    assert box.result() == 1


def test_the_accounts_window_names_who_needs_a_new_password_after_encrypting(qtbot, demo_files, tmp_path,
                                                                            monkeypatch, settings) -> None:
    from gocong_desktop.gui.security.accounts_dialog import NEEDS_PASSWORD, AccountsDialog
    from gocong_desktop.gui.app import make_context
    from gocong_desktop.core.maintenance.encryption import encrypt_office_file

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    path = copy_database(demo_files["plain"], tmp_path / "cu.db")
    encrypt_office_file(path, "quantri", PASSWORD)
    db = open_database(path)
    accounts.sign_in_unlocked(db, "quantri")
    try:
        dialog = AccountsDialog(make_context(db, settings))
        qtbot.addWidget(dialog)
        states = {row.username: dialog.model.data(dialog.model.index(i, 3))
                  for i, row in enumerate(dialog.model.rows())}
        assert states["canbo"] == NEEDS_PASSWORD and states["quantri"] != NEEDS_PASSWORD
    finally:
        db.close()


def test_a_damaged_encrypted_file_is_replaced_by_its_backup_after_signing_in(qtbot, encrypted: Path,
                                                                            settings) -> None:
    from datetime import datetime, timedelta

    from gocong_desktop.core.storage.backup import DAILY
    from gocong_desktop.gui.storage.db_startup import open_guarded
    from tests.gui.test_backup_restore import Answers, corrupt

    when_shown(SignInDialog, sign_in_with("quantri", PASSWORD))
    db = open_set_up_database(encrypted, settings)
    backup_now(db, DAILY, now=datetime.now() - timedelta(days=1))
    db.close()
    corrupt(encrypted)
    forget_keys()
    answers = Answers(restore=True)
    answers.unlock = lambda path: unlock_with_password(path, "quantri", PASSWORD)
    db = open_guarded(encrypted, answers)
    try:
        assert answers.offered and answers.infos  # offered the backup (opened with the live file's key)
        assert db.user is None  # the backup's own slots: the sign-in box asks again
        assert accounts.sign_in(db, "quantri", PASSWORD).username == "quantri"
    finally:
        db.close()
