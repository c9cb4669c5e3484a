"""Every page of the main window worked from the keyboard: Tab leaves a list for
the page's buttons (it used to walk cell by cell through thousands of rows and
never reach them), and each button or field shown takes an Alt+letter of its
own, none the menus' letters."""

from __future__ import annotations

import os
from collections import Counter

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QCommandLinkButton, QPushButton  # noqa: E402

from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from gocong_desktop.gui.widgets.mnemonics import mnemonic_of  # noqa: E402
from tests.gui.test_dialog_keys import _shown_mnemonics  # noqa: E402
from tests.gui.test_main_window import db  # noqa: E402,F401 (the fixture: a commune with data)
from tests.gui.waiting import settle  # noqa: E402

PAGES = ["Tổng quan", "Tổ tự quản", "Hộ gia đình", "Sinh hoạt tổ", "Cam kết", "Mô hình", "Đồng bộ", "Báo cáo"]


@pytest.fixture
def window(qtbot, db, tmp_path):  # noqa: F811
    create_app()
    win = MainWindow(make_context(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(win)
    win.resize(1024, 740)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _shown(page, kind):
    return [w for w in page.findChildren(kind) if w.isVisible()]


@pytest.mark.parametrize("title", PAGES)
def test_tab_leaves_every_list_of_the_page(window, title):
    page = window.open_page(title)
    settle(window)
    lists = [v for v in _shown(page, QAbstractItemView) if v.model() is not None and v.model().rowCount() > 1]
    for view in lists:
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))
        QTest.keyClick(view, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not view, f"{title}: Tab stayed in {view.objectName() or view}"


@pytest.mark.parametrize("title", PAGES)
def test_the_pages_buttons_and_fields_take_alt_letters_of_their_own(window, title):
    page = window.open_page(title)
    settle(window)
    menus = {mnemonic_of(a.text()) for a in window.menuBar().actions()} - {None}
    # the start page's to-do links are sentences with counts, rewritten as data comes: Tab reaches them
    buttons = [b for b in _shown(page, QPushButton) if b.text() and not isinstance(b, QCommandLinkButton)]
    letters = _shown_mnemonics(page)
    assert [letter for letter, count in Counter(letters).items() if count > 1] == [], title
    assert menus.isdisjoint(letters), title
    for button in buttons:  # none, only when every letter it could take is taken (Alt+ê cannot be typed)
        if mnemonic_of(button.text()) is None:
            free = {ch.lower() for ch in button.text() if ch.isascii() and ch.isalnum()} - menus - set(letters)
            assert not free, f"{title}: «{button.text()}» could take Alt+{sorted(free)}"


def test_the_window_fits_a_1024x768_screen_at_150_percent_whatever_page_was_opened(window):
    """683×512 logical pixels: a page needing more scrolls inside the window, rather than
    pushing the window (and its status bar) off the screen."""
    for title in PAGES:
        window.open_page(title)
    settle(window)
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert needed.width() <= 683 and needed.height() <= 512, needed
