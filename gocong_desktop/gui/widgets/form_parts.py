"""Pieces shared by the small register dialogs (groups, hamlets): a dialog
that saves through ``ctx.write``, date fields, combos, a confirmation box."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QDialog, QDialogButtonBox,
                               QInputDialog, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QWidget)

from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.text import parse_date
from gocong_desktop.gui.widgets.screen_fit import grow_to_fit
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.icons import icon
from gocong_desktop.gui.widgets.form_errors import FieldErrors
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui import message_box

if TYPE_CHECKING:  # the sign-in box uses these parts before the database layer loads
    from gocong_desktop.gui.context import AppContext

DATE_PLACEHOLDER = "ngày/tháng/năm, ví dụ 30/06/2024"
VIEWER_TIP = "Tài khoản chỉ xem: không thay đổi được dữ liệu."
_VIEWER_LOCKED = "viewer_locked"  # a dynamic property: set_enabled never turns the button on


def date_from_text(text: str, *, field: str, required: bool = False) -> date | None:
    """A typed dd/mm/yyyy date, its error tied to ``field`` (parse_date names none)."""
    if not text.strip():
        if required:
            raise ValidationError("Chưa nhập ngày.", field=field)
        return None
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from None


def writes_only(ctx: AppContext, *buttons: QAbstractButton) -> bool:
    """Buttons that only change data: for a viewer they are off, with a tooltip
    saying why, and stay off (``set_enabled``). True when the account may write."""
    writer = ctx.can_write()
    if not writer:
        for button in buttons:
            button.setProperty(_VIEWER_LOCKED, True)
            button.setEnabled(False)
            button.setToolTip(VIEWER_TIP)
    return writer


def viewer_wording(page: QWidget) -> None:
    """A viewer's «Sửa» opens the form to read it (WriteDialog): the button says «Xem»."""
    button, ctx = getattr(page, "edit_button", None), getattr(page, "ctx", None)
    if isinstance(button, QAbstractButton) and ctx is not None and not ctx.can_write() \
            and button.text().startswith("Sửa"):
        button.setText("Xem" + button.text().removeprefix("Sửa"))
        button.setIcon(icon("eye"))


def set_enabled(button: QAbstractButton, enabled: bool) -> None:
    """``setEnabled`` for selection updates: a button ``writes_only`` turned off stays off."""
    button.setEnabled(enabled and not button.property(_VIEWER_LOCKED))


def password_edit(placeholder: str = "") -> QLineEdit:
    """A line edit that shows dots, never the password."""
    return QLineEdit(echoMode=QLineEdit.EchoMode.Password, placeholderText=placeholder)


def make_default(button: QPushButton, text: str) -> None:
    """``button`` says ``text`` and is what Enter presses. It must already be inside its
    dialog: made default outside one, Qt never records it as the dialog's own default, and
    once Tab has passed over another button, Enter presses that one (Hủy) instead."""
    assert isinstance(button.window(), QDialog), "make_default needs the button inside its dialog"
    button.setText(text)
    button.setDefault(True)


def ok_cancel_buttons(dialog: QDialog, ok_text: str, on_ok: Callable[[], None],
                      cancel_text: str | None = "Hủy") -> QDialogButtonBox:
    """Vietnamese OK/Cancel (no Cancel when ``cancel_text`` is None); OK is the default. Once
    ``dialog`` is built (the next turn of the event loop), its fields and buttons get Alt+letters."""
    Button = QDialogButtonBox.StandardButton
    buttons = QDialogButtonBox(Button.Ok | (Button.Cancel if cancel_text else Button.NoButton), dialog)
    make_default(buttons.button(Button.Ok), ok_text)
    if cancel_text:
        buttons.button(Button.Cancel).setText(cancel_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    QTimer.singleShot(0, dialog, lambda: assign_mnemonics(dialog))
    return buttons


def fill_filter_combo(combo: QComboBox, all_text: str, items: list[tuple[str, str]]) -> None:
    """«Tất cả …» then ``items`` (text, value), keeping the current choice when it is
    still there; no change signal while refilling."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, None)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def select_data(combo: QComboBox, value: object) -> bool:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def confirm(parent: QWidget | None, title: str, text: str, ok_text: str) -> bool:
    """Yes/no with buttons that say what happens (``ok_text``); "Hủy" is the default."""
    box = message_box.plain_box(QMessageBox.Icon.Question, title, text, parent=parent)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is ok


class WriteDialog(FittedDialog):
    """Saves through ``ctx.write``: the buttons are off while the worker runs; it
    closes on success and stays open, the message next to its field, on a UserError.

    Subclasses build their form with ``self.errors.add_row`` and implement
    ``submit()``, which reads the form (raising ValidationError) and calls ``write``."""

    changes_data = True  # False for a form anyone may submit (their own password)

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.errors = FieldErrors()
        self.setWindowTitle(title)

    def make_buttons(self, ok_text: str) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        make_default(self.ok_button, ok_text)  # Enter saves
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        if self.changes_data and not self.ctx.can_write():  # a viewer: the form is for reading
            self._read_only_for_viewer()
        return self.buttons

    def _read_only_for_viewer(self) -> None:
        """No save button, fields that cannot be typed into, and words that say so:
        «Xem …», not «Sửa …» (make_buttons comes after the fields)."""
        self.ok_button.setEnabled(False)
        self.ok_button.setToolTip("Tài khoản chỉ xem: không lưu được thay đổi.")
        self.ok_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        if self.windowTitle().startswith("Sửa "):
            self.setWindowTitle("Xem " + self.windowTitle().removeprefix("Sửa "))
        for kind in (QLineEdit, QPlainTextEdit, QAbstractSpinBox):
            for field in self.findChildren(kind):
                field.setReadOnly(True)
        for combo in self.findChildren(QComboBox):
            combo.setEnabled(False)

    def wire_buttons(self) -> None:
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        """Read the form (raising ValidationError) and call ``write``; every subclass overrides it."""

    def write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.buttons.setEnabled(False)
        self.ctx.write(fn, *args, on_done=self._on_written,
                       on_error=self._on_write_failed, parent=self, **kwargs)

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, UserError) and self.errors.show(exc):
            self._fit_height()
            return
        show_error(self, exc)

    def _fit_height(self) -> None:
        """Grow (never shrink) so a message that just appeared is not cut off."""
        grow_to_fit(self)

    # ---- slots ----------------------------------------------------------
    def _on_ok(self) -> None:
        if not self.buttons.isEnabled():  # a save is already on its way
            return
        self.errors.clear()
        try:
            self.submit()
        except UserError as exc:
            self.show_error(exc)

    def _on_written(self, result: Any) -> None:
        self.result_value = result
        self.accept()

    def _on_write_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.show_error(exc)


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """Choose one of ``items``, with Vietnamese buttons; None when cancelled."""
    dialog = _input_dialog(parent, title, label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    dialog = _input_dialog(parent, title, label)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _input_dialog(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    return dress_input_dialog(QInputDialog(parent), title, label)


def dress_input_dialog(dialog: QInputDialog, title: str, label: str) -> QInputDialog:
    """Title, label and Vietnamese buttons of an input box. Its label's text format cannot
    be set, and a label may hold a household's name: escaped, never read as HTML."""
    dialog.setWindowTitle(title)
    dialog.setLabelText(message_box.as_rich_text(label))
    dialog.setOkButtonText("Đồng ý")
    dialog.setCancelButtonText("Hủy")
    return dialog
