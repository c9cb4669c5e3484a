"""Saving the Models page's documents: the review report (PDF, Word or Excel) for a
period, and the evaluation record of one evaluation (PDF).

The file name is asked for on the UI thread; reading and writing run on the
worker, the file itself written atomically by the core."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout,
                               QRadioButton, QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.documents.signer_picker import SignerPicker
from gocong_desktop.gui.widgets import last_folders
from gocong_desktop.gui.widgets.last_folders import ask_save_path
from gocong_desktop.gui.widgets.period_picker import PeriodPicker
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui import message_box

FILTERS = {".pdf": "Tệp PDF (*.pdf)", ".xlsx": "Bảng tính Excel (*.xlsx)", ".docx": "Tài liệu Word (*.docx)"}
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')  # not allowed in Windows file names


def safe_name(text: str, suffix: str) -> str:
    return _UNSAFE.sub("-", text).strip() + suffix


def ask_path(parent: QWidget, ctx: AppContext, name: str, suffix: str) -> Path | None:
    chosen = ask_save_path(parent, ctx.settings, last_folders.REPORTS, title="Lưu tệp", name=name,
                           filters=FILTERS[suffix], suffix=suffix)
    return None if chosen is None else chosen[0]


def run_save(parent: QWidget, ctx: AppContext, path: Path, write: Callable[..., None],
             on_saved: Callable[[Path], None] | None = None, *, busy_text: str = "Đang tạo tệp…") -> None:
    """``write(session, path)`` on the worker; errors (a file locked by a PDF reader…)
    come back as a message, success as ``on_saved`` (or «Đã lưu»)."""
    def job() -> Path:
        with ctx.db.session() as session:
            write(session, path)
        return path

    def done(saved: Path) -> None:
        if on_saved is not None:
            on_saved(saved)
        else:
            message_box.information(parent, "Đã lưu", f"Đã lưu tệp:\n{saved}")

    ctx.tasks.run(job, on_done=done, parent=parent, busy_text=busy_text)


class ReportDialog(FittedDialog):
    """Choose the period and the format; "Lưu…" then asks for the file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Báo cáo sơ kết, tổng kết")
        self.period = PeriodPicker()
        self.as_pdf = QRadioButton("PDF để in (thể thức Nghị định 30)")
        self.as_docx = QRadioButton("Word (.docx) để chỉnh sửa tiếp")
        self.as_xlsx = QRadioButton("Bảng tính Excel (.xlsx) để tổng hợp tiếp")
        self.as_pdf.setChecked(True)
        form = QFormLayout()
        form.addRow("Kỳ báo cáo:", self.period)
        form.addRow("Định dạng:", self.as_pdf)
        form.addRow("", self.as_docx)
        form.addRow("", self.as_xlsx)
        self.signer = SignerPicker(ctx)
        form.addRow("Người ký:", self.signer)
        self.signer.reload()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu…")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(760, self.sizeHint().height())
        assign_mnemonics(self)  # Alt+letters, once every button exists

    def suffix(self) -> str:
        return ".xlsx" if self.as_xlsx.isChecked() else ".docx" if self.as_docx.isChecked() else ".pdf"

    def _on_save(self) -> None:
        try:
            period = self.period.period()
        except UserError as exc:
            show_error(self, exc)
            return
        # Imported here: every list page imports this module for its save helpers (issue 16).
        from gocong_desktop.core.documents.reports import write_review_report

        name = safe_name(f"Báo cáo {period.review_word} {period.label}", self.suffix())
        path, signer = ask_path(self, self.ctx, name, self.suffix()), self.signer.choice()
        if path is not None:
            run_save(self, self.ctx, path, lambda session, p: write_review_report(session, period, p, signer=signer),
                     on_saved=self._on_saved)

    def _on_saved(self, path: Path) -> None:
        message_box.information(self, "Đã lưu", f"Đã lưu báo cáo:\n{path}")
        self.accept()
