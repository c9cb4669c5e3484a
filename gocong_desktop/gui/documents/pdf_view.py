"""An in-app PDF preview with printing, rendered by pdfium (pypdfium2).

QtPdf would need the PySide6-Pdf wheel, which exists only for Qt 6.12 — a
version this project avoids — so pages are rendered to images here: on screen
at ~100 dpi, and at the printer's resolution when printing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.errors import UserError, os_reason
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.widgets import last_folders
from gocong_desktop.gui.widgets.last_folders import ask_save_path
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

if TYPE_CHECKING:
    import pypdfium2 as pdfium

SCREEN_DPI = 100
PRINT_DPI_CAP = 300  # enough for text; keeps memory per page modest
_QIMAGE_FORMATS = {"BGR": QImage.Format.Format_BGR888, "BGRA": QImage.Format.Format_ARGB32,
                   "BGRX": QImage.Format.Format_RGB32}


def open_document(path: Path) -> pdfium.PdfDocument:
    """The PDF, by pdfium: its library (0.1 s to load) is imported when a PDF is first
    shown or printed, not with every page that has a print button (issue 16)."""
    import pypdfium2

    return pypdfium2.PdfDocument(str(path))


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    bitmap = document[index].render(scale=dpi / 72)
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                   _QIMAGE_FORMATS[bitmap.mode])
    return image.copy()  # own the pixels: the bitmap's buffer is freed with it


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Draw every page onto ``printer``, scaled to its printable area; pages printed."""
    document = open_document(path)
    pages = len(document)
    dpi = min(printer.resolution(), PRINT_DPI_CAP)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        return 0
    try:
        for index in range(pages):
            if index:
                printer.newPage()
            image = render_page(document, index, dpi)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            # The printer places the page image at its size: scaling the pixels here first
            # cost seconds a page at 300 dpi.
            painter.drawImage(QRect(area.topLeft(), size), image)
    finally:
        painter.end()
        document.close()
    return pages


class PdfPreviewDialog(FittedDialog):
    """Pages one under another; Print…, Save PDF…, Close."""

    def __init__(self, path: Path, *, title: str, file_name: str, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.file_name, self.settings = Path(path), file_name, settings
        self.setWindowTitle(title)
        self._build()
        self._load_pages()
        self.resize(900, 720)
        assign_mnemonics(self)  # Alt+letters, once every button exists

    def _build(self) -> None:
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #808080; }")
        self.info = QLabel()
        self.print_button = QPushButton("In…")
        self.save_button = QPushButton("Lưu PDF…")
        close = QPushButton("Đóng")
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self._on_print)
        self.save_button.clicked.connect(self._on_save)
        close.clicked.connect(self.accept)
        self.print_button.setDefault(True)

    def _load_pages(self) -> None:
        document = open_document(self.path)
        try:
            self.page_count = len(document)
            for index in range(self.page_count):
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(render_page(document, index, SCREEN_DPI)))
                self.pages_layout.addWidget(label)
        finally:
            document.close()
        self.info.setText(f"{self.page_count} trang")

    def _on_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_pdf(self.path, printer)

    def _on_save(self) -> None:
        chosen = ask_save_path(self, self.settings, last_folders.PDFS, title="Lưu tệp PDF", name=self.file_name,
                               filters="Tệp PDF (*.pdf)", suffix=".pdf")
        if chosen:
            try:
                shutil.copyfile(self.path, chosen[0])
            except OSError as exc:  # a read-only folder, a full disk, the file open elsewhere
                show_error(self, UserError(f"Không lưu được «{chosen[0]}»: {os_reason(exc)}."))
