"""First run: the set-up wizard creates a real database, the demo choice makes
demo data, and the app picks which database to open (QSettings in tmp_path)."""

from __future__ import annotations

import os
from tests import app_sqlite as sqlite3
import unicodedata
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QWizard  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.errors import DatabaseError  # noqa: E402
from gocong_desktop.core.services.hamlets import list_hamlets  # noqa: E402
from gocong_desktop.core.services.office import get_office  # noqa: E402
from gocong_desktop.gui import app as app_module  # noqa: E402
from gocong_desktop.gui import application  # noqa: E402
from gocong_desktop.core.setup import office as setup_model
from gocong_desktop.gui.setup import storage as setup_storage
from tests.gui.typing import type_text  # noqa: E402
from gocong_desktop.gui.application import choose_database, create_app  # noqa: E402
from gocong_desktop.gui.app import open_first_database  # noqa: E402
from gocong_desktop.core.setup.office import OfficeSetup, parse_hamlets, storage_warning  # noqa: E402
from gocong_desktop.gui.widgets.setup_widgets import PageId  # noqa: E402
from gocong_desktop.gui.setup.wizard import SetUpDone, SetupWizard  # noqa: E402
from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog  # noqa: E402
from gocong_desktop.gui.security.recovery_code_dialog import RecoveryCodeDialog  # noqa: E402
from gocong_desktop.gui.security.sign_in import last_user  # noqa: E402
from gocong_desktop.core.db.access import Role  # noqa: E402
from gocong_desktop.core.services import accounts  # noqa: E402
from tests.gui.waiting import confirm_recovery_code, when_shown  # noqa: E402

Button = QWizard.WizardButton
codes: list[str] = []  # recovery codes shown by the last _finish


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch):
    """Opening a database asks who signs in (tested in test_sign_in_and_lock.py)."""
    monkeypatch.setattr(app_module, "sign_in", lambda db, settings, parent=None: True)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Any QSettings() made during a test lands in tmp_path, not the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def target(tmp_path) -> Path:
    return tmp_path / "Nguyễn Văn A" / "Dữ liệu" / "gocong.db"  # folders not made yet


@pytest.fixture
def wizard(qtbot, tmp_path, target):
    create_app()
    win = SetupWizard(database_path=target, demo_path=tmp_path / "mẫu.db", demo_households=100)
    qtbot.addWidget(win)
    win.show()
    yield win
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=30000)  # no thread outlives the test
    win.close()


