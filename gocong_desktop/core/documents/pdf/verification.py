"""Marks that tie a paper copy to the record: the verification footer of final
minutes, and the "BẢN NHÁP" mark of drafts.

The footer carries a short code (the first 10 hex digits of the content hash,
easy to read out over the phone) and a QR code with the meeting's id and the
whole hash, so the upper office can match a paper copy with the record it
received (``content_hash(content_snapshot(...))``).
"""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gocong_desktop.core.documents.pdf.decree30 import FRAME_WIDTH, MARGIN_LEFT, MARGIN_RIGHT, PAGE_HEIGHT, PAGE_WIDTH
from gocong_desktop.core.documents.pdf.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC

QR_SIZE = 15 * mm  # version 6 (41 modules) at level L: 0.37 mm a module, read at 200 dpi
QR_BOTTOM = 4 * mm  # inside the 20 mm bottom margin, clear of the frame and the paper's edge
DRAFT_WORD = "BẢN NHÁP"


def short_code(content_hash: str) -> str:
    """"3F2A-91C0-7B": the first 10 hex digits of the hash, grouped to read aloud."""
    head = content_hash[:10].upper()
    return f"{head[:4]}-{head[4:8]}-{head[8:]}"


def qr_payload(kind: str, record_id: str, content_hash: str) -> str:
    """"gocong:minutes:<id>:<sha256>"."""
    return f"gocong:{kind}:{record_id}:{content_hash}"


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR matrix from reportlab's own encoder (level L: the smallest symbol,
    so each module stays large on a 14 mm square)."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    qr.addData(payload)
    qr.make()
    return qr.modules


def _draw_modules(canvas: Canvas, modules: list[list[bool]], size: float) -> None:
    """One filled path of horizontal runs: far fewer operators than a rectangle
    per module (the QrCodeWidget way), and no hairline gaps between them."""
    cell = size / len(modules)
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
        _draw_modules(canvas, self._modules, QR_SIZE)
        canvas.endForm()
        self._form_ready.add(id(canvas))

    def __call__(self, canvas: Canvas, page: int) -> None:
        self._ensure_form(canvas)
        canvas.saveState()
        canvas.translate(PAGE_WIDTH - MARGIN_RIGHT - QR_SIZE, QR_BOTTOM)
        canvas.doForm(self._FORM)
        canvas.restoreState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(SERIF_BOLD, 10)
        canvas.drawString(MARGIN_LEFT, 13 * mm, f"Mã đối chiếu: {self.code}")
        canvas.setFont(SERIF_ITALIC, 8.5)
        canvas.drawString(MARGIN_LEFT, 9 * mm, self.caption)


def draw_draft_mark(canvas: Canvas, _page: int) -> None:
    """A large light-grey diagonal "BẢN NHÁP" under the text, and a footer line
    saying why there is no verification code."""
    canvas.saveState()
    canvas.setFillColorRGB(0.86, 0.86, 0.86)
    canvas.setFont(SERIF_BOLD, 96)
    canvas.translate(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, -30, DRAFT_WORD)
    canvas.restoreState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(SERIF_BOLD, 10)
    canvas.drawString(MARGIN_LEFT, 13 * mm, DRAFT_WORD)
    canvas.setFont(SERIF, 8.5)
    canvas.drawString(MARGIN_LEFT, 9 * mm, "Biên bản chưa hoàn tất: không có mã đối chiếu, "
                                           "không dùng để lưu hồ sơ hoặc gửi cấp trên.")
