"""«Việc cần làm»: one button per item of the start page, counted; a click or Enter
opens the list it counts (``OverviewPage`` asks the window)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QCommandLinkButton, QGridLayout, QGroupBox, QSizePolicy, QStyle, QWidget

from gocong_desktop.core.services.start_page import ToDo
from gocong_desktop.core.text import format_int

WIDE_PX = 1000  # three columns from this width, two below (one below NARROW_PX)
NARROW_PX = 560


def button_text(item: ToDo) -> str:
    return item.title if item.count is None else f"{item.title}: {format_int(item.count)}"


class ToDoButton(QCommandLinkButton):
    """A command link as high as its text needs at its width (Qt's hint adds ≈ 14 px
    under it, which six items on a 768 px screen cannot spare)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(max(self.width(), hint.width())))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the text wraps anew: another height


class ToDoPanel(QGroupBox):
    activated = Signal(str)  # the to-do kind clicked (services/start_page.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Việc cần làm", parent)
        self.buttons: dict[str, QCommandLinkButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setVerticalSpacing(0)
        self._columns = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # the charts take the rest

    def show_items(self, items: tuple[ToDo, ...]) -> None:
        """One button per item, in the service's order; the same buttons on a refresh
        (keyboard focus stays where it was)."""
        for item in items:
            button = self.buttons.get(item.kind) or self._add_button(item.kind)
            button.setText(button_text(item))
            button.setDescription(item.detail)
            button.setAccessibleName(f"{button_text(item)}. {item.detail}")
            button.setToolTip(item.detail)
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning if item.pending else QStyle.StandardPixmap.SP_DialogApplyButton
            button.setIcon(self.style().standardIcon(icon))
            button.setProperty("pending", item.pending)
        self._arrange(force=True)

    def _add_button(self, kind: str) -> QCommandLinkButton:
        button = ToDoButton()
        button.setAutoDefault(True)  # Enter on the focused item opens it, as a click does
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _checked=False, k=kind: self.activated.emit(k))
        self.buttons[kind] = button
        return button

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self, *, force: bool = False) -> None:
        width = self.width()
        columns = 3 if width >= WIDE_PX else 2 if width >= NARROW_PX else 1
        if columns == self._columns and not force:
            return
        self._columns = columns
        for n, button in enumerate(self.buttons.values()):
            self._grid.addWidget(button, n // columns, n % columns)  # moves it if already placed
        for column in range(3):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
