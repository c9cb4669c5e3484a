"""The recovery sheet read back with pypdf: one A4 page whatever the office's
name, the code as one run of text, the dates in words, NFC text from NFD input,
embedded fonts only, and written atomically (a refusal leaves no file behind)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.documents.pdf.recovery_sheet import grouped_code, recovery_sheet_pdf
from gocong_desktop.core.documents.recovery_sheet import office_label, recovery_sheet_file_name
from gocong_desktop.core.services.accounts import new_recovery_code

A4_POINTS = (595.2756, 841.8898)
CODE = "WXYZ-MMWW-2345-6789-ABCD"
MADE_AT = datetime(2025, 3, 5, 14, 7)


def _sheet(path: Path, **changes) -> PdfReader:
    values = dict(office_name="xã Bình Tân", code=CODE, username="quantri", made_at=MADE_AT)
    values.update(changes)
    return PdfReader(recovery_sheet_pdf(path, **values))


def _flat(reader: PdfReader) -> str:
    return " ".join(reader.pages[0].extract_text().split())


def test_one_a4_page_with_office_code_user_and_date(tmp_path):
    reader = _sheet(tmp_path / "phiếu.pdf", data_file=Path("/dữ liệu/gocong.db"))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.01)
    text = _flat(reader)
    for expected in ("PHIẾU MÃ KHÔI PHỤC DỮ LIỆU", "XÃ BÌNH TÂN", "Đơn vị: xã Bình Tân", CODE,
                     "Tài khoản quản trị: quantri", "14 giờ 07 phút, ngày 05 tháng 3 năm 2025",
                     "Tệp dữ liệu: /dữ liệu/gocong.db", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "két sắt", "USB sao lưu", "Zalo", "hủy phiếu cũ", "kể cả người làm ra phần mềm",
                     "NGƯỜI GIỮ PHIẾU", "Ngày nhận phiếu"):
        assert expected in text, expected
    assert reader.metadata.title == "Phiếu mã khôi phục dữ liệu – xã Bình Tân"


def test_the_longest_office_name_flows_unscaled_with_the_code_on_page_one(tmp_path):
    """Issue 17 point 1: never shrunk; an absurdly long name pushes the end onto a second page."""
    name = "phường " + " ".join(["Nguyễn Thị Minh Khai"] * 12)[:200]
    reader = _sheet(tmp_path / "dai.pdf", office_name=name, data_file="C:\\" + "Thư mục rất dài\\" * 8 + "a.db")
    assert len(reader.pages) <= 2
    assert CODE in _flat(reader)
    assert "NGƯỜI GIỮ PHIẾU" in " ".join(p.extract_text() for p in reader.pages)


def test_text_is_nfc_and_every_font_is_embedded(tmp_path):
    nfd = unicodedata.normalize("NFD", "xã Bình Tân")
    reader = _sheet(tmp_path / "nfd.pdf", office_name=nfd)
    text = reader.pages[0].extract_text()
    assert "xã Bình Tân" in text and unicodedata.normalize("NFC", text) == text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        if font["/BaseFont"] == "/Helvetica":
            continue  # reportlab's initial font, never drawn with
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
        names.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert "LiberationSans-Bold" in names  # the code's font


def test_a_code_typed_loosely_is_printed_in_groups_of_four(tmp_path):
    assert grouped_code(" wxyz mmww-2345 6789abcd ") == CODE
    code = new_recovery_code()
    assert code in _flat(_sheet(tmp_path / "moi.pdf", code=code.lower().replace("-", " ")))
    with pytest.raises(ValueError):
        grouped_code(" - ")


def test_a_time_with_its_zone_is_printed_in_local_time(tmp_path):
    made = datetime(2025, 3, 5, 7, 7, tzinfo=timezone.utc)
    local = made.astimezone()
    text = _flat(_sheet(tmp_path / "utc.pdf", made_at=made))
    assert f"{local:%H} giờ {local:%M} phút" in text


def test_written_atomically_and_refusals_leave_nothing(tmp_path):
    target = tmp_path / "phieu.pdf"
    target.write_bytes(b"old")
    _sheet(target)
    assert target.read_bytes().startswith(b"%PDF") and list(tmp_path.iterdir()) == [target]
    with pytest.raises(UserError, match="thư mục không tồn tại"):
        _sheet(tmp_path / "khong-co" / "phieu.pdf")
    database = tmp_path / "gocong.db"
    database.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(UserError, match="cơ sở dữ liệu"):
        _sheet(database)
    assert database.read_bytes() == b"SQLite format 3\x00" + bytes(100)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gocong.db", "phieu.pdf"]


def test_file_name_and_office_label():
    assert office_label("xã", unicodedata.normalize("NFD", "Bình  Tân")) == "xã Bình Tân"
    assert office_label(None, "Bình Tân") == "Bình Tân"
    assert recovery_sheet_file_name("xã Bình Tân", MADE_AT) == "phieu-ma-khoi-phuc-xa-binh-tan-20250305.pdf"
    assert recovery_sheet_file_name("", MADE_AT + timedelta(days=1)) == "phieu-ma-khoi-phuc-20250306.pdf"
