"""«Soạn báo cáo…»: the written sections of the review report of one period.

One text box per section in a scrolling column (the dialog fits a 1024×768
screen at 125 %), saved with the period; the printed report (PDF, Word) carries
them. A period not saved yet starts from the figures told as sentences and the
text of the last period saved. Closing with unsaved changes asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QScrollArea,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.models import NARRATIVE_SECTIONS
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.review_narrative import Narrative, narrative_for, save_narrative
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui.widgets.wrapping_label import WrappingLabel
from gocong_desktop.gui import message_box

# 1024×768 at 125 % leaves about 819×614 logical pixels, less the taskbar and the title bar.
SIZE = (780, 540)
BOX_HEIGHT = 110  # about five lines: longer text scrolls inside its box


def _section_label(heading: str, edit: QPlainTextEdit) -> QLabel:
    label = QLabel(heading)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    label.setBuddy(edit)
    return label


class NarrativeEditor(FittedDialog):
    def __init__(self, ctx: AppContext, period: ReviewPeriod, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.period = ctx, period
        self.loaded: dict[str, str] | None = None  # what the boxes held when loaded or saved
        self._closing = False  # the user chose to drop the changes
        self.setWindowTitle(f"Soạn báo cáo {period.review_word} {period.label}")
        self.note = WrappingLabel("Đang tải…")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.edits: dict[str, QPlainTextEdit] = {}
        column = QWidget()
        sections = QVBoxLayout(column)
        for key, heading in NARRATIVE_SECTIONS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(BOX_HEIGHT)
            edit.setEnabled(False)
            edit.setAccessibleName(heading)
            self.edits[key] = edit
            sections.addWidget(_section_label(heading, edit))
            sections.addWidget(edit)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(column)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Lưu")
        self.save_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(*SIZE)
        ctx.query(narrative_for, period, on_done=self._show, on_error=self._on_load_failed, parent=self,
                  key=(self, "narrative"))

    # ---- loading --------------------------------------------------------
        assign_mnemonics(self)  # Alt+letters, once every button exists
    def _show(self, narrative: Narrative) -> None:
        writable = self.ctx.can_write()  # a viewer reads the text, and is never asked to save it
        for key, edit in self.edits.items():
            edit.setPlainText(narrative.sections.get(key, ""))
            edit.setReadOnly(not writable)
            edit.setEnabled(True)
        self.loaded = self.sections()
        self.save_button.setEnabled(writable)
        self.note.setText(self._note(narrative))
        self.edits[NARRATIVE_SECTIONS[0][0]].setFocus()

    def _note(self, narrative: Narrative) -> str:
        if narrative.saved:
            return "Nội dung đã lưu của kỳ này. Sửa rồi bấm «Lưu»; bản in báo cáo (PDF, Word) sẽ có các phần này."
        carried = (f"; các mục khác lấy từ báo cáo {narrative.previous_label}" if narrative.previous_label
                   else "")
        return (f"Kỳ này chưa có nội dung. Mục «Kết quả thực hiện» được điền sẵn từ số liệu của kỳ{carried}. "
                "Sửa cho đúng rồi bấm «Lưu».")

    def _on_load_failed(self, exc: BaseException) -> None:
        self.note.setText("Không tải được nội dung báo cáo.")
        show_error(self, exc)

    # ---- saving ---------------------------------------------------------
    def sections(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.edits.items()}

    def is_dirty(self) -> bool:
        return self.loaded is not None and self.sections() != self.loaded

    def save(self) -> None:
        if self.loaded is None or not self.save_button.isEnabled():
            return  # still loading, or a save is on its way
        self.save_button.setEnabled(False)
        self.ctx.write(save_narrative, self.period, self.sections(), on_done=self._on_saved,
                       on_error=self._on_save_failed, parent=self)

    def _on_saved(self, _record_id: str) -> None:
        self.loaded = self.sections()
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, UserError) and exc.field in self.edits:
            self.edits[exc.field].setFocus()
            self.scroll.ensureWidgetVisible(self.edits[exc.field])
        show_error(self, exc)

    # ---- closing --------------------------------------------------------
    def _ask_unsaved(self) -> str:
        """"save", "discard" or "cancel"."""
        box = message_box.plain_box(QMessageBox.Icon.Question, "Chưa lưu",
                          "Nội dung báo cáo có thay đổi chưa lưu. Lưu trước khi đóng?", parent=self)
        save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Không lưu", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole))
        box.exec()
        return {save: "save", discard: "discard"}.get(box.clickedButton(), "cancel")

    def _may_close(self) -> bool:
        if self._closing or not self.is_dirty():
            return True
        answer = self._ask_unsaved()
        if answer == "save":
            self.save()  # closes when saved
        if answer != "discard":
            return False
        self._closing = True
        return True

    def reject(self) -> None:  # Esc, «Hủy»; QDialog's closeEvent comes here too
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self._may_close():
            super().closeEvent(event)
        else:
            event.ignore()
