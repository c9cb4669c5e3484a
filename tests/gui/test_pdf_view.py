"""The in-app preview renders every page, and printing sends every page to the
printer (a PDF printer here, read back)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog, print_pdf, render_page  # noqa: E402


def _three_pages(path) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, 4):
        pdf.drawString(100, 700, f"Trang {number}")
        pdf.showPage()
    pdf.save()


def test_preview_shows_every_page(qtbot, tmp_path):
    source = tmp_path / "biên bản.pdf"
    _three_pages(source)
    dialog = PdfPreviewDialog(source, title="Xem trước", file_name="bien-ban.pdf",
                              settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(dialog)
    assert dialog.page_count == 3 and dialog.info.text() == "3 trang"
    pixmap = dialog.pages_layout.itemAt(0).widget().pixmap()
    assert abs(pixmap.width() / pixmap.height() - A4[0] / A4[1]) < 0.01


def test_rendered_page_is_not_blank(qapp, tmp_path):
    import pypdfium2 as pdfium

    source = tmp_path / "a.pdf"
    _three_pages(source)
    image = render_page(pdfium.PdfDocument(str(source)), 0, 72)
    colours = {image.pixel(x, y) for x in range(90, 200, 2) for y in range(130, 150)}
    assert len(colours) > 1  # the text was drawn


def test_printing_sends_every_page(qapp, tmp_path):
    source, printed = tmp_path / "a.pdf", tmp_path / "in.pdf"
    _three_pages(source)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    assert print_pdf(source, printer) == 3
    assert len(PdfReader(printed).pages) == 3
