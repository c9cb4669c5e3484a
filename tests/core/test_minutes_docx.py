"""The minutes in Word, opened with python-docx: Decree-30 page and fonts, the
header table, the PDF's sentences, the attendance list; final minutes say the
copy is editable and carry no QR, drafts are marked."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from gocong_desktop.core.documents.docx.minutes import write_minutes_docx
from gocong_desktop.core.documents.minutes import write_minutes
from gocong_desktop.core.documents.pdf.verification import short_code
from tests.core.test_minutes_pdf import _document, _meeting


def _open(doc) -> Document:
    buffer = io.BytesIO()
    write_minutes_docx(doc, buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def test_final_minutes_in_word(seeded) -> None:
    doc = _document(seeded.db, _meeting(seeded))
    word = _open(doc)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm), round(section.right_margin.mm)) == (
        20, 30, 20)
    assert word.styles["Normal"].font.name == "Times New Roman" and word.styles["Normal"].font.size == Pt(13)

    left, right = (c.text for c in word.tables[0].rows[0].cells)
    assert "UBND XÃ BÌNH TÂN" in left and "Số: 01/BB-TNDTQ" in left
    assert "Độc lập - Tự do - Hạnh phúc" in right and "Bình Tân, ngày 15 tháng 3 năm 2024" in right

    texts = [p.text for p in word.paragraphs if p.text.strip()]
    assert texts[:2] == ["BIÊN BẢN", "Sinh hoạt Tổ nhân dân tự quản số 1, quý I năm 2024"]
    note = next(t for t in texts if t.startswith("Bản Word để chỉnh sửa"))
    assert short_code(doc.content_hash) in note and "bản PDF" in note
    for expected in ("I. THÀNH PHẦN THAM DỰ", "1. Chủ trì: Nguyễn Văn Ba – Tổ trưởng.", "II. NỘI DUNG",
                     "1. Phòng, chống trộm cắp", "Triển khai", "camera an ninh", "Ý kiến tham gia:",
                     "- Ông Tư: Đồng ý.", "III. KẾT LUẬN", "1. Phòng, chống trộm cắp: Lắp thêm đèn đường.",
                     "Các hộ thống nhất thực hiện.", "DANH SÁCH HỘ THAM DỰ CUỘC HỌP"):
        assert expected in texts, expected
    assert any(t.startswith("Hôm nay, vào hồi 19 giờ 30 phút") for t in texts)
    for heading in ("I. THÀNH PHẦN THAM DỰ", "Ý kiến tham gia:"):
        assert word.paragraphs[[p.text for p in word.paragraphs].index(heading)].paragraph_format.keep_with_next
    assert not word.inline_shapes  # no QR: the Word copy is not the verifiable form

    signatures = word.tables[1].rows[0].cells
    assert "THƯ KÝ" in signatures[0].text and "Lê Thị Hoa" in signatures[0].text
    assert "CHỦ TRÌ" in signatures[1].text and "Nguyễn Văn Ba" in signatures[1].text
    attendance = word.tables[-1]
    assert [c.text for c in attendance.rows[0].cells] == ["STT", "Chủ hộ", "Người dự họp", "Tham dự",
                                                          "Lý do vắng", "Ký tên"]
    assert any(row.cells[4].text == "Ốm" for row in attendance.rows[1:])
    sizes = {r.font.size.pt for p in word.paragraphs for r in p.runs if r.font.size and r.text.strip()}
    assert sizes <= {11, 12, 13, 14}


def test_a_draft_in_word_is_marked(seeded) -> None:
    texts = [p.text for p in _open(_document(seeded.db, _meeting(seeded, finalise=False))).paragraphs]
    assert "BẢN NHÁP – chưa hoàn tất" in texts and not any("Bản Word để chỉnh sửa" in t for t in texts)


def test_the_suffix_chooses_the_form(seeded, tmp_path) -> None:
    meeting_id = _meeting(seeded)
    with seeded.db.session() as s:
        write_minutes(s, meeting_id, tmp_path / "bb.docx")
        write_minutes(s, meeting_id, tmp_path / "bb.PDF")
    assert (tmp_path / "bb.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "bb.PDF").read_bytes()[:5] == b"%PDF-"
