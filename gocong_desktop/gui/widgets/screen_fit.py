"""Windows never larger than the screen they open on (a 1024×768 laptop at 125% has
819×614 logical pixels, less its taskbar): saved sizes are clamped, dialogs asking
for more than the screen are shrunk and centred."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics

# A window's title bar and borders, which the system adds around what Qt sizes
# (unknown until the window is first shown on some platforms).
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(widget: QWidget) -> QRect:
    """The screen's area for windows (taskbar excluded) where ``widget`` is, or the
    primary screen's."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame(widget: QWidget) -> QSize:
    frame = widget.frameGeometry().size() - widget.size()
    return frame if widget.isVisible() and frame.width() > 0 else FRAME_ALLOWANCE


def fit_to_screen(widget: QWidget) -> bool:
    """Shrink ``widget`` (a window) to the screen's available area and put it back
    inside it, centred when it had to shrink. True if it had to move or shrink."""
    area, frame = available_area(widget), _frame(widget)
    room = area.size() - frame
    size = widget.size().boundedTo(room).expandedTo(widget.minimumSize())
    if size == widget.size() and area.contains(widget.frameGeometry()):
        return False
    widget.resize(size)
    outer = QRect(widget.pos(), size + frame)
    outer.moveCenter(area.center())
    widget.move(outer.topLeft())
    return True


def grow_to_fit(window: QWidget) -> None:
    """Grow ``window`` (never shrink it) so a message that just appeared in it is not
    cut off; at most to the screen's height (a top-level window does not follow its
    wrapped labels' heights by itself)."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.heightForWidth(window.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
    needed = min(needed, available_area(window).height() - _frame(window).height())
    if needed > window.height():
        window.resize(window.width(), needed)


def restore_within_screen(window: QWidget, state: object) -> bool:
    """Restore a saved geometry, clamped to today's screen (a file copied from a larger
    screen, a projector unplugged). False when there is nothing valid to restore."""
    if not isinstance(state, QByteArray) or not window.restoreGeometry(state):
        return False
    if not window.isMaximized():
        fit_to_screen(window)
    return True


class FittedDialog(QDialog):
    """The app's dialogs: as one is shown, it fits the screen it opens on (shrunk and
    centred when it asked for more), and its buttons, fields and tabs get Alt+letters
    (once, when the dialog is complete: ``mnemonics.assign_mnemonics``)."""

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if not self.property("mnemonics_assigned"):
            self.setProperty("mnemonics_assigned", True)
            assign_mnemonics(self)
        fit_to_screen(self)
        super().showEvent(event)