def _type_lines(qtbot, edit, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        type_text(edit, line, input_method=i % 2 == 0)


def _click(qtbot, wizard, which) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _pick(qtbot, radio) -> None:
    """Click a radio button on its circle (its middle may be empty space)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def _fill_unit(qtbot, wizard, name="Bình Tân", province="Đồng Tháp") -> None:
    page = wizard.unit_page
    type_text(page.unit_name, name)
    type_text(page.province, province, input_method=True)
    type_text(page.upper_office, "Công an tỉnh Đồng Tháp", input_method=True)


def _fill_admin(qtbot, wizard, password="mat-khau-quan-tri") -> None:
    assert wizard.currentId() == PageId.ADMIN
    form = wizard.admin_page.form
    type_text(form.display_name, "Nguyễn Văn Quản")
    type_text(form.password, password)
    type_text(form.confirm, password)
    _click(qtbot, wizard, Button.NextButton)


def _finish(qtbot, wizard) -> None:
    codes.clear()
    when_shown(RecoveryCodeDialog, lambda box: (codes.append(box.code), confirm_recovery_code(box)))
    _click(qtbot, wizard, Button.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
    assert wizard.result() == QWizard.DialogCode.Accepted


def _read_office(path: Path):
    db = open_database(path)
    try:
        with db.session() as s:
            return get_office(s), list_hamlets(s), s.connection().exec_driver_sql(
                "SELECT count(*) FROM model_type").scalar()
    finally:
        db.close()


def test_new_commune_is_created_with_its_hamlets(qtbot, wizard, target):
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.UNIT
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.HAMLETS
    nfd = [unicodedata.normalize("NFD", n) for n in ("Lợi An", "Thuận Trị", "Xóm Thủ")]
    _type_lines(qtbot, wizard.hamlets_page.names, nfd)
    assert "Sẽ tạo 3 ấp" in wizard.hamlets_page.preview.text()
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    assert wizard.currentId() == PageId.STORAGE
    assert "3 ấp: Lợi An, Thuận Trị, Xóm Thủ" in wizard.storage_page.summary.text()
    assert "Tài khoản quản trị: nguyenvanquan (Nguyễn Văn Quản)" in wizard.storage_page.summary.text()
    _finish(qtbot, wizard)
    assert wizard.database_path == target and target.is_file()
    office, hamlets, model_types = _read_office(target)
    assert (office.role, office.unit_type, office.unit_name) == ("commune", "xã", "Bình Tân")
    assert (office.province_name, office.district_name) == ("Đồng Tháp", None)
    assert office.upper_office_name == "Công an tỉnh Đồng Tháp"
    assert sorted(h.name for h in hamlets) == ["Lợi An", "Thuận Trị", "Xóm Thủ"]
    assert all(unicodedata.is_normalized("NFC", h.name) and h.unit_type == "ấp" for h in hamlets)
    assert model_types > 0  # the default catalogue, as `gocong-desktop init` makes it
    assert last_user(QSettings(), target) == "nguyenvanquan"  # the sign-in box will start with it
    db = open_database(target)  # the administrator signs in; the code shown once recovers
    try:
        assert accounts.sign_in(db, "nguyenvanquan", "mat-khau-quan-tri").role == "administrator"
        with db.session() as s:
            accounts.recover_with_code(s, "nguyenvanquan", codes[0], "mat-khau-moi-1", "mat-khau-moi-1")
    finally:
        db.close()


def test_the_administrator_just_set_up_is_signed_in_without_being_asked_again(qtbot, wizard, target,
                                                                               private_settings, monkeypatch):
    from gocong_desktop.gui.security.sign_in import SignInDialog

    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    _type_lines(qtbot, wizard.hamlets_page.names, ["Lợi An"])
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    _finish(qtbot, wizard)
    done = wizard.done_result()
    assert done == SetUpDone(target, "nguyenvanquan")
    monkeypatch.setattr(app_module, "run_setup_wizard", lambda **kw: done)
    monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: pytest.fail("asked to sign in again"))
    asked = []
    when_shown(SignInDialog, lambda box: (asked.append(box), box.reject()))
    monkeypatch.setattr(application, "default_database_path", lambda: target.with_name("none.db"))
    db = open_first_database(private_settings)  # nothing to open: the wizard runs
    try:
        assert asked == [] and db.user.username == "nguyenvanquan" and db.user.role == Role.ADMIN
    finally:
        db.close()


def test_the_recovery_sheet_is_printed_at_set_up(qtbot, wizard, target, tmp_path, monkeypatch):
    """The admin page says the data is encrypted; the code box prints the office's sheet."""
    sheet = tmp_path / "phieu.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(sheet), "")))
    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    words = " ".join(label.text() for label in wizard.admin_page.findChildren(QLabel))
    assert "được mã hóa" in words and "không ai mở được dữ liệu" in words
    _fill_admin(qtbot, wizard)
    shown: list[tuple[str, str]] = []

    def print_then_close(box: RecoveryCodeDialog) -> None:
        shown.append((box.code, box.office_name))
        box.print_button.click()
        next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)).accept()
        confirm_recovery_code(box)
    when_shown(RecoveryCodeDialog, print_then_close)
    _click(qtbot, wizard, Button.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
    (code, office), = shown
    assert office == "xã Bình Tân"
    text = " ".join(PdfReader(sheet).pages[0].extract_text().split())
    assert code in text and "XÃ BÌNH TÂN" in text and "nguyenvanquan" in text and target.name in text


def test_admin_page_refuses_a_short_or_mistyped_password(qtbot, wizard):
    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard, password="ngan")
    assert wizard.currentId() == PageId.ADMIN
    assert "ít nhất 8" in wizard.admin_page.form.notes.message("password")
    form = wizard.admin_page.form
    form.password.clear()
    form.confirm.clear()
    type_text(form.password, "mat-khau-dai")
    type_text(form.confirm, "mat-khau-khac")
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.ADMIN
    assert "không giống" in form.notes.message("confirm")


def test_empty_unit_name_refuses_next_with_a_message(qtbot, wizard):
    _click(qtbot, wizard, Button.NextButton)
    type_text(wizard.unit_page.province, "Đồng Tháp", input_method=True)
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.UNIT
    notes = wizard.unit_page.notes
    assert notes.message("unit_name") == "Chưa nhập tên đơn vị."
    assert notes.labels["unit_name"].isVisible()
    assert notes.message("province") == ""
    assert wizard.unit_page.unit_name.hasFocus()
    type_text(wizard.unit_page.unit_name, "Bình Tân")
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.HAMLETS
    assert notes.message("unit_name") == ""


def test_duplicate_hamlets_are_reported_and_made_once(qtbot, wizard, target):
    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    _type_lines(qtbot, wizard.hamlets_page.names, ["Lợi An", "", "loi an", "ấp Thuận Trị"])
    report = wizard.hamlets_page.duplicates
    assert report.isVisible() and "«loi an» trùng «Lợi An»" in report.text()
    assert wizard.hamlets_page.preview.text() == "Sẽ tạo 2 ấp: Lợi An, Thuận Trị."
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    _finish(qtbot, wizard)
    assert sorted(h.name for h in _read_office(target)[1]) == ["Lợi An", "Thuận Trị"]


