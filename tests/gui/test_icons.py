"""The bundled Lucide icons: every name the app uses is a file that Qt's SVG icon
engine draws, and the navigation, the menus and the pages' buttons show them."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QIcon  # noqa: E402

from gocong_desktop.core.resources import resource_path  # noqa: E402
from gocong_desktop.gui import icons  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.main_window import NAV_TITLES, MainWindow  # noqa: E402


def drawn_pixels(icon: QIcon, size: int = 24) -> int:
    image = icon.pixmap(size, size).toImage()
    return sum(image.pixelColor(x, y).alpha() > 0 for x in range(image.width()) for y in range(image.height()))


def test_every_icon_named_is_bundled_and_drawn_from_svg():
    create_app()
    names = icons.all_names()
    assert set(NAV_TITLES) <= set(icons.NAV_ICONS)
    for name in names:
        assert resource_path("icons", "lucide", f"{name}.svg").is_file(), name
        assert drawn_pixels(icons.icon(name)) > 20, name  # not a blank square: the SVG engine drew it
    assert "ISC License" in resource_path("icons", "lucide", "LICENSE").read_text(encoding="utf-8")
    bundled = {p.stem for p in resource_path("icons", "lucide").glob("*.svg")}
    assert bundled == set(names)  # nothing shipped that is not shown


def test_an_unknown_name_is_refused_loudly():
    with pytest.raises(KeyError):
        icons.icon("không-có")


@pytest.fixture
def window(qtbot, seeded_ctx):
    win = MainWindow(seeded_ctx)  # the shared context: its tasks are waited for after the test
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_navigation_menus_and_page_buttons_have_icons(window):
    nav = window.nav
    assert all(not nav.item(row).icon().isNull() for row in range(nav.count()))
    assert nav.iconSize().height() >= 20
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    edit = {a.text(): a for a in menus["&Chỉnh sửa"].actions()}
    for text in ("Thêm &mới…", "&Sửa…", "&Xóa…"):
        assert not edit[text].icon().isNull(), text
    for menu in menus.values():  # every command of the menus has its picture
        for action in menu.actions():
            if not action.isSeparator() and action.menu() is None and not action.isCheckable():
                assert not action.icon().isNull(), action.text()
    page = window.households_page
    for button in (page.add_button, page.edit_button, page.delete_button):
        assert not button.icon().isNull(), button.text()
