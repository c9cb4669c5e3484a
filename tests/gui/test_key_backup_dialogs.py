"""The Sync page's own-key buttons through real widgets: export the key backup
(passphrase twice, messages under the fields), import it (wrong passphrase and
bad files refused with nothing changed), rotate the keys and save the new card."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from gocong_desktop.core.db.access import Principal, Role  # noqa: E402
from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.sync import office_card  # noqa: E402
from gocong_desktop.core.sync.escrow import EXTENSION, export_office_keys  # noqa: E402
from gocong_desktop.core.sync.key_store import rotate_office_keys  # noqa: E402
from gocong_desktop.core.setup.office import create_office_database  # noqa: E402
from gocong_desktop.core.services.office import get_office  # noqa: E402
from gocong_desktop.gui.sync import own_key_actions
from gocong_desktop.gui.setup import from_backup as setup_from_backup  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.sync.key_backup_dialogs import ExportKeyBackupDialog, ImportKeyBackupDialog, RotateKeysDialog
from gocong_desktop.gui.sync import page as sync_page  # noqa: E402
from gocong_desktop.gui.sync.page import SyncPage  # noqa: E402
from gocong_desktop.gui.setup.wizard import SetupWizard  # noqa: E402
from tests.core.sync.conftest import dump, make_upper_office  # noqa: E402
from tests.core.sync.forge_keys import audit_entries  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

PASSPHRASE = "trăng rằm tháng tám sáng tỏ"


@pytest.fixture
def upper_db(tmp_path: Path):
    database = open_database(make_upper_office(tmp_path / "huyen" / "huyen.db"))
    yield database
    database.close()


@pytest.fixture
def ctx(upper_db, tmp_path):
    create_app()
    context = make_context(upper_db, QSettings(str(tmp_path / "huyen.ini"), QSettings.Format.IniFormat))
    yield context
    context.tasks.wait()


@pytest.fixture
def ui(monkeypatch, tmp_path):
    """Result boxes and confirmations recorded; folders chosen in ``state['folder']``."""
    state = {"shown": [], "confirms": [], "answer": True, "folder": tmp_path / "USB"}
    state["folder"].mkdir()

    def show(_parent, title, lines):
        state["shown"].append((title, list(lines)))

    def ask(_parent, title, text, ok_text):
        state["confirms"].append(text)
        return state["answer"]

    for module in (own_key_actions, sync_page):
        monkeypatch.setattr(module, "show_lines", show)
    monkeypatch.setattr(own_key_actions, "confirm", ask)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(state["folder"])))
    return state


def _page(qtbot, ctx) -> SyncPage:
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle(page)
    return page


def _fingerprint(database) -> str:
    with database.session() as s:
        return office_card(s).fingerprint


def _shown(qtbot, ui, title: str) -> list[str]:
    qtbot.waitUntil(lambda: any(t == title for t, _ in ui["shown"]), timeout=15000)
    return next(lines for t, lines in ui["shown"] if t == title)


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _backup_file(database, folder: Path) -> Path:
    with database.session() as s:
        return export_office_keys(s, folder, PASSPHRASE, PASSPHRASE)


def test_export_the_key_backup_with_the_keyboard(qtbot, upper_db, ctx, ui, tmp_path: Path) -> None:
    page = _page(qtbot, ctx)
    qtbot.mouseClick(page.own_keys.export_button, Qt.MouseButton.LeftButton)
    dialog = page.own_keys.dialog
    assert isinstance(dialog, ExportKeyBackupDialog) and dialog.file.edit.text().endswith(EXTENSION)
    dialog.file.edit.setText(str(ui["folder"] / "khoa-du-phong"))
    type_text(dialog.passphrase, "ngắn")
    type_text(dialog.confirm, "ngắn")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter: the default button
    assert "ít nhất 12 ký tự" in dialog.errors.message("passphrase") and dialog.isVisible()
    dialog.passphrase.clear()
    dialog.confirm.clear()
    type_text(dialog.passphrase, PASSPHRASE)
    type_text(dialog.confirm, PASSPHRASE + "!")
    _ok(qtbot, dialog)
    assert "không giống nhau" in dialog.errors.message("confirm") and list(ui["folder"].iterdir()) == []
    dialog.confirm.clear()
    type_text(dialog.confirm, PASSPHRASE, input_method=True)  # as Unikey commits it
    _ok(qtbot, dialog)
    lines = _shown(qtbot, ui, "Đã xuất khóa dự phòng")
    written = ui["folder"] / f"khoa-du-phong{EXTENSION}"
    assert lines[0] == f"Tệp: {written}" and written.is_file() and "Quên cụm mật khẩu" in lines[1]
    assert [a for a, *_ in audit_entries(upper_db.path, "key_backup_export")] == ["key_backup_export"]


def test_import_the_key_backup_after_a_wrong_passphrase(qtbot, upper_db, ctx, ui, tmp_path: Path,
                                                        monkeypatch) -> None:
    restored = _fingerprint(upper_db)
    key_file = _backup_file(upper_db, tmp_path)
    with upper_db.session() as s:
        rotate_office_keys(s)
    page = _page(qtbot, ctx)
    assert page.fingerprint_label.text() != restored
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(key_file), "")))
    qtbot.mouseClick(page.own_keys.import_button, Qt.MouseButton.LeftButton)
    dialog = page.own_keys.dialog
    assert isinstance(dialog, ImportKeyBackupDialog)
    qtbot.mouseClick(dialog.file.choose_button, Qt.MouseButton.LeftButton)
    assert "Công an huyện Gò Công Tây" in dialog.about.text() and restored in dialog.about.text()
    assert dialog.focusWidget() is dialog.passphrase  # the next thing to type
    before = dump(upper_db.path)
    type_text(dialog.passphrase, "không phải cụm này")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.errors.message("passphrase")), timeout=15000)
    assert "Cụm mật khẩu không đúng" in dialog.errors.message("passphrase") and dump(upper_db.path) == before
    dialog.passphrase.clear()
    type_text(dialog.passphrase, PASSPHRASE)
    _ok(qtbot, dialog)
    lines = _shown(qtbot, ui, "Đã nhập khóa dự phòng")
    assert f"  Khóa đã khôi phục: {restored}" in lines
    qtbot.waitUntil(lambda: page.fingerprint_label.text() == restored, timeout=15000)


@pytest.mark.parametrize("content", [b"", b"\x00\xff" * 40, b'{"format": "gocong-key-backup", "version": 1}'])
def test_a_bad_file_is_said_under_the_file_field(qtbot, upper_db, ctx, ui, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / f"hong{EXTENSION}"
    bad.write_bytes(content)
    dialog = ImportKeyBackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.edit.setText(str(bad))
    type_text(dialog.passphrase, PASSPHRASE)
    before = dump(upper_db.path)
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(dialog.errors.message("path")), timeout=15000)
    assert "không phải tệp khóa dự phòng" in dialog.errors.message("path") and dialog.isVisible()
    assert dump(upper_db.path) == before


def test_another_units_backup_is_refused_in_the_dialog(qtbot, upper_db, ctx, ui, seeded, tmp_path: Path) -> None:
    theirs = _backup_file(seeded.db, tmp_path)
    dialog = ImportKeyBackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.edit.setText(str(theirs))
    dialog.file.edit.editingFinished.emit()
    assert "xã Bình Tân" in dialog.about.text()
    type_text(dialog.passphrase, PASSPHRASE)
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(dialog.errors.message("path")), timeout=15000)
    assert "chỉ nhập được vào dữ liệu của chính đơn vị đó" in dialog.errors.message("path")


def test_rotate_explains_then_offers_the_new_card(qtbot, upper_db, ctx, ui) -> None:
    old = _fingerprint(upper_db)
    page = _page(qtbot, ctx)
    qtbot.mouseClick(page.own_keys.rotate_button, Qt.MouseButton.LeftButton)
    dialog = page.own_keys.dialog
    assert isinstance(dialog, RotateKeysDialog)
    text = " ".join(label.text() for label in dialog.findChildren(type(page.office_label)))
    assert "từng xã" in text and "vẫn nhập được" in text and "Xuất lại tệp khóa dự phòng" in text
    _ok(qtbot, dialog)
    lines = _shown(qtbot, ui, "Đã đổi cặp khóa")
    new = _fingerprint(upper_db)
    assert new != old and f"  Dấu vân tay mới: {new}" in lines
    assert new in ui["confirms"][0]
    card_lines = _shown(qtbot, ui, "Đã xuất tệp khóa")
    assert card_lines[0].startswith(f"Tệp: {ui['folder']}") and len(list(ui["folder"].glob("*.gckey"))) == 1
    qtbot.waitUntil(lambda: page.fingerprint_label.text() == new, timeout=15000)


def test_not_for_a_clerk(qtbot, upper_db, ctx) -> None:
    _fingerprint(upper_db)  # keys made by the administrator
    upper_db.user = Principal("canbo", "Cán bộ", Role.CLERK)
    page = _page(qtbot, ctx)
    buttons = (page.own_keys.export_button, page.own_keys.import_button, page.own_keys.rotate_button)
    assert not any(b.isEnabled() for b in buttons)
    assert "Chỉ quản trị viên" in page.own_keys.rotate_button.toolTip()


def test_the_wizard_sets_the_unit_up_again_from_its_key_backup(qtbot, upper_db, tmp_path: Path,
                                                               monkeypatch) -> None:
    fingerprint = _fingerprint(upper_db)
    key_file = _backup_file(upper_db, tmp_path)
    create_app()
    wizard = SetupWizard(database_path=tmp_path / "may-moi" / "gocong.db")
    qtbot.addWidget(wizard)
    page = wizard.unit_page
    answers, errors = ["không phải cụm này", PASSPHRASE], []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(key_file), "")))
    monkeypatch.setattr(setup_from_backup, "ask_passphrase", lambda parent: answers.pop(0))
    monkeypatch.setattr(setup_from_backup, "show_error", lambda parent, exc: errors.append(exc.message))
    qtbot.mouseClick(page.key_backup_choice.button, Qt.MouseButton.LeftButton)
    assert "Cụm mật khẩu không đúng" in errors[0] and page.key_backup() is None and page.unit_name.text() == ""
    qtbot.mouseClick(page.key_backup_choice.button, Qt.MouseButton.LeftButton)
    assert page.key_backup() is not None and page.upper_role.isChecked()
    assert (page.unit_type.currentText(), page.unit_name.text(), page.province.text()) == (
        "Công an huyện", "Gò Công Tây", "Tiền Giang")
    assert not page.unit_name.isEnabled() and not page.commune_role.isEnabled()
    assert fingerprint in page.key_backup_choice.note.text() and page.validatePage()
    setup = replace(wizard.office_setup(), admin=None)
    created = create_office_database(tmp_path / "may-moi" / "gocong.db", setup)
    new = open_database(created.path)
    try:
        assert _fingerprint(new) == fingerprint
        with new.session() as s, upper_db.session() as old:
            assert get_office(s) == get_office(old)
    finally:
        new.close()
    qtbot.mouseClick(page.key_backup_choice.button, Qt.MouseButton.LeftButton)  # «Thôi, thiết lập đơn vị mới»
    assert page.key_backup() is None and page.unit_name.isEnabled() and page.unit_name.text() == ""
