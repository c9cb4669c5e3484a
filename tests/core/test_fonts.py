"""Bundled fonts (DOMAIN.md §2, §6.11): Liberation Sans/Serif 2.1.x with every
Vietnamese letter, found through resource_path and usable by reportlab."""

from __future__ import annotations

import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.pdfgen import canvas

from gocong_desktop.core.resources import resource_path, resources_root

FAMILIES = ("LiberationSans", "LiberationSerif")
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
FONT_FILES = [f"{family}-{style}.ttf" for family in FAMILIES for style in STYLES]

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # ngang huyền hỏi ngã sắc nặng


def vietnamese_letters() -> list[str]:
    """Every precomposed Vietnamese letter, lower and upper case (12 × 6 × 2 + đ Đ)."""
    letters = []
    for vowel in VOWELS:
        for tone in TONES:
            lower = unicodedata.normalize("NFC", vowel + tone)
            assert len(lower) == 1, lower  # each one is a single code point
            letters += [lower, lower.upper()]
    return letters + ["đ", "Đ"]


def test_letter_list_is_complete() -> None:
    letters = vietnamese_letters()
    assert len(letters) == len(set(letters)) == 12 * 6 * 2 + 2
    assert {"ặ", "Ỵ", "ữ", "Ở", "ẫ"} <= set(letters)


def test_fonts_and_licence_present() -> None:
    folder = resource_path("fonts")
    assert folder == resources_root() / "fonts"
    for name in FONT_FILES:
        assert resource_path("fonts", name).is_file(), name
    licence = resource_path("fonts", "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence.upper()


@pytest.mark.parametrize("name", FONT_FILES)
def test_font_covers_vietnamese_and_is_2_1(name: str) -> None:
    font = TTFont(resource_path("fonts", name), lazy=True)
    cmap = font.getBestCmap()
    missing = [ch for ch in vietnamese_letters() + list("AaZz0123456789") if ord(ch) not in cmap]
    assert missing == []
    version = font["name"].getDebugName(5)  # "Version 2.1.5"
    assert version.startswith("Version 2.1."), version
    family, style = name[:-4].split("-")
    assert font["name"].getDebugName(1).replace(" ", "") == family
    assert font["name"].getDebugName(2).replace(" ", "") == style
    font.close()


def test_reportlab_prints_vietnamese_that_reads_back() -> None:
    text = {
        "LiberationSerif-Bold": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "LiberationSerif-Regular": "Độc lập - Tự do - Hạnh phúc",
        "LiberationSerif-Italic": "Bình Tân, ngày 05 tháng 01 năm 2024",
        "LiberationSans-BoldItalic": "Ấp Lợi An: Nguyễn Thị Ỷ, Trương Văn Ữ, ông Đặng Ưng",
    }
    for font_name in text:
        if font_name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(ReportlabTTFont(font_name, str(resource_path("fonts", f"{font_name}.ttf"))))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 780
    for font_name, line in text.items():
        pdf.setFont(font_name, 13)
        pdf.drawString(85, y, line)
        y -= 24
    pdf.save()
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    extracted = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    for line in text.values():
        assert line in extracted
    # Every Liberation font used is embedded (a subset, "ABCDEF+Name" with a FontFile2).
    embedded = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if "Liberation" not in str(font["/BaseFont"]):
            continue  # reportlab's initial Helvetica, never drawn with
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
        embedded.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert embedded == {"LiberationSerif-Bold", "LiberationSerif", "LiberationSerif-Italic",
                        "LiberationSans-BoldItalic"}
