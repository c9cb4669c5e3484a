"""Verifying paper copies of final minutes (issue 17, points 2 and 3): the QR read
back at 150 dpi from the rendered PDF and where it sits; the verdicts of a typed
code and of a scan; hostile scans; the amendment statement read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlmodel import select

from gocong_desktop.core.db.models import AttendanceStatus, Meeting
from gocong_desktop.core.documents.pdf.decree30 import MARGIN_BOTTOM, MARGIN_LEFT
from gocong_desktop.core.documents.minutes import write_superseded_minutes
from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf
from gocong_desktop.core.documents.pdf.verification import qr_modules
from gocong_desktop.core.documents.scanned_minutes import MAX_SCAN_BYTES, minutes_qr_codes, verify_scan
from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.services import meeting_drafts, meetings
from gocong_desktop.core.services import minutes_codes as mc
from gocong_desktop.core.services.minutes_data import minutes_document
from tests.conftest import file_digest
from tests.meeting_edits import edit_meeting, with_agenda_item, with_attendance

A4_MM = (210, 297)
SCAN_DPI = 150


# --------------------------------------------------------------------------- helpers


def final_meeting(seeded, *, group: str | None = None, day: int = 15) -> str:
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=group or seeded.group_a1, starts_at=datetime(2024, 3, day, 19, 30),
                                      ends_at=datetime(2024, 3, day, 21))
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", chair_role="Tổ trưởng", secretary_name="Lê Thị Hoa",
                     secretary_role="Tổ phó", place="Nhà ông Nguyễn Văn Ba")
        with_agenda_item(s, mid, "Phòng, chống trộm cắp", content="Triển khai camera an ninh",
                         conclusion="Lắp thêm đèn đường.", votes=(2, 0, 0))
        meetings.finalise_meeting(s, mid)
    return mid


def amend_and_finalise(seeded, mid: str, reason: str = "Sai chức vụ thư ký", **changes) -> None:
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason=reason, amended_by="tester")
    with seeded.db.session() as s:
        edit_meeting(s, mid, **{"chair_name": "Nguyễn Văn Ba", "secretary_name": "Lê Thị Hoa",
                                "secretary_role": "Thư ký", **changes})
        meetings.finalise_meeting(s, mid)


def current_hash(seeded, mid: str) -> str:
    with seeded.db.session() as s:
        return s.get(Meeting, mid).content_hash


def verify(seeded, code: str) -> mc.Verdict:
    with seeded.db.session() as s:
        return mc.verify_code(s, code)


def minutes_pdf(seeded, mid: str, path: Path) -> Path:
    with seeded.db.session() as s:
        doc = minutes_document(s, mid)
    write_minutes_pdf(doc, path)
    return path


def page_image(pdf: Path, index: int = 0, dpi: int = SCAN_DPI) -> Image.Image:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return document[index].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()


def page_text(pdf: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())


# --------------------------------------------------------------------------- the QR on paper


def test_qr_decodes_at_150_dpi_10_mm_from_every_edge(seeded, tmp_path: Path) -> None:
    mid = final_meeting(seeded)
    pdf = minutes_pdf(seeded, mid, tmp_path / "bb.pdf")
    px_per_mm = SCAN_DPI / 25.4
    for index in range(len(PdfReader(pdf).pages)):
        image = page_image(pdf, index)
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert [b.text for b in found] == [mc.qr_payload("minutes", mid, current_hash(seeded, mid))]
        corners = found[0].position
        xs = [p.x / px_per_mm for p in (corners.top_left, corners.top_right, corners.bottom_left,
                                        corners.bottom_right)]
        ys = [p.y / px_per_mm for p in (corners.top_left, corners.top_right, corners.bottom_left,
                                        corners.bottom_right)]
        # Image y runs down from the top edge; the decoder's corners are ±1 px (0.17 mm).
        left, right, top, bottom = min(xs), A4_MM[0] - max(xs), min(ys), A4_MM[1] - max(ys)
        assert min(left, right, top, bottom) >= 9.8, (left, right, top, bottom)
        assert max(xs) < MARGIN_LEFT / mm - 1  # in the left margin: never under the text
        assert bottom < 11 and left < 11  # the bottom-left corner
        assert (max(xs) - min(xs)) / 37 * px_per_mm >= 2.95  # version 5: 37 modules of ≥ 3 px


def test_the_code_is_printed_beside_the_qr(seeded, tmp_path: Path) -> None:
    mid = final_meeting(seeded)
    pdf = minutes_pdf(seeded, mid, tmp_path / "bb.pdf")
    runs = []
    PdfReader(pdf).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, _f, _s: runs.append((cm[4] + tm[4], cm[5] + tm[5], t)) if t.strip() else None)
    code = mc.short_code(current_hash(seeded, mid))
    (x, y), = [(x, y) for x, y, t in runs if code in t]
    assert x >= MARGIN_LEFT and 10 * mm <= y < MARGIN_BOTTOM  # right of the QR, in the bottom margin
    assert all(y >= 10 * mm for _x, y, _t in runs)  # nothing printed in the strip printers miss


# --------------------------------------------------------------------------- typed codes


def test_codes_are_read_in_any_case_spacing_and_form(seeded) -> None:
    mid = final_meeting(seeded)
    full = current_hash(seeded, mid)
    short = mc.short_code(full)
    for typed in (short, short.lower(), short.replace("-", ""), f"  {short[:4]} {short[5:]} ", full,
                  mc.qr_payload("minutes", mid, full), mc.qr_payload("minutes", mid, full).lower()):
        verdict = verify(seeded, typed)
        assert verdict.status == mc.CURRENT and verdict.genuine_current, typed
        assert verdict.meeting.meeting_id == mid and verdict.code == short
    lines = verify(seeded, short).lines()
    assert lines[0].startswith("Đúng: mã") and lines[1] == (
        "Biên bản số 01/BB-TNDTQ ngày 15/03/2024 của Tổ NDTQ số 1 – ấp Lợi An, xã Bình Tân.")
    for bad in ("", "3F2A-91C0", "XYZW-91C0-7B", "gocong:minutes:abc:123", "3F2A-91C0-7B" * 10):
        with pytest.raises(ValidationError) as err:
            verify(seeded, bad)
        assert "10 chữ số" in err.value.message


def test_superseded_amending_and_current_versions(seeded) -> None:
    mid = final_meeting(seeded)
    first = current_hash(seeded, mid)
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Sai chức vụ thư ký")
    amending = verify(seeded, mc.short_code(first))
    assert amending.status == mc.AMENDING and amending.amended_on == date.today()
    assert "đang được đính chính" in amending.headline()
    with seeded.db.session() as s:
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa", secretary_role="Thư ký")
        meetings.finalise_meeting(s, mid)
    second = current_hash(seeded, mid)
    old = verify(seeded, mc.short_code(first))
    assert old.status == mc.SUPERSEDED and not old.genuine_current and old.meeting.meeting_id == mid
    assert f"đã được đính chính ngày {date.today():%d/%m/%Y}" in old.headline()
    assert f"Bản hiện hành có mã đối chiếu {mc.short_code(second)}." in old.lines()
    assert verify(seeded, mc.qr_payload("minutes", mid, first)).status == mc.SUPERSEDED
    assert verify(seeded, mc.short_code(second)).status == mc.CURRENT


def test_unknown_mismatch_and_ambiguous_codes(seeded) -> None:
    mid = final_meeting(seeded)
    other = final_meeting(seeded, group=seeded.group_a2, day=16)
    unknown = verify(seeded, "0000-0000-00")
    assert unknown.status == mc.UNKNOWN and unknown.meeting is None
    assert "Không tìm thấy" in unknown.headline()
    forged = mc.qr_payload("minutes", mid, "ab" * 32)  # the meeting exists; this content never did
    assert verify(seeded, forged).status == mc.MISMATCH
    assert verify(seeded, mc.qr_payload("minutes", "khong-co", "ab" * 32)).status == mc.UNKNOWN
    with seeded.db.session() as s:  # two hashes sharing the 10 printed digits (1 in 2^40 by chance)
        s.get(Meeting, mid).content_hash = "3f2a91c07b" + "1" * 54
        s.get(Meeting, other).content_hash = "3f2a91c07b" + "2" * 54
    both = verify(seeded, "3f2a-91c0-7b")
    assert both.status == mc.AMBIGUOUS and {c.meeting_id for c in both.candidates} == {mid, other}
    assert "trùng với 2 biên bản" in both.headline() and len(both.lines()) == 3
    assert verify(seeded, "3f2a91c07b1").meeting.meeting_id == mid  # one more digit tells them apart
    with seeded.db.session() as s:
        s.get(Meeting, other).deleted = True
    assert verify(seeded, "3F2A-91C0-7B").status == mc.CURRENT  # deleted minutes verify nothing


# --------------------------------------------------------------------------- scans


def test_scanned_png_jpg_and_pdf_are_verified(seeded, tmp_path: Path) -> None:
    mid = final_meeting(seeded)
    pdf = minutes_pdf(seeded, mid, tmp_path / "bb.pdf")
    image = page_image(pdf)
    image.save(tmp_path / "quet.png")
    image.convert("RGB").save(tmp_path / "quet.JPG", quality=85)
    for scan in (pdf, tmp_path / "quet.png", tmp_path / "quet.JPG"):
        with seeded.db.session() as s:
            (verdict,) = verify_scan(s, scan)
        assert verdict.status == mc.CURRENT and verdict.meeting.meeting_id == mid, scan
    amend_and_finalise(seeded, mid)
    with seeded.db.session() as s:
        (old,) = verify_scan(s, tmp_path / "quet.png")
    assert old.status == mc.SUPERSEDED


def _pdf_pages(path: Path, pages: int, size=(595, 842)) -> Path:
    canvas = Canvas(str(path), pagesize=size)
    for number in range(pages):
        canvas.drawString(72, 72, f"Trang {number + 1}")
        canvas.showPage()
    canvas.save()
    return path


def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that claims to be ``width``×``height`` (a decompression bomb's header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def test_hostile_scans_get_a_clear_message(seeded, tmp_path: Path) -> None:
    final_meeting(seeded)
    huge = tmp_path / "lon.pdf"
    with huge.open("wb") as f:  # sparse: the size is refused before a byte is read
        f.truncate(MAX_SCAN_BYTES + 1)
    (tmp_path / "rong.png").write_bytes(b"")
    (tmp_path / "chu.png").write_text("không phải ảnh", encoding="utf-8")
    (tmp_path / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")
    (tmp_path / "bb.docx").write_bytes(b"PK\x03\x04")
    cases = {
        huge: "quá lớn", tmp_path / "rong.png": "rỗng", tmp_path / "chu.png": "không phải là ảnh",
        tmp_path / "hong.pdf": "không phải là PDF", tmp_path / "bb.docx": "Chỉ đọc được bản quét",
        tmp_path / "khong-co.png": "Không mở được tệp", tmp_path: "Chỉ đọc được bản quét",
        _png_header(tmp_path / "bom.png", 60_000, 60_000): "quá lớn",  # Pillow's own limit
        _png_header(tmp_path / "to.png", 8_000, 8_000): "quá lớn (8000×8000",  # ours
        _pdf_pages(tmp_path / "500.pdf", 500): "3 trang đầu",
        _pdf_pages(tmp_path / "to.pdf", 1, size=(14_000, 14_000)): "3 trang đầu",  # 5 m square: scaled down
        _pdf_pages(tmp_path / "trang.pdf", 1): "3 trang đầu",
    }
    (tmp_path / "thu-muc.png").mkdir()
    cases[tmp_path / "thu-muc.png"] = "không phải là một tệp"
    before = file_digest(seeded.db.path)
    for path, expected in cases.items():
        with seeded.db.session() as s, pytest.raises(UserError) as err:
            verify_scan(s, path)
        assert expected in err.value.message, (path.name, err.value.message)
    assert file_digest(seeded.db.path) == before


def test_a_scan_with_no_minutes_qr(tmp_path: Path) -> None:
    modules = qr_modules("https://example.org/gocong:minutes")
    other = Image.new("L", (len(modules) * 6 + 80,) * 2, 255)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                other.paste(0, (40 + c * 6, 40 + r * 6, 46 + c * 6, 46 + r * 6))
    other.save(tmp_path / "khac.png")
    assert [b.text for b in zxingcpp.read_barcodes(other)] == ["https://example.org/gocong:minutes"]
    with pytest.raises(ValidationError) as err:
        minutes_qr_codes(tmp_path / "khac.png")
    assert "Không đọc được mã QR của biên bản trong ảnh" in err.value.message


# --------------------------------------------------------------------------- amendment statement


def test_amended_minutes_print_the_statement_and_the_changes(seeded, tmp_path: Path) -> None:
    mid = final_meeting(seeded)
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Ghi sai chức vụ thư ký.", amended_by="tester")
    with seeded.db.session() as s:
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa", secretary_role="Thư ký",
                     place="Nhà văn hóa ấp Lợi An")
        with_attendance(s, mid, seeded.households["Lê Thị Hoa"], AttendanceStatus.ABSENT_EXCUSED, reason="Ốm")
        meetings.finalise_meeting(s, mid)
    text = page_text(minutes_pdf(seeded, mid, tmp_path / "bb.pdf"))
    today = f"{date.today():%d/%m/%Y}"
    assert ("Biên bản này đính chính biên bản số 01/BB-TNDTQ ngày 15/03/2024; lý do: Ghi sai chức vụ thư ký; "
            f"người đính chính: tester; ngày đính chính: {today}. Nội dung đính chính:") in text
    assert "- Địa điểm: Nhà ông Nguyễn Văn Ba → Nhà văn hóa ấp Lợi An." in text
    assert "- Chức vụ thư ký: Tổ phó → Thư ký." in text
    assert "- Điểm danh hộ Lê Thị Hoa: có mặt → vắng có lý do (Ốm)." in text
    assert "(đã đính chính)" in text
    first = page_text(minutes_pdf(seeded, final_meeting(seeded, group=seeded.group_a2), tmp_path / "b2.pdf"))
    assert "đính chính" not in first
    from docx import Document

    from gocong_desktop.core.documents.docx.minutes import write_minutes_docx
    with seeded.db.session() as s:
        write_minutes_docx(minutes_document(s, mid), tmp_path / "bb.docx")
    word = [p.text for p in Document(tmp_path / "bb.docx").paragraphs]  # the Word copy says it too
    assert any(p.startswith("Biên bản này đính chính biên bản số 01/BB-TNDTQ ngày 15/03/2024") for p in word)
    assert "- Chức vụ thư ký: Tổ phó → Thư ký." in word


def test_a_superseded_version_reprints_as_it_was_and_says_so(seeded, tmp_path: Path) -> None:
    mid = final_meeting(seeded)
    first_hash = current_hash(seeded, mid)
    original = page_text(minutes_pdf(seeded, mid, tmp_path / "goc.pdf"))
    amend_and_finalise(seeded, mid)
    with seeded.db.session() as s:
        (amendment,) = meeting_drafts.meeting_history(s, mid)
        doc = write_superseded_minutes(s, amendment.id, tmp_path / "cu.pdf")
    assert doc.content_hash == first_hash and doc.superseded_on == date.today()
    reprint = page_text(tmp_path / "cu.pdf")
    today = f"{date.today():%d/%m/%Y}"
    assert "(bản đã được thay thế)" in reprint and "ĐÃ ĐÍNH CHÍNH" in reprint
    assert f"Bản này đã được thay bằng bản đính chính ngày {today}, không còn giá trị" in reprint
    def body(text: str) -> str:  # from the header on: the footers are drawn first
        text = text[text.index("UBND XÃ BÌNH TÂN"):].replace(" (bản đã được thay thế)", "")
        return text.replace(" ĐÃ ĐÍNH CHÍNH", "")
    assert body(original).split("Mã đối chiếu")[0] == body(reprint).split("Mã đối chiếu")[0]
    assert "Tổ phó" in body(reprint) and len(body(original).split("Mã đối chiếu")[0]) > 800
    (found,) = zxingcpp.read_barcodes(page_image(tmp_path / "cu.pdf"))
    assert verify(seeded, found.text).status == mc.SUPERSEDED


def test_the_upper_office_verifies_the_minutes_it_received(demo_communes, upper, usb) -> None:
    from tests.core.sync.conftest import send

    (commune,) = demo_communes(1)
    with commune.db.session() as s:
        final = s.exec(select(Meeting).where(Meeting.status == "final")).first()
        code = mc.short_code(final.content_hash)
    send(commune.db, upper, usb, full=True)
    with upper.session() as s:
        verdict = mc.verify_code(s, code)
    assert verdict.status == mc.CURRENT and verdict.meeting.meeting_id == final.id
    assert verdict.meeting.group_name.endswith(f"xã {commune.name}")  # which commune, among many


def test_nothing_of_a_draft_is_printed_in_the_strip_printers_miss(seeded, tmp_path: Path) -> None:
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
    pdf = minutes_pdf(seeded, mid, tmp_path / "nhap.pdf")
    runs = []
    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=lambda t, cm, tm, _f, _s: runs.append(cm[5] + tm[5]) if t.strip() else None)
    assert runs and min(runs) >= 10 * mm


def test_the_statement_names_the_account_by_its_full_name(seeded, tmp_path: Path) -> None:
    from gocong_desktop.core.db.access import Principal, Role
    from gocong_desktop.core.services import accounts

    mid = final_meeting(seeded)
    with seeded.db.session() as s:
        accounts.create_first_admin(s, username="quantri", display_name="Nguyễn Văn Quản",
                                    password="quantri-2026", confirm="quantri-2026")
    seeded.db.user = Principal("quantri", "Nguyễn Văn Quản", Role.ADMIN)
    with seeded.db.session(actor="quantri") as s:
        meeting_drafts.amend(s, mid, reason="Sai chức vụ thư ký")
    with seeded.db.session(actor="quantri") as s:
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa", secretary_role="Thư ký")
        meetings.finalise_meeting(s, mid)
    text = page_text(minutes_pdf(seeded, mid, tmp_path / "bb.pdf"))
    assert "lý do: Sai chức vụ thư ký; người đính chính: Nguyễn Văn Quản;" in text
