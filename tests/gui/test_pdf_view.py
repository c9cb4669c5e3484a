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


def test_saving_where_it_cannot_be_written_says_why_and_remembers_the_folder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gocong_desktop.gui.documents import pdf_view

    source = tmp_path / "biên bản.pdf"
    _three_pages(source)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = PdfPreviewDialog(source, title="Xem trước", file_name="bien-ban.pdf", settings=settings)
    qtbot.addWidget(dialog)
    shown = []
    monkeypatch.setattr(pdf_view, "show_error", lambda parent, exc: shown.append(exc.message))
    missing = tmp_path / "không có" / "bien-ban"  # a folder that is not there; no suffix typed
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), "Tệp PDF (*.pdf)"))
    dialog._on_save()
    assert len(shown) == 1 and "Không lưu được" in shown[0] and "bien-ban.pdf" in shown[0]

    saved = tmp_path / "lưu" / "bien-ban"
    saved.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), "Tệp PDF (*.pdf)"))
    dialog._on_save()
    assert saved.with_suffix(".pdf").read_bytes() == source.read_bytes() and len(shown) == 1
    assert settings.value("pdf/last_folder") == str(saved.parent)
