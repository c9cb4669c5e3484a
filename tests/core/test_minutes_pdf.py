"""The minutes PDF, read back with pypdf: Nghị định 30 layout, Vietnamese text in
NFC, embedded fonts, page numbers, margins, verification footer, drafts, blank
forms, long content; and the one content hash shared with the demo generator."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlmodel import select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import AgendaOpinion, AttendanceStatus, Gender, Meeting
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.documents.pdf.blank import BLANK_ROWS, write_blank_minutes_pdf
from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf
from gocong_desktop.core.documents.output import save_pdf_atomically
from gocong_desktop.core.documents.pdf.verification import qr_payload, short_code
from gocong_desktop.core.services import households, meeting_drafts, meetings
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.services.minutes_data import blank_minutes_document, minutes_document
from tests.conftest import file_digest
from tests.meeting_edits import edit_meeting, opinion, with_agenda_item, with_attendance, with_guest

A4_POINTS = (595.2756, 841.8898)
LEFT_MARGIN = 30 * mm
TOP_MARGIN_Y = A4_POINTS[1] - 20 * mm
HEADINGS = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN",
            "I. THÀNH PHẦN THAM DỰ", "II. NỘI DUNG", "III. KẾT LUẬN", "THƯ KÝ", "CHỦ TRÌ", "Nơi nhận:",
            "UBND XÃ BÌNH TÂN", "TỔ NDTQ SỐ 1 – ẤP LỢI AN", "DANH SÁCH HỘ THAM DỰ CUỘC HỌP"]


# --------------------------------------------------------------------------- helpers


def render(doc, writer=write_minutes_pdf) -> PdfReader:
    buffer = io.BytesIO()
    writer(doc, buffer)
    return PdfReader(io.BytesIO(buffer.getvalue()))


def page_text(page) -> str:
    return unicodedata.normalize("NFC", page.extract_text())


def all_text(reader: PdfReader) -> str:
    return "\n".join(page_text(p) for p in reader.pages)


def glyph_runs(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run drawn on the page, in page coordinates."""
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((x, y, text))
    page.extract_text(visitor_text=visit)
    return runs


def flat(text: str) -> str:
    """Text without line breaks, so a name wrapped in a cell still matches."""
    return " ".join(text.split())


