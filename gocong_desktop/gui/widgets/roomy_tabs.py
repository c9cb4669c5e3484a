"""Tabs tall enough for Vietnamese: the platform styles size a tab for the font's
line height, then draw an unselected tab's label two pixels lower inside a smaller
rectangle, which cut the descenders off «Gói đã nhập», «Xung đột»."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle


class RoomyTabsStyle(QProxyStyle):
    """The application's own style, with each tab taller by twice the font's descent."""

    def sizeFromContents(self, kind, option, size, widget=None) -> QSize:  # noqa: N802 (Qt name)
        result = super().sizeFromContents(kind, option, size, widget)
        if kind == QStyle.ContentsType.CT_TabBarTab and option is not None:
            result = result + QSize(0, 2 * option.fontMetrics.descent())
        return result


def install_roomy_tabs(app: QApplication) -> None:
    """Once per application, over whatever style the platform chose."""
    if not isinstance(app.style(), RoomyTabsStyle):
        app.setStyle(RoomyTabsStyle(app.style().name()))
