"""Checking a scanned page of final minutes: the QR codes read from a PDF or an
image (zxing-cpp), each checked against the record (``services.minutes_codes``).

A scan comes from anyone: its size is bounded before it is read, only the first
pages of a PDF are looked at, a page or image is never turned into more pixels
than ``MAX_PIXELS``, and whatever the file holds ends in a ``UserError``, never a
crash.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.minutes_codes import QR_PREFIX, Verdict, verify_code

MAX_SCAN_BYTES = 30 * 1024 * 1024
MAX_PDF_PAGES = 3  # every page of final minutes carries the QR: the first ones suffice
MAX_PIXELS = 40_000_000  # an A4 page at 600 dpi is 35 million
PDF_DPI = 200
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
KINDS = "PDF, PNG hoặc JPG"


def verify_scan(session: Session, path: Path) -> list[Verdict]:
    """One verdict per distinct minutes QR code found on the scan."""
    return [verify_code(session, payload) for payload in minutes_qr_codes(path)]


def minutes_qr_codes(path: Path) -> list[str]:
    """The minutes QR payloads on the scan, each once, in the order found."""
    texts = _read_qr_texts(_checked(path))
    found = list(dict.fromkeys(t.strip() for t in texts if t.strip().upper().startswith(QR_PREFIX)))
    if not found:
        where = f"{MAX_PDF_PAGES} trang đầu của tệp" if path.suffix.lower() == ".pdf" else "ảnh"
        raise ValidationError(f"Không đọc được mã QR của biên bản trong {where} «{path.name}»: quét lại "
                              "rõ hơn (từ 150 dpi, cả góc dưới bên trái trang), hoặc nhập mã đối chiếu in "
                              "cạnh mã QR.", field="file")
    return found


def _checked(path: Path) -> Path:
    """The file exists, is of a kind we read, and is neither empty nor too large."""
    suffix = path.suffix.lower()
    if suffix != ".pdf" and suffix not in IMAGE_SUFFIXES:
        raise ValidationError(f"Chỉ đọc được bản quét dạng {KINDS}: «{path.name}».", field="file")
    try:
        size = path.stat().st_size
    except OSError:
        raise ValidationError(f"Không mở được tệp «{path}»: kiểm tra đường dẫn.", field="file") from None
    if not path.is_file():
        raise ValidationError(f"«{path.name}» không phải là một tệp.", field="file")
    if size == 0:
        raise ValidationError(f"Tệp «{path.name}» rỗng (0 byte): quét lại trang biên bản.", field="file")
    if size > MAX_SCAN_BYTES:
        raise ValidationError(f"Tệp «{path.name}» quá lớn ({size // (1024 * 1024)} MB; tối đa "
                              f"{MAX_SCAN_BYTES // (1024 * 1024)} MB): quét một trang, từ 150 đến 300 dpi.",
                              field="file")
    return path


def _read_qr_texts(path: Path) -> list[str]:
    if path.suffix.lower() == ".pdf":
        return [text for image in _pdf_pages(path) for text in _decode(image)]
    return _decode(_image(path))


def _decode(image) -> list[str]:
    import zxingcpp

    gray = image.convert("L")
    return [b.text for b in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)]


def _bad_file(path: Path, kind: str) -> ValidationError:
    return ValidationError(f"Tệp «{path.name}» không phải là {kind} đọc được (hỏng hoặc sai định dạng): "
                           f"chọn bản quét dạng {KINDS}.", field="file")


def _too_large(path: Path, size: str) -> ValidationError:
    return ValidationError(f"Ảnh «{path.name}» quá lớn ({size} điểm ảnh): quét từ 150 đến 300 dpi.", field="file")


def _image(path: Path):
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)  # reads the header only
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_large(path, f"{width}×{height}")
            image.load()
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(path, "hơn 90 triệu") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _bad_file(path, "ảnh") from exc


def _pdf_pages(path: Path) -> list:
    """The first pages rendered to images, each scaled down if its page is huge."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _bad_file(path, "PDF") from exc
    try:
        return [_render(pdf[i], path) for i in range(min(len(pdf), MAX_PDF_PAGES))]
    except pdfium.PdfiumError as exc:
        raise _bad_file(path, "PDF") from exc
    finally:
        pdf.close()


def _render(page, path: Path):
    try:
        width, height = page.get_size()  # points
        scale = PDF_DPI / 72
        if width * height * scale * scale > MAX_PIXELS:  # a forged page metres wide
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        return bitmap.to_pil()
    finally:
        page.close()