def test_upper_office_skips_the_hamlets_page(qtbot, wizard, target):
    _click(qtbot, wizard, Button.NextButton)
    _pick(qtbot, wizard.unit_page.upper_role)
    assert wizard.unit_page.unit_type.currentText() == "tỉnh"
    _fill_unit(qtbot, wizard, name="Đồng Tháp")
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    assert wizard.currentId() == PageId.STORAGE
    _click(qtbot, wizard, Button.BackButton)
    _click(qtbot, wizard, Button.BackButton)
    assert wizard.currentId() == PageId.UNIT
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    _finish(qtbot, wizard)
    office, hamlets, _ = _read_office(target)
    assert (office.role, office.unit_type, office.unit_name) == ("upper", "tỉnh", "Đồng Tháp")
    assert hamlets == []


def test_demo_choice_makes_demo_data_off_the_ui_thread(qtbot, wizard, tmp_path):
    _pick(qtbot, wizard.welcome_page.buttons["demo"])
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.DEMO
    # Work under way: busy bar shown, cannot be cancelled or left.
    assert wizard.is_busy() and wizard.demo_page.busy.isVisible()
    assert not wizard.button(Button.CancelButton).isEnabled()
    assert not wizard.button(Button.BackButton).isEnabled()
    wizard.reject()
    assert wizard.isVisible()
    qtbot.waitUntil(wizard.demo_page.isComplete, timeout=30000)
    assert "100 hộ gia đình" in wizard.demo_page.status.text()
    assert wizard.button(Button.BackButton).isEnabled()
    _finish(qtbot, wizard)
    assert wizard.database_path == tmp_path / "mẫu.db"
    con = sqlite3.connect(wizard.database_path)
    try:
        assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 100
    finally:
        con.close()


