"""Marks that tie a paper copy to the record: the verification footer of final
minutes, and the "BẢN NHÁP" mark of drafts.

The footer carries a short code (the first 10 hex digits of the content hash,
easy to read out over the phone) and a QR code with the meeting's id and the
whole hash (``services.minutes_codes``), so anyone holding the data can check a
paper copy with ``gocong-desktop verify`` or the «Kiểm tra biên bản» screen.

The QR sits in the bottom-left corner, 10 mm from both edges (clear of the strip
many printers cannot print), inside the 30 mm left margin and below the text
frame's left edge, with the code printed beside it in the bottom margin.
"""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gocong_desktop.core.documents.pdf.decree30 import FRAME_WIDTH, MARGIN_LEFT, PAGE_HEIGHT
from gocong_desktop.core.documents.pdf.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from gocong_desktop.core.services.minutes_codes import qr_payload, short_code

__all__ = ["QR_EDGE", "QR_MODULE", "SupersededFooter", "VerificationFooter", "draw_draft_mark", "qr_modules",
           "qr_payload", "short_code"]

# The payload (116 upper-case characters) fits version 5 at level M: 37 modules.
# 0.51 mm a module is 3 pixels at 150 dpi, so a plain office scan reads it.
QR_MODULE = 0.51 * mm
QR_MAX_SIDE = 37 * QR_MODULE  # an odd id needing a larger symbol gets smaller modules, never the text's room
QR_EDGE = 10 * mm  # from the left and the bottom edge of the paper
QR_LEVEL = qrencoder.QRErrorCorrectLevel.M
CODE_X = MARGIN_LEFT + 2 * mm  # beside the QR, clear of its quiet zone
CODE_Y, CAPTION_Y = 15 * mm, 11 * mm  # in the bottom margin, under the text frame
DRAFT_WORD = "BẢN NHÁP"
SUPERSEDED_WORD = "ĐÃ ĐÍNH CHÍNH"


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR matrix from reportlab's own encoder (the smallest version that holds
    the payload at level M)."""
    qr = qrencoder.QRCode(None, QR_LEVEL)
    qr.addData(payload)
    qr.make()
    return qr.modules


def _draw_modules(canvas: Canvas, modules: list[list[bool]], cell: float) -> None:
    """One filled path of horizontal runs: far fewer operators than a rectangle
    per module (the QrCodeWidget way), and no hairline gaps between them."""
    size = cell * len(modules)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        y = size - (r + 1) * cell
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(start * cell, y, (c - start) * cell, cell)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)


class VerificationFooter:
    """Draws the code and the QR on every page; the QR is drawn once into a form
    (XObject) that each page refers to."""

    _FORM = "gocong_verification_qr"

    def __init__(self, kind: str, record_id: str, content_hash: str, caption: str) -> None:
        self.code = short_code(content_hash)
        self.caption = caption
        self.payload = qr_payload(kind, record_id, content_hash)
        self._modules: list[list[bool]] | None = None
        self._form_ready: set[int] = set()

    def _ensure_form(self, canvas: Canvas) -> None:
        if id(canvas) in self._form_ready:
            return
        if self._modules is None:
            self._modules = qr_modules(self.payload)
        canvas.beginForm(self._FORM)
        _draw_modules(canvas, self._modules, min(QR_MODULE, QR_MAX_SIDE / len(self._modules)))
        canvas.endForm()
        self._form_ready.add(id(canvas))

    def __call__(self, canvas: Canvas, page: int) -> None:
        self._ensure_form(canvas)
        canvas.saveState()
        canvas.translate(QR_EDGE, QR_EDGE)
        canvas.doForm(self._FORM)
        canvas.restoreState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(SERIF_BOLD, 10)
        canvas.drawString(CODE_X, CODE_Y, f"Mã đối chiếu: {self.code}")
        canvas.setFont(SERIF_ITALIC, 8.5)
        canvas.drawString(CODE_X, CAPTION_Y, self.caption)


def _diagonal_word(canvas: Canvas, word: str, size: float) -> None:
    """A large light-grey word across the page, under the text."""
    canvas.saveState()
    canvas.setFillColorRGB(0.86, 0.86, 0.86)
    canvas.setFont(SERIF_BOLD, size)
    canvas.translate(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, -30, word)
    canvas.restoreState()


def draw_draft_mark(canvas: Canvas, _page: int) -> None:
    """A large light-grey diagonal "BẢN NHÁP" under the text, and a footer line
    saying why there is no verification code."""
    _diagonal_word(canvas, DRAFT_WORD, 96)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(SERIF_BOLD, 10)
    canvas.drawString(MARGIN_LEFT, CODE_Y, DRAFT_WORD)
    canvas.setFont(SERIF, 8.5)
    canvas.drawString(MARGIN_LEFT, CAPTION_Y, "Biên bản chưa hoàn tất: không có mã đối chiếu, "
                                              "không dùng để lưu hồ sơ hoặc gửi cấp trên.")


class SupersededFooter(VerificationFooter):
    """An earlier version reprinted: its own code and QR (``verify`` says it was
    superseded), under a diagonal "ĐÃ ĐÍNH CHÍNH"."""

    def __call__(self, canvas: Canvas, page: int) -> None:
        _diagonal_word(canvas, SUPERSEDED_WORD, 80)
        super().__call__(canvas, page)
