"""Combo boxes find items as search does: typed without marks, «loi» is «Lợi An», never
«Long Hòa». Keys are real key events, one per character."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QVBoxLayout, QWidget

from gocong_desktop.gui.application import create_app
from gocong_desktop.gui.widgets.fold_combo import fold_search, matching_row, searchable_picker

HAMLETS = ["Long Hòa", "Lợi An", "Đông Thạnh", "Bình Đông", "Long Hưng"]


@pytest.fixture(autouse=True)
def patient_typing():
    """Qt restarts keyboard search after a pause; a busy test machine must not look like one."""
    app = create_app()
    before = app.keyboardInputInterval()
    app.setKeyboardInputInterval(60_000)
    yield
    app.setKeyboardInputInterval(before)


def type_text(widget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def combo_of(qtbot, items, make=fold_search) -> QComboBox:
    combo = make(QComboBox())
    combo.addItems(items)
    qtbot.addWidget(combo)
    return combo


def test_matching_row_folds_and_prefers_starts():
    assert matching_row(HAMLETS, "loi", 0, fresh=False) == 1
    assert matching_row(HAMLETS, "dong", 0, fresh=True) == 2
    assert matching_row(HAMLETS, "ĐÔNG", 3, fresh=True) == 2
    assert matching_row(HAMLETS, "thanh", 0, fresh=True) == 2  # no item starts so: contains
    assert matching_row(HAMLETS, "ll", 0, fresh=False) == 1  # same letter again: the next l-item
    assert matching_row(HAMLETS, "xyz", 0, fresh=True) is None


@pytest.mark.parametrize("typed, picked", [("loi", "Lợi An"), ("dong", "Đông Thạnh"), ("binh", "Bình Đông"),
                                           ("long hu", "Long Hưng")])
def test_typing_without_marks_on_a_closed_combo(qtbot, typed, picked):
    combo = combo_of(qtbot, HAMLETS)
    combo.setCurrentIndex(0)
    type_text(combo, typed)
    assert combo.currentText() == picked


def test_plain_qt_combo_picks_the_wrong_hamlet(qtbot):
    # The finding, reproduced: Qt's own search stops on a «Long …» hamlet when «loi» is typed.
    combo = combo_of(qtbot, HAMLETS, make=lambda c: c)
    type_text(combo, "loi")
    assert combo.currentText().startswith("Long ")


def test_typing_in_the_open_popup_folds(qtbot):
    combo = combo_of(qtbot, HAMLETS)
    combo.show()
    combo.showPopup()
    type_text(combo.view(), "dong")
    assert combo.view().currentIndex().data() == "Đông Thạnh"
    combo.hidePopup()


def test_no_match_leaves_the_choice_alone(qtbot):
    combo = combo_of(qtbot, HAMLETS)
    combo.setCurrentIndex(3)
    type_text(combo, "xyz")
    assert combo.currentText() == "Bình Đông"


GROUPS = [f"Tổ {n} – ấp {hamlet}" for hamlet in HAMLETS for n in range(1, 108)]


def picker(qtbot) -> tuple[QComboBox, QLineEdit, QWidget]:
    window = QWidget()
    combo = searchable_picker(QComboBox())
    combo.addItems(GROUPS)
    other = QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(combo)
    layout.addWidget(other)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    combo.lineEdit().setFocus()
    return combo, other, window


def test_picker_filters_by_folded_words(qtbot):
    combo, _other, _window = picker(qtbot)
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), "to 17 loi")
    popup = combo.completer().popup()
    assert popup.isVisible()
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["Tổ 17 – ấp Lợi An"]


def test_leaving_the_picker_takes_the_single_match(qtbot):
    combo, other, _window = picker(qtbot)
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), "to 42 dong thanh")
    combo.completer().popup().hide()
    other.setFocus()
    combo.lineEdit().editingFinished.emit()
    assert combo.currentText() == "Tổ 42 – ấp Đông Thạnh"
    assert combo.currentIndex() == GROUPS.index("Tổ 42 – ấp Đông Thạnh")


def test_leaving_the_picker_with_many_matches_picks_nothing_silently(qtbot):
    combo, other, _window = picker(qtbot)
    combo.setCurrentIndex(5)
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), "loi")
    combo.completer().popup().hide()
    combo.lineEdit().editingFinished.emit()
    assert combo.currentIndex() == 5 and combo.currentText() == GROUPS[5]


def test_input_method_text_is_kept_while_it_filters(qtbot):
    # Unikey/EVKey deliver committed text: the picker filters and never rewrites it.
    from PySide6.QtGui import QInputMethodEvent

    combo, _other, _window = picker(qtbot)
    combo.lineEdit().clear()
    event = QInputMethodEvent()
    event.setCommitString("Tổ 9 Lợi")
    QApplication.sendEvent(combo.lineEdit(), event)
    assert combo.lineEdit().text() == "Tổ 9 Lợi"
    popup = combo.completer().popup()
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == [f"Tổ {n} – ấp Lợi An" for n in (9, *range(90, 100))]  # words start so: not «Tổ 19»


# ---- the group picker of «Thêm buổi họp» -------------------------------------------
def group_texts(dialog) -> list[str]:
    return [dialog.group.itemText(i) for i in range(dialog.group.count())]


def test_new_meeting_group_picker_filters_by_hamlet(seeded_ctx, seeded, qtbot):
    from gocong_desktop.gui.meetings.new_dialog import NewMeetingDialog

    dialog = NewMeetingDialog(seeded_ctx)
    qtbot.addWidget(dialog)
    assert len(group_texts(dialog)) == 3
    dialog.hamlet.setFocus()
    type_text(dialog.hamlet, "dong")  # «Đồng Sơn» typed without marks
    assert dialog.hamlet.currentData() == seeded.hamlet_b
    assert [dialog.group.itemData(i) for i in range(dialog.group.count())] == [seeded.group_b3]
    assert dialog.group.currentData() == seeded.group_b3


def test_new_meeting_group_picker_finds_a_group_typed_without_marks(seeded_ctx, seeded, qtbot):
    from gocong_desktop.gui.meetings.new_dialog import NewMeetingDialog

    dialog = NewMeetingDialog(seeded_ctx, group_id=seeded.group_b3)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.group.lineEdit().setFocus()
    dialog.group.lineEdit().clear()
    type_text(dialog.group.lineEdit(), "2 loi")
    dialog.group.completer().popup().hide()
    dialog.day.setFocus()
    dialog.group.lineEdit().editingFinished.emit()
    assert dialog.group.currentData() == seeded.group_a2
