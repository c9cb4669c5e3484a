"""The clerk's keyboard in the Thêm/Sửa forms: Enter saves, also after a refusal
was corrected; Esc cancels."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gocong_desktop.core.services import groups  # noqa: E402
from gocong_desktop.gui.groups.dialog import GroupDialog  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402


def _groups_named(seeded, name: str) -> list:
    with seeded.db.session() as s:
        return [g for g in groups.list_groups(s) if g.name == name]


def _press(widget, key) -> None:
    QTest.keyClick(widget, key)
    QApplication.processEvents()


def _open(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def _tab_to(dialog, widget, *, backwards: bool = False) -> None:
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    for _ in range(30):
        if QApplication.focusWidget() is widget:
            return
        _press(QApplication.focusWidget() or dialog, key)
    raise AssertionError(f"Tab never reached {widget!r}")


def test_enter_saves_once_a_refused_field_is_corrected(qtbot, seeded, seeded_ctx):
    """The clerk reads the message, looks at the buttons with Tab, comes back, corrects, presses Enter."""
    dialog = _open(qtbot, GroupDialog(seeded_ctx))
    dialog.number.setFocus()
    QTest.keyClicks(dialog.number, "1")  # Tổ 1 exists: save_group refuses
    _press(dialog.number, Qt.Key.Key_Return)
    settle(seeded_ctx)
    assert dialog.errors.message("number") and dialog.isVisible()
    assert QApplication.focusWidget() is dialog.number
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    _tab_to(dialog, cancel)
    _tab_to(dialog, dialog.number, backwards=True)
    _press(dialog.number, Qt.Key.Key_Backspace)
    QTest.keyClicks(dialog.number, "9")
    _press(dialog.number, Qt.Key.Key_Return)
    settle(seeded_ctx)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(_groups_named(seeded, "Tổ NDTQ số 9")) == 1
