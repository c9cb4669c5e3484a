"""Ask for a text and write it, until the write is accepted or the person cancels.

A reason is typed into a one-line box (why a household refused to sign or moved away,
why final minutes are amended). It is checked at once by the stored column's rule
(``check``), then written on the worker, where the service checks it again. The box
stays open while the write runs, its buttons off (Enter pressed twice writes once). If
the text is refused (too long, missing), by the check or by the service, the message
shows over the box and the box keeps the text as typed, to be shortened rather than
typed again from nothing; it closes once the write succeeded, or when the person cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit, QWidget

from gocong_desktop.core.errors import UserError
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.form_parts import dress_input_dialog

if TYPE_CHECKING:
    from gocong_desktop.gui.context import AppContext


# submit(text, on_done, on_error): start the work with ``text``; it calls back one of the two.
Submit = Callable[[str, Callable[[Any], None], Callable[[BaseException], None]], None]


class TextPrompt(QInputDialog):
    """A one-line input box whose «Đồng ý» submits the text instead of closing the box."""

    def __init__(self, parent: QWidget | None, title: str, label: str, submit: Submit, *,
                 check: Callable[[str], object] | None = None, on_done: Callable[[Any], None] | None = None,
                 text: str = "") -> None:
        super().__init__(parent)
        self._submit, self._check, self._on_done = submit, check, on_done
        self._writing = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dress_input_dialog(self, title, label)
        self.setTextValue(text)
        if (line := self.findChild(QLineEdit)) is not None:  # a reason is a sentence or two
            line.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    # ---- QDialog --------------------------------------------------------
    def accept(self) -> None:
        if self._writing:  # a save is already on its way
            return
        if self._check is not None:
            try:
                self._check(self.textValue())
            except UserError as exc:  # refused before anything is sent
                self._on_refused(exc)
                return
        self._set_writing(True)
        self._submit(self.textValue(), self._on_written, self._on_refused)

    def reject(self) -> None:
        if not self._writing:  # Esc or «Hủy» while saving: the outcome is not known yet
            super().reject()

    # ---- slots ----------------------------------------------------------
    def _on_written(self, result: Any) -> None:
        self._set_writing(False)
        super().accept()
        if self._on_done is not None:
            self._on_done(result)

    def _on_refused(self, exc: BaseException) -> None:
        self._set_writing(False)
        show_error(self, exc)
        if (line := self.findChild(QLineEdit)) is not None:
            line.setFocus()

    def _set_writing(self, writing: bool) -> None:
        self._writing = writing
        if (buttons := self.findChild(QDialogButtonBox)) is not None:
            buttons.setEnabled(not writing)
        if (line := self.findChild(QLineEdit)) is not None:
            line.setReadOnly(writing)  # what is written is what was typed when «Đồng ý» was pressed


def ask_text_until_accepted(ctx: AppContext, parent: QWidget | None, title: str, label: str,
                            fn: Callable[..., Any], *args: Any, text_arg: str,
                            check: Callable[[str], object] | None = None,
                            on_done: Callable[[Any], None] | None = None, text: str = "",
                            **kwargs: Any) -> TextPrompt:
    """Open (window-modal, without a nested event loop) a box asking ``label``; its
    «Đồng ý» runs ``check(text)`` (raising UserError), then writes ``fn(session, *args,
    **kwargs)`` with the typed text as ``text_arg``. On success the box closes and
    ``on_done(result)`` runs; on a refusal the message is shown and the box stays, text
    kept. Returns the box (callers keep it for tests)."""
    def submit(typed: str, done: Callable[[Any], None], refused: Callable[[BaseException], None]) -> None:
        ctx.write(fn, *args, on_done=done, on_error=refused, parent=prompt, **{**kwargs, text_arg: typed})

    prompt = TextPrompt(parent, title, label, submit, check=check, on_done=on_done, text=text)
    prompt.open()
    return prompt