def test_open_existing_file_ends_the_wizard(qtbot, wizard, tmp_path, monkeypatch):
    existing = tmp_path / "cũ.db"
    monkeypatch.setattr("gocong_desktop.gui.setup.wizard.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(existing), ""))
    _pick(qtbot, wizard.welcome_page.buttons["open"])
    assert wizard.button(Button.NextButton).text() == "Mở tệp…"
    _click(qtbot, wizard, Button.NextButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.database_path == existing


def test_failed_creation_leaves_nothing_behind(qtbot, wizard, target, monkeypatch):
    shown = []
    monkeypatch.setattr(setup_storage, "show_error", lambda parent, exc, **kw: shown.append(exc))

    def broken(session):
        raise RuntimeError("disk full")

    monkeypatch.setattr(setup_model, "ensure_default_catalogue", broken)
    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    type_text(wizard.hamlets_page.names, "Lợi An", input_method=True)
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    _click(qtbot, wizard, Button.FinishButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert isinstance(shown[0], RuntimeError)
    assert wizard.isVisible() and wizard.currentId() == PageId.STORAGE
    assert wizard.button(Button.FinishButton).isEnabled() and wizard.database_path is None
    assert not target.exists() and not target.parent.parent.exists()


def test_an_existing_office_file_is_refused_on_the_page(qtbot, wizard, tmp_path):
    taken = tmp_path / "đã có.db"
    setup_model.create_office_database(taken, OfficeSetup("commune", "xã", "Long Bình", "Đồng Tháp"))
    before = taken.read_bytes()
    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    page = wizard.storage_page
    page.path.setText(str(taken))
    assert page.exists_note.isVisible()
    _click(qtbot, wizard, Button.FinishButton)
    qtbot.waitUntil(lambda: page.notes.message("path") != "", timeout=10000)
    assert "xã Long Bình" in page.notes.message("path")
    assert wizard.isVisible() and taken.read_bytes() == before


def test_storage_page_warns_about_usb_and_network_places(qtbot, wizard, tmp_path):
    _click(qtbot, wizard, Button.NextButton)
    _fill_unit(qtbot, wizard)
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    _fill_admin(qtbot, wizard)
    page = wizard.storage_page
    assert not page.warning.isVisible()
    page.path.setText("/media/usb0/gocong.db")
    assert page.warning.isVisible() and "USB" in page.warning.text()
    page.path.setText("")
    _click(qtbot, wizard, Button.FinishButton)
    assert page.notes.message("path") == "Chưa chọn nơi lưu dữ liệu."


@pytest.mark.parametrize("path", ["/media/usb0/gocong.db", "/mnt/share/gocong.db",
                                  "/run/media/an/KINGSTON/gocong.db", "/Volumes/USB/gocong.db",
                                  r"\\may-chu\du-lieu\gocong.db", "//may-chu/du-lieu/gocong.db"])
def test_removable_and_network_places_are_flagged(path):
    assert "Không nên để dữ liệu đang dùng ở đây" in storage_warning(path)


def test_local_places_are_not_flagged(tmp_path):
    assert storage_warning(tmp_path / "gocong.db") is None
    assert storage_warning("/home/an/mntdata/gocong.db") is None


def test_parse_hamlets_normalises_and_folds():
    parsed = parse_hamlets(unicodedata.normalize("NFD", "  Lợi  An \n\nẤp Thuận Trị\nLỢI AN\nẤp\n"))
    assert parsed.names == ["Lợi An", "Thuận Trị", "Ấp"]
    assert all(unicodedata.is_normalized("NFC", n) for n in parsed.names)
    assert parsed.duplicates == [("LỢI AN", "Lợi An")]
    assert parse_hamlets("khu phố 3\nKhu Phố 4", "khu phố").names == ["3", "4"]


# ---- which database the app opens ------------------------------------------------

def _make_db(path: Path, name: str = "Bình Tân") -> Path:
    return setup_model.create_office_database(path, OfficeSetup("commune", "xã", name, "Đồng Tháp")).path


def test_choose_database_prefers_db_arg_then_last_then_default(private_settings, tmp_path):
    settings, default = private_settings, tmp_path / "mặc định.db"
    assert choose_database(settings, None, default=default) is None  # → wizard
    default.touch()
    assert choose_database(settings, None, default=default) == default
    last = tmp_path / "lần trước.db"
    last.touch()
    app_module.remember_database(settings, last)
    assert choose_database(settings, None, default=default) == last.resolve()
    last.unlink()  # a remembered file that was moved away is skipped
    assert choose_database(settings, None, default=default) == default
    assert choose_database(settings, default, default=None) == default
    assert choose_database(settings, tmp_path / "không có.db", default=default) is None


def test_opened_database_is_remembered(private_settings, tmp_path, monkeypatch):
    created = _make_db(tmp_path / "xã.db")
    monkeypatch.setattr(application, "default_database_path", lambda: tmp_path / "none.db")
    monkeypatch.setattr(app_module, "run_setup_wizard", lambda **kw: SetUpDone(created))
    db = open_first_database(private_settings)
    db.close()
    assert Path(private_settings.value("app/last_database")) == created.resolve()
    assert choose_database(private_settings) == created.resolve()


def test_missing_db_arg_runs_the_wizard_prefilled(private_settings, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(app_module, "run_setup_wizard", lambda **kw: asked.append(kw) or None)
    wanted = tmp_path / "mới.db"
    assert open_first_database(private_settings, wanted) is None
    assert asked == [{"database_path": wanted}]


def test_refused_database_offers_another_file(private_settings, tmp_path, monkeypatch):
    bad = tmp_path / "hỏng.db"
    bad.write_bytes(b"not a database at all" * 100)
    good = _make_db(tmp_path / "tốt.db")
    offered = []
    monkeypatch.setattr(app_module, "ask_for_other_file",
                        lambda exc, path: offered.append((exc, path)) or good)
    db = open_first_database(private_settings, bad)
    db.close()
    assert isinstance(offered[0][0], DatabaseError) and offered[0][1] == bad
    assert db.path == good and bad.read_bytes() == b"not a database at all" * 100


def test_database_without_office_goes_to_the_wizard_and_can_be_set_up(private_settings, tmp_path,
                                                                      monkeypatch):
    half = tmp_path / "dở dang.db"
    open_database(half, create=True).close()  # an interrupted `init`: schema, no office
    monkeypatch.setattr(app_module, "run_setup_wizard",
                        lambda database_path: SetUpDone(_make_db(database_path, "Vĩnh Hựu")))
    db = open_first_database(private_settings, half)
    db.close()
    assert db.path == half and _read_office(half)[0].unit_name == "Vĩnh Hựu"


@pytest.mark.parametrize("answer", ["Thoát", "Chọn tệp khác…"])
def test_refusal_message_offers_another_file_or_quit(qtbot, tmp_path, monkeypatch, answer):
    create_app()
    other = tmp_path / "khác.db"
    monkeypatch.setattr(app_module.QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    seen = []

    def click_answer():
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == answer).click()

    QTimer.singleShot(0, click_answer)
    chosen = app_module.ask_for_other_file(DatabaseError("Tệp do phiên bản mới hơn ghi."),
                                           tmp_path / "mới.db")
    assert seen == ["Tệp do phiên bản mới hơn ghi."]
    assert chosen == (None if answer == "Thoát" else other)

