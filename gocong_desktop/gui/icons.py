"""The window's pictures: Lucide icons (resources/icons/lucide, ISC licence), drawn
from SVG by Qt's SVG icon engine, so they stay sharp at 125 % and 150 % scaling.

One table per place they appear; a name missing from the folder fails the tests
(tests/gui/test_icons.py), not the clerk's window.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter
from PySide6.QtWidgets import QAbstractButton, QListWidget, QMenuBar, QWidget

from gocong_desktop.core.resources import resource_path

NAV_ICON_SIZE = QSize(20, 20)
NAV_PADDING = 5  # px around a navigation row's icon and name

NAV_ICONS = {"Tổng quan": "layout-dashboard", "Tổ tự quản": "users", "Hộ gia đình": "house",
             "Sinh hoạt tổ": "calendar-days", "Cam kết": "file-pen-line", "Mô hình": "shield-check",
             "Đồng bộ": "refresh-cw", "Báo cáo": "chart-column"}

# The menus' commands, by their text without the "&" of the shortcut letter.
MENU_ICONS = {
    "Mở tệp dữ liệu khác…": "folder-open", "Thiết lập đơn vị mới…": "file-plus",
    "Sao lưu ngay": "database-backup", "Khôi phục từ bản sao lưu…": "archive-restore",
    "Thư mục sao lưu…": "folder-cog", "Thoát": "door-open",
    "Thêm mới…": "plus", "Sửa…": "pencil", "Xóa…": "trash-2",
    "Tìm kiếm": "search", "Kiểm tra biên bản…": "file-check", "Cỡ chữ": "a-large-small",
    "Tài khoản người dùng…": "user-cog", "Cài đặt…": "settings", "Mã hóa dữ liệu…": "lock-keyhole",
    "Đổi mật khẩu…": "key-round", "Khóa màn hình": "lock", "Đăng xuất": "log-out",
    "Hướng dẫn sử dụng": "circle-question-mark", "Nhật ký thay đổi…": "scroll-text", "Giới thiệu": "info",
}

# The pages' buttons, by attribute name: the same deed has the same picture on every page.
BUTTON_ICONS = {
    "add_button": "plus", "edit_button": "pencil", "delete_button": "trash-2",
    "open_button": "folder-open", "view_button": "eye", "save_pdf_button": "file-down",
    "blank_button": "printer", "finalise_button": "circle-check", "amend_button": "file-pen-line",
    "move_button": "arrow-right-left", "moved_out_button": "log-out", "retire_button": "archive",
    "criteria_button": "list-checks", "evaluate_button": "clipboard-check", "report_button": "file-down",
    "forms_button": "printer", "register_button": "printer", "not_signed_button": "printer",
    "sheet_button": "printer", "card_button": "key-round", "import_button": "file-plus",
}


def all_names() -> list[str]:
    return sorted({*NAV_ICONS.values(), *MENU_ICONS.values(), *BUTTON_ICONS.values()})


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` (a file name in resources/icons/lucide); KeyError if not bundled."""
    path = resource_path("icons", "lucide", f"{name}.svg")
    if not path.is_file():
        raise KeyError(f"icon {name!r} is not bundled ({path})")
    return QIcon(str(path))


def decorate_navigation(nav: QListWidget) -> None:
    """Icons beside the page names, in the selection's text colour on the selected row
    (the blue icon would vanish on the blue highlight), with room to breathe."""
    nav.setIconSize(NAV_ICON_SIZE)
    nav.setSpacing(NAV_PADDING // 2)  # not a style sheet: with one the list keeps its font at Cỡ chữ › Lớn
    on_highlight = nav.palette().highlightedText().color()
    for row in range(nav.count()):
        item = nav.item(row)
        if (name := NAV_ICONS.get(item.text())) is not None:
            item.setIcon(_with_selected_colour(name, on_highlight))
    fit_navigation(nav, nav.font())


def fit_navigation(nav: QListWidget, font: QFont) -> None:
    """Never narrower than its longest page name in ``font`` (the app font, also right
    after Xem › Cỡ chữ, before Qt has handed it down to the list)."""
    widest = max((QFontMetrics(font).horizontalAdvance(nav.item(row).text()) for row in range(nav.count())),
                 default=0)
    frame = 2 * nav.frameWidth() + nav.verticalScrollBar().sizeHint().width() // 2
    nav.setMinimumWidth(widest + NAV_ICON_SIZE.width() + 6 * NAV_PADDING + frame)


def _with_selected_colour(name: str, colour: QColor) -> QIcon:
    themed = QIcon(icon(name))  # a copy: the shared icon keeps its plain look
    for side in (NAV_ICON_SIZE.width(), 2 * NAV_ICON_SIZE.width()):  # 2×: screens scaled 125–200 %
        pixmap = icon(name).pixmap(side, side)
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), colour)
        painter.end()
        themed.addPixmap(pixmap, QIcon.Mode.Selected)
    return themed


def decorate_menus(bar: QMenuBar) -> None:
    """Every command of the window's menus (and their submenus) that has a picture."""
    pending = [a.menu() for a in bar.actions() if a.menu() is not None]
    while pending:
        for action in pending.pop().actions():
            if (name := MENU_ICONS.get(action.text().replace("&", ""))) is not None:
                action.setIcon(icon(name))
            if action.menu() is not None:
                pending.append(action.menu())


def decorate_buttons(page: QWidget) -> None:
    """A page's buttons, by the attribute names pages give them (``add_button`` …)."""
    for attribute, name in BUTTON_ICONS.items():
        button = getattr(page, attribute, None)
        if isinstance(button, QAbstractButton):
            button.setIcon(icon(name))
