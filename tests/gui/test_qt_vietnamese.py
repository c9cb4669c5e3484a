"""Qt's own strings in Vietnamese: the committed catalogue compiles with the wheel's
lrelease, the app finds and installs it, and what Qt builds itself speaks Vietnamese."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (QApplication, QDialogButtonBox, QFileDialog, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QSpinBox, QToolButton)

from gocong_desktop.gui import i18n
from gocong_desktop.gui.application import create_app

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import translations  # noqa: E402

EDIT_MENU = ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Path:
    """The committed .ts compiled as the Makefile and the spec do, into a folder of our own."""
    (qm,) = translations.compile_catalogues(tmp_path_factory.mktemp("i18n"))
    return qm


@pytest.fixture
def vietnamese(catalogue):
    app = create_app()
    if i18n.install_vietnamese(app) is None:  # not built with make: load the freshly compiled one
        i18n.install_vietnamese(app, catalogue)
    return app


def plain(text: str) -> str:
    """A menu or button text without its mnemonic or shortcut."""
    return text.split("\t")[0].replace("&", "")


def test_the_app_loads_the_catalogue_the_build_writes(catalogue):
    assert i18n.qt_catalogue_path().parent == translations.CATALOGUES
    assert i18n.qt_catalogue_path().name == catalogue.name
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"QT_VI  := {i18n.qt_catalogue_path().relative_to(ROOT).as_posix()}" in makefile
    assert "compile_catalogues()" in (ROOT / "installer" / "gocong_desktop.spec").read_text(encoding="utf-8")


def test_installed_once_with_locale_and_display_name(vietnamese):
    i18n.install_vietnamese(vietnamese)
    assert QLocale().name() == "vi_VN"
    assert QApplication.applicationDisplayName() == i18n.APP_DISPLAY_NAME
    assert len(vietnamese.findChildren(i18n.QTranslator, i18n.TRANSLATOR_NAME)) == 1


@pytest.mark.parametrize("widget_type", [QLineEdit, QPlainTextEdit])
def test_text_box_context_menu_is_vietnamese(vietnamese, qtbot, widget_type):
    box = widget_type()
    qtbot.addWidget(box)
    menu = box.createStandardContextMenu()
    texts = [plain(a.text()) for a in menu.actions() if not a.isSeparator()]
    assert texts[:len(EDIT_MENU)] == EDIT_MENU


def test_spin_box_context_menu_is_vietnamese(vietnamese, qtbot):
    spin = QSpinBox()
    qtbot.addWidget(spin)
    texts = {plain(a.text()) for a in spin.lineEdit().createStandardContextMenu().actions()}
    assert {"Hoàn tác", "Sao chép", "Dán"} <= texts


def test_standard_buttons_are_vietnamese(vietnamese, qtbot):
    B = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(B.Ok | B.Cancel | B.Yes | B.No | B.Save | B.Close)
    qtbot.addWidget(box)
    texts = {plain(box.button(b).text()) for b in (B.Ok, B.Cancel, B.Yes, B.No, B.Save, B.Close)}
    assert texts == {"Đồng ý", "Hủy", "Có", "Không", "Lưu", "Đóng"}


def test_message_box_details_button_is_vietnamese(vietnamese, qtbot):
    box = QMessageBox(QMessageBox.Icon.Warning, "Lỗi", "Không mở được tệp.")
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    box.show()
    assert any(plain(b.text()) == "Xem chi tiết…" for b in box.buttons())


def test_qt_file_dialog_is_vietnamese(vietnamese, qtbot, tmp_path):
    dialog = QFileDialog(None, "Chọn tệp", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    labels = {plain(label.text()) for label in dialog.findChildren(QLabel)}
    assert {"Xem trong:", "Tên tệp:", "Loại tệp:"} <= labels
    tips = {button.toolTip() for button in dialog.findChildren(QToolButton)}
    assert {"Lùi lại", "Tiến tới", "Thư mục cha", "Tạo thư mục mới", "Xem chi tiết", "Xem danh sách"} <= tips
    buttons = dialog.findChild(QDialogButtonBox)
    assert {plain(b.text()) for b in buttons.buttons()} == {"Lưu", "Hủy"}
