"""Trợ giúp › Hướng dẫn sử dụng: F1 opens the Vietnamese guide, every screenshot
in it loads and fits the window, and the same dialog comes back on a second F1."""

from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from gocong_desktop.core.resources import docs_path  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.help_dialog import GUIDE_FILE, HelpDialog, image_fragments, image_size  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402

GUIDE = docs_path(GUIDE_FILE)
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


@pytest.fixture
def window(qtbot, db, tmp_path):
    create_app()
    win = MainWindow(make_context(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(win)
    win.show()
    QTest.qWaitForWindowExposed(win)
    win.activateWindow()
    yield win
    win.close()


def open_with_f1(qtbot, win) -> HelpDialog:
    qtbot.keyClick(win, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: win.findChild(HelpDialog) is not None and win.findChild(HelpDialog).isVisible())
    return win.findChild(HelpDialog)


def test_f1_opens_the_guide_with_its_pictures(qtbot, window):
    dialog = open_with_f1(qtbot, window)
    text = dialog.browser.toPlainText()
    assert text.startswith("Hướng dẫn sử dụng gocong_desktop")
    for words in ("Thiết lập lần đầu", "Sinh hoạt tổ và biên bản", "Cam kết của hộ gia đình",
                  "Mô hình phòng, chống tội phạm", "Sao lưu và khôi phục", "Khi gặp sự cố"):
        assert words in text
    assert "4.3. Sinh hoạt tổ và biên bản" in dialog.headings()

    document = dialog.browser.document()
    images = list(image_fragments(document))
    assert len(images) == len(IMAGE_LINK.findall(GUIDE.read_text(encoding="utf-8"))) >= 10
    room = dialog.browser.viewport().width()
    for _position, _length, fmt in images:
        assert not image_size(document, fmt.name()).isEmpty(), f"{fmt.name()} did not load"
        assert 0 < fmt.width() <= room, fmt.name()  # shrunk to the window, never wider


def test_a_second_f1_brings_back_the_same_dialog(qtbot, window):
    first = open_with_f1(qtbot, window)
    first.close()
    assert open_with_f1(qtbot, window) is first
    assert len(window.findChildren(HelpDialog)) == 1


def test_choosing_a_heading_scrolls_to_it(qtbot, window):
    dialog = open_with_f1(qtbot, window)
    headings = dialog.headings()
    dialog.contents.setCurrentRow(headings.index("7. Khi gặp sự cố"))
    cursor = dialog.browser.textCursor()
    assert cursor.block().text() == "7. Khi gặp sự cố"
    assert 0 <= dialog.browser.cursorRect(cursor).top() < 40  # at the top of the view


def test_a_missing_guide_says_so_in_vietnamese(qtbot, tmp_path):
    create_app()
    dialog = HelpDialog(guide=tmp_path / "khong-co.md")
    qtbot.addWidget(dialog)
    assert "Không tìm thấy hướng dẫn" in dialog.browser.toPlainText()


def test_guide_pictures_exist_and_stay_small():
    names = IMAGE_LINK.findall(GUIDE.read_text(encoding="utf-8"))
    assert names
    for name in names:
        path = GUIDE.parent / name
        assert path.is_file(), name
        assert path.stat().st_size <= 150_000, f"{name}: {path.stat().st_size} bytes"


def test_every_page_has_its_section_in_the_guide(qtbot):
    from gocong_desktop.gui.help_dialog import PAGE_SECTIONS
    from gocong_desktop.gui.main_window import NAV_TITLES, UPPER_NAV_TITLES

    create_app()
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    assert set(NAV_TITLES) | set(UPPER_NAV_TITLES) <= set(PAGE_SECTIONS)
    for title, section in PAGE_SECTIONS.items():
        assert dialog.find_section(section) is not None, f"{title}: no heading «{section}» in the guide"


@pytest.mark.parametrize("title, heading", [("Hộ gia đình", "4.2. Hộ gia đình"),
                                            ("Sinh hoạt tổ", "4.3. Sinh hoạt tổ và biên bản"),
                                            ("Đồng bộ", "5. Gửi số liệu lên cơ quan cấp trên")])
def test_f1_opens_the_guide_at_the_section_of_the_page_shown(qtbot, window, title, heading):
    window.nav.setCurrentRow(window.titles.index(title))
    dialog = open_with_f1(qtbot, window)
    assert dialog.contents.currentItem().text().strip() == heading
    cursor = dialog.browser.textCursor()
    assert cursor.block().text() == heading
    assert 0 <= dialog.browser.cursorRect(cursor).top() < 40  # at the top of the view
    dialog.close()
    window.nav.setCurrentRow(window.titles.index("Cam kết"))  # the dialog kept open follows the page
    assert open_with_f1(qtbot, window).contents.currentItem().text().strip() == "4.4. Cam kết của hộ gia đình"
