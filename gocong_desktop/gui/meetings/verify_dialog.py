"""«Kiểm tra biên bản»: is a paper copy of final minutes genuine and current? The
code printed at the foot of the page is typed, or a scan of the page is opened
and its QR code read; the answer and the meeting are shown in the window."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.documents.scanned_minutes import IMAGE_SUFFIXES, verify_scan
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.minutes_codes import Verdict, verify_code
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

INTRO = ("Nhập mã đối chiếu in ở chân biên bản (ví dụ 3F2A-91C0-7B), hoặc mở bản quét (PDF hoặc ảnh) "
         "của một trang biên bản để đọc mã QR.")
SCAN_FILTER = ("Bản quét (*.pdf " + " ".join(f"*{s}" for s in IMAGE_SUFFIXES) + ");;Mọi tệp (*)")
NO_CODE = "Chưa nhập mã đối chiếu."
GOOD, BAD = "#1b5e20", "#b71c1c"  # the answer's colour: genuine and current, or not


class VerifyMinutesDialog(FittedDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.verdicts: list[Verdict] = []
        self.setWindowTitle("Kiểm tra biên bản")
        self.code = QLineEdit(placeholderText="3F2A-91C0-7B")
        self.code.returnPressed.connect(self.check_code)
        self.check_button = QPushButton("&Kiểm tra")
        self.check_button.clicked.connect(self.check_code)
        self.open_button = QPushButton("&Mở bản quét…")
        self.open_button.clicked.connect(self.choose_scan)
        self.answer = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.setMinimumHeight(120)
        self.answer.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("Mã đối chiếu:"))
        row.addWidget(self.code, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(INTRO, wordWrap=True))
        layout.addLayout(row)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.answer, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def check_code(self) -> None:
        if not self.code.text().strip():
            self._show_message(NO_CODE)
            return
        self._start(lambda session, text: [verify_code(session, text)], self.code.text())

    def choose_scan(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Mở bản quét biên bản", "", SCAN_FILTER)
        if chosen:
            self.check_scan(Path(chosen))

    def check_scan(self, path: Path) -> None:
        self._start(verify_scan, path)

    def _start(self, fn, arg) -> None:
        self.answer.setText("Đang kiểm tra…")
        self.ctx.query(fn, arg, on_done=self.show_verdicts, on_error=self._failed, parent=self, key=id(self))

    def show_verdicts(self, verdicts: list[Verdict]) -> None:
        self.verdicts = verdicts
        blocks = []
        for verdict in verdicts:
            colour = GOOD if verdict.genuine_current else BAD
            head, *rest = verdict.lines()
            blocks.append(f'<p><b style="color:{colour}">{escape(head)}</b>'
                          + "".join(f"<br>{escape(line)}" for line in rest) + "</p>")
        self.answer.setText("".join(blocks))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):  # a code or a scan it cannot read: said in the window
            self._show_message(exc.message)
        else:
            self.answer.clear()
            show_error(self, exc)

    def _show_message(self, message: str) -> None:
        self.verdicts = []
        self.answer.setText(f'<p style="color:{BAD}">{escape(message)}</p>')


def show_verify_minutes(ctx: AppContext, parent: QWidget | None = None) -> None:
    VerifyMinutesDialog(ctx, parent).exec()