def to_nfd(value):
    """Every string inside a read model, decomposed (as the Windows keyboard types)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, tuple):
        return tuple(to_nfd(v) for v in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{f.name: to_nfd(getattr(value, f.name))
                                             for f in dataclasses.fields(value)})
    return value


def _meeting(seeded, *, finalise: bool = True, **details) -> str:
    ba, hoa = seeded.households["Nguyễn Văn Ba"], seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30),
                                      ends_at=datetime(2024, 3, 15, 21),
                                      title="Sinh hoạt Tổ nhân dân tự quản số 1, quý I năm 2024")
        edit_meeting(s, mid, **{
            "chair_name": "Nguyễn Văn Ba", "chair_role": "Tổ trưởng", "secretary_name": "Lê Thị Hoa",
            "secretary_role": "Tổ phó", "place": "Nhà ông Nguyễn Văn Ba",
            "closing_conclusion": "Các hộ thống nhất thực hiện.", **details})
        with_guest(s, mid, "Đ/c Trần Minh Tâm", role="Cán bộ", organisation="Công an xã")
        with_agenda_item(s, mid, "Phòng, chống trộm cắp", content="Triển khai\ncamera an ninh",
                         conclusion="Lắp thêm đèn đường.", votes=(2, 0, 0),
                         opinions=[opinion("Đề nghị lắp đèn.", household_id=ba), opinion("Đồng ý.", speaker="Ông Tư")])
        with_attendance(s, mid, hoa, AttendanceStatus.ABSENT_EXCUSED, reason="Ốm")
        if finalise:
            meetings.finalise_meeting(s, mid)
    return mid


def _document(db, meeting_id: str):
    with db.session() as s:
        return minutes_document(s, meeting_id)


LONG_PARAGRAPH = " ".join(f"Câu thứ {i} về phòng, chống tội phạm, ma túy và tệ nạn xã hội trên địa bàn ấp."
                          for i in range(120))  # ~9,000 characters: longer than a page


@pytest.fixture
def big_meeting(seeded) -> tuple[str, list[str]]:
    """70 households and ten long agenda items, one a single paragraph longer than a page."""
    names = []
    with seeded.db.session() as s:
        for i in range(70):
            name = f"Trương Văn Hộ{i:02d}"
            households.create_household(s, HouseholdInput(head_name=name, hamlet_id=seeded.hamlet_a,
                                                          group_id=seeded.group_a2,
                                                          gender=Gender.FEMALE if i % 2 else Gender.MALE))
            names.append(name)
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a2, starts_at=datetime(2024, 6, 29, 19))
        draft = meeting_drafts.load_draft(s, mid)
        draft.chair_name, draft.secretary_name = "Phạm Văn An", "Võ Thị Ánh"
        for n in range(10):
            content = LONG_PARAGRAPH if n == 3 else "\n".join([LONG_PARAGRAPH[:3000]] * 2)
            draft.agenda.append(meeting_drafts.AgendaDraft(f"Nội dung số {n + 1}", content, LONG_PARAGRAPH[:1500],
                                                           60, 5, 7))
        meeting_drafts.save_draft(s, mid, draft)
        meetings.finalise_meeting(s, mid)
    return mid, names


# --------------------------------------------------------------------------- layout and text


def test_final_minutes_read_back(seeded) -> None:
    doc = _document(seeded.db, _meeting(seeded))
    reader = render(doc)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.01)
    text = all_text(reader)
    assert unicodedata.is_normalized("NFC", text)
    for expected in HEADINGS + ["Số: 01/BB-TNDTQ", "Bình Tân, ngày 15 tháng 3 năm 2024",
                                "Sinh hoạt Tổ nhân dân tự quản số 1, quý I năm 2024",
                                "Nguyễn Văn Ba", "Lê Thị Hoa", "Đ/c Trần Minh Tâm – Cán bộ, Công an xã",
                                "tại nhà ông Nguyễn Văn Ba, ấp Lợi An, xã Bình Tân",
                                "Số hộ có đại diện tham dự: 2/3 hộ", "Ông Tư: Đồng ý.", "- Hộ Nguyễn Văn Ba: Đề nghị lắp đèn.",
                                "Kết quả biểu quyết: 2/2 hộ dự họp tán thành",
                                "Cuộc họp kết thúc vào 21 giờ 00 phút cùng ngày. Biên bản đã được đọc lại cho mọi "
                                "người dự họp cùng nghe, nhất trí thông qua lúc 21 giờ 00 phút và được lập thành "
                                "03 bản có giá trị như nhau./.",
                                "- Lưu: Hồ sơ Tổ."]:
        assert expected in flat(text), expected


def test_fonts_are_embedded(seeded) -> None:
    reader = render(_document(seeded.db, _meeting(seeded)))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if "Liberation" not in name:
                assert name == "/Helvetica"  # reportlab's initial font, never drawn with
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() \
                if "/DescendantFonts" in font else font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
            seen.add(name.split("+", 1)[1])
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= seen


def test_long_minutes_flow_over_pages(seeded, big_meeting) -> None:
    mid, names = big_meeting
    doc = _document(seeded.db, mid)
    # A reason far longer than a page (built by hand: the form limits it) must split too.
    long_reason = dataclasses.replace(doc.attendance[0], status=AttendanceStatus.ABSENT_EXCUSED,
                                      reason=LONG_PARAGRAPH[:6000])
    doc = dataclasses.replace(doc, attendance=(long_reason, *doc.attendance[1:]))
    reader = render(doc)
    assert len(reader.pages) > 10
    text = flat(all_text(reader))
    assert all(name in text for name in names)
    assert "Câu thứ 119 về phòng" in text  # the end of the paragraph longer than a page
    assert "Nội dung số 10" in text
    assert LONG_PARAGRAPH[5960:6000].strip() in text  # the reason split over rows, all of it
    # Page numbers: none on page 1, then "2", "3"... centred in the top margin.
    centre = LEFT_MARGIN + (A4_POINTS[0] - LEFT_MARGIN - 20 * mm) / 2
    for number, page in enumerate(reader.pages, start=1):
        top = [(x, t.strip()) for x, y, t in glyph_runs(page) if y > TOP_MARGIN_Y]
        assert [t for _, t in top] == ([] if number == 1 else [str(number)]), number
        assert all(abs(x - centre) < 10 for x, _ in top)


@pytest.mark.parametrize("finalise", [True, False])
def test_nothing_left_of_the_30_mm_margin(seeded, big_meeting, finalise) -> None:
    mid = big_meeting[0] if finalise else _meeting(seeded, finalise=False)
    reader = render(_document(seeded.db, mid))
    lefts = [min(x for x, _, _ in glyph_runs(page)) for page in reader.pages]
    assert min(lefts) >= LEFT_MARGIN - 0.5
    assert min(lefts) < LEFT_MARGIN + 1  # body lines do start at the margin


def test_nfd_input_prints_the_same_text(seeded) -> None:
    mid = _meeting(seeded)
    doc = _document(seeded.db, mid)
    nfd = to_nfd(doc)
    assert nfd.chair.name != doc.chair.name  # the test really feeds decomposed text
    nfc_pages = [p.extract_text() for p in render(doc).pages]
    assert [p.extract_text() for p in render(nfd).pages] == nfc_pages
    # Typed through the services in NFD, the record reads back as NFC.
    with seeded.db.session() as s:
        typed = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 4, 1, 19))
        edit_meeting(s, typed, chair_name=unicodedata.normalize("NFD", "Nguyễn Văn Ba"), secretary_name="Lê Thị Hoa",
                     place=unicodedata.normalize("NFD", "Nhà văn hóa ấp Lợi An"))
    again = _document(seeded.db, typed)
    assert again.chair.name == "Nguyễn Văn Ba" and again.place == "Nhà văn hóa ấp Lợi An"
    assert "tại nhà văn hóa ấp Lợi An, xã Bình Tân" in flat(all_text(render(again)))


# --------------------------------------------------------------------------- verification


def test_final_minutes_carry_the_code_on_every_page(seeded, big_meeting) -> None:
    doc = _document(seeded.db, big_meeting[0])
    code = short_code(doc.content_hash)
    assert len(code) == 12 and code == code.upper() and code.replace("-", "") == doc.content_hash[:10].upper()
    # Upper case: the QR's alphanumeric mode, a smaller symbol (issue 17); verify reads any case.
    assert qr_payload("minutes", doc.id, doc.content_hash) == f"GOCONG:MINUTES:{doc.id}:{doc.content_hash}".upper()
    with seeded.db.session() as s:
        assert doc.content_hash == meetings.content_hash(meetings.content_snapshot(s, doc.id))
    reader = render(doc)
    for page in reader.pages:
        assert f"Mã đối chiếu: {code}" in page_text(page)
        assert "BẢN NHÁP" not in page_text(page)
        assert "/XObject" in page["/Resources"]  # the QR form


def test_draft_is_marked_and_has_no_code(seeded) -> None:
    mid = _meeting(seeded, finalise=False)
    doc = _document(seeded.db, mid)
    assert not doc.is_final and doc.content_hash is None
    reader = render(doc)
    for page in reader.pages:
        text = page_text(page)
        assert "BẢN NHÁP" in text and "Mã đối chiếu" not in text
    assert "Số: ……/BB-TNDTQ" in all_text(reader)


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="needs zbarimg and pdftoppm")
def test_qr_code_reads_back(seeded, tmp_path: Path) -> None:
    doc = _document(seeded.db, _meeting(seeded))
    pdf = tmp_path / "bb.pdf"
    write_minutes_pdf(doc, pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-f", "2", "-l", "2", "-png", str(pdf), str(tmp_path / "p")],
                   check=True)
    image = next(tmp_path.glob("p*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert out.stdout.strip() == f"GOCONG:MINUTES:{doc.id}:{doc.content_hash}".upper()


def test_amended_minutes_say_so(seeded) -> None:
    mid = _meeting(seeded)
    first = _document(seeded.db, mid)
    assert "(đã đính chính)" not in all_text(render(first))
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Sai chức vụ thư ký")
    assert "BẢN NHÁP" in all_text(render(_document(seeded.db, mid)))
    with seeded.db.session() as s:
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa", secretary_role="Thư ký")
        meetings.finalise_meeting(s, mid)
    amended = _document(seeded.db, mid)
    text = all_text(render(amended))
    assert "(đã đính chính)" in text and "Số: 01/BB-TNDTQ" in text
    assert short_code(amended.content_hash) in text and short_code(first.content_hash) not in text


# --------------------------------------------------------------------------- blank form


def test_blank_form_lists_the_active_households(seeded) -> None:
    with seeded.db.session() as s:
        households.mark_moved_out(s, seeded.households["Trần Minh Tâm"], date(2024, 1, 1))
        extra = households.create_household(s, HouseholdInput(head_name="Hồ Thị Xoan", hamlet_id=seeded.hamlet_a,
                                                              group_id=seeded.group_a1))
        households.delete_household(s, extra)
        doc = blank_minutes_document(s, seeded.group_a1)
    assert [h.head_name for h in doc.households] == ["Nguyễn Văn Ba", "Lê Thị Hoa"]  # by given name: Ba < Hoa
    reader = render(doc, write_blank_minutes_pdf)
    text = flat(all_text(reader))
    for expected in HEADINGS + ["Số: ……/BB-TNDTQ", "Sinh hoạt Tổ nhân dân tự quản số 1",
                                "Số hộ có đại diện tham dự: ……/2 hộ"]:
        assert expected in text, expected
    assert "Nguyễn Văn Ba" in text and "Lê Thị Hoa" in text
    assert "Trần Minh Tâm" not in text and "Hồ Thị Xoan" not in text
    assert "Mã đối chiếu" not in text and "BẢN NHÁP" not in text


def test_a_blank_form_for_a_group_with_no_households_has_rows_to_write_in(seeded) -> None:
    """A new group whose households are not typed in yet: numbered empty rows to fill by
    hand, and a household count left to fill in, not «……/0 hộ»."""
    from dataclasses import replace

    with seeded.db.session() as s:
        doc = replace(blank_minutes_document(s, seeded.group_a1), households=[])
    text = flat(all_text(render(doc, write_blank_minutes_pdf)))
    assert "Số hộ có đại diện tham dự: ……/…… hộ" in text and "/0 hộ" not in text
    table = text.split("DANH SÁCH HỘ THAM DỰ CUỘC HỌP", 1)[1]
    assert all(f" {n} " in f" {table} " for n in range(1, BLANK_ROWS + 1)), table


# --------------------------------------------------------------------------- writing files


def test_pdf_is_written_atomically(seeded, tmp_path: Path) -> None:
    doc = _document(seeded.db, _meeting(seeded))
    folder = tmp_path / "Tài liệu"
    folder.mkdir()
    out = folder / "Biên bản số 1.pdf"
    write_minutes_pdf(doc, out)
    assert out.read_bytes().startswith(b"%PDF") and len(PdfReader(out).pages) >= 2
    before = file_digest(out)

    def half_then_fail(stream):
        stream.write(b"%PDF-1.4 half")
        raise RuntimeError("layout bug")
    with pytest.raises(RuntimeError):
        save_pdf_atomically(out, half_then_fail)
    assert file_digest(out) == before
    assert [p.name for p in folder.iterdir()] == [out.name]  # no temporary file left
    with pytest.raises(UserError) as err:
        write_minutes_pdf(doc, out / "x.pdf")  # its folder is a file
    assert "Không ghi được tệp" in err.value.message
    with pytest.raises(UserError):
        write_minutes_pdf(doc, folder)
    assert [p.name for p in folder.iterdir()] == [out.name]


# --------------------------------------------------------------------------- one hash


def test_demo_hashes_equal_the_service_snapshot_hash(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    generate_demo(path, households=100, seed=5, today=date(2026, 11, 29))
    db = open_database(path)
    try:
        with db.session() as s:
            final = s.exec(select(Meeting).where(Meeting.status == "final")).all()
            assert len(final) > 10
            for meeting in final:
                assert meetings.content_hash(meetings.content_snapshot(s, meeting.id)) == meeting.content_hash
            doc = minutes_document(s, final[-1].id)
    finally:
        db.close()
    text = flat(all_text(render(doc)))
    assert f"Mã đối chiếu: {short_code(doc.content_hash)}" in text
    assert all(a.head_name in text for a in doc.attendance)


def test_tombstoned_rows_are_neither_printed_nor_hashed(seeded) -> None:
    mid = _meeting(seeded, finalise=False)
    with seeded.db.session() as s:
        before = meetings.content_hash(meetings.content_snapshot(s, mid))
        opinion = s.exec(select(AgendaOpinion).where(AgendaOpinion.speaker_name == "Ông Tư")).one()
        opinion.deleted = True
    with seeded.db.session() as s:
        snapshot = meetings.content_snapshot(s, mid)
    assert [o[2] for o in snapshot["agenda"][0]["opinions"]] == ["Đề nghị lắp đèn."]
    assert meetings.content_hash(snapshot) != before
    assert "Ông Tư" not in all_text(render(_document(seeded.db, mid)))


def _creation_date(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).metadata["/CreationDate"]


def test_pdf_carries_the_real_time_and_is_reproducible_only_when_asked(seeded, monkeypatch) -> None:
    doc = _document(seeded.db, _meeting(seeded))

    def written() -> bytes:
        out = io.BytesIO()
        write_minutes_pdf(doc, out)
        return out.getvalue()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert _creation_date(written()).startswith(f"D:{datetime.now():%Y%m%d}")  # not 2000-01-01
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the reproducible-builds convention, for tests
    first = written()
    assert _creation_date(first).startswith("D:20231114") and written() == first
