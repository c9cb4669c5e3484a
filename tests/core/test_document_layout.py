"""Issue 17 points 1, 5, 6, 8, read back from the PDFs of every kind with pypdf's
text visitor (size and position of every text run):

- never scaled: every run at scale 1; body text ≥ 13 pt; nothing under 12 pt but
  the "Nơi nhận" list (11 pt, Nghị định 30) and the marks in the bottom margin
  (verification footer); 12 pt is the size of tables and of header lines;
- no page ends with a heading ("Ý kiến tham gia:", "II. NỘI DUNG", item titles);
- "Nơi nhận" at the left, level with the signer's title at the right;
- one header: lines broken between words and balanced, the parent body for the
  unit and the date (no district after mid-2025), key sheets signed by a person.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlmodel import select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import Evaluation, Meeting, SelfManagedGroup
from gocong_desktop.core.documents.pdf.decree30 import FRAME_WIDTH, HEADER_LEFT_WIDTH, MARGIN_LEFT, Decree30Template, national_header
from gocong_desktop.core.documents.pdf.flowables import balanced_split
from gocong_desktop.core.documents.pdf.fonts import SERIF, SERIF_BOLD, register_fonts
from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf
from gocong_desktop.core.documents.pdf.pledge_forms import write_pledge_forms_pdf
from gocong_desktop.core.documents.pdf.pledge_sheets import write_not_signed_pdf, write_register_pdf
from gocong_desktop.core.documents.pdf.recovery_sheet import recovery_sheet_pdf
from gocong_desktop.core.documents.pdf.review_report import write_review_pdf
from gocong_desktop.core.documents.key_sheet import write_key_sheet
from gocong_desktop.core.documents.reports import write_evaluation_record
from gocong_desktop.core.services import pledge_print
from gocong_desktop.core.services.document_header import government_parent, police_head_title, police_parent
from gocong_desktop.core.services.minutes_data import minutes_document
from gocong_desktop.core.services.office import OfficeInfo
from gocong_desktop.core.services.review import review_figures
from gocong_desktop.core.services.review_period import parse_period
from gocong_desktop.core.sync.keys import ensure_office_keys
from tests.conftest import as_demo_admin, copy_database

BOTTOM_MARGIN = 20 * mm  # below it: the verification footer, a mark rather than text of the document
BODY_MIN, TABLE_MIN, RECIPIENTS_SIZE = 13, 12, 11


@dataclasses.dataclass(frozen=True)
class Run:
    page: int
    x: float
    y: float
    size: float  # as printed: the font size times the text and page scale
    scale: float
    text: str


def page_runs(page, number: int = 0) -> list[Run]:
    out: list[Run] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = abs(cm[3] * tm[3])
            out.append(Run(number, cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5],
                           round(size * scale, 2), round(scale, 4), " ".join(text.split())))
    page.extract_text(visitor_text=visit)
    return out


def runs_of(reader: PdfReader) -> list[Run]:
    return [run for number, page in enumerate(reader.pages) for run in page_runs(page, number)]


def read(write, *args, **kwargs) -> PdfReader:
    buffer = io.BytesIO()
    write(*args, buffer, **kwargs)
    return PdfReader(io.BytesIO(buffer.getvalue()))


def lines_of(runs: list[Run]) -> list[tuple[int, float, str]]:
    """(page, y, text) of each printed line, top to bottom, left to right."""
    by_line: dict[tuple[int, float], list[Run]] = {}
    for run in runs:
        by_line.setdefault((run.page, round(run.y)), []).append(run)
    return [(page, y, " ".join(r.text for r in sorted(rs, key=lambda r: r.x)))
            for (page, y), rs in sorted(by_line.items(), key=lambda kv: (kv[0][0], -kv[0][1]))]


# --------------------------------------------------------------------------- every kind, from a demo


@pytest.fixture(scope="module")
def demo_pdfs(tmp_path_factory, demo_files) -> dict[str, PdfReader]:
    """Every kind of PDF a commune prints, from a copy of the small plain demo."""
    folder = tmp_path_factory.mktemp("layout")
    db = as_demo_admin(open_database(copy_database(demo_files["plain"], folder / "mau.db")))
    out: dict[str, PdfReader] = {}
    with db.session() as s:
        ensure_office_keys(s)
        meeting = s.exec(select(Meeting).where(Meeting.minutes_number.is_not(None))
                         .order_by(Meeting.starts_at.desc())).first()
        out["minutes"] = read(write_minutes_pdf, minutes_document(s, meeting.id))
        group_id = s.exec(select(SelfManagedGroup.id)).first()
        year = date.today().year
        # Six items (a one-page form), and fourteen (two pages), whatever the default template holds.
        forms = [dataclasses.replace(f, items=f.items[:6]) for f in pledge_print.pledge_forms(s, year,
                                                                                          group_id=group_id)[:2]]
        long_form = dataclasses.replace(forms[0], items=forms[0].items + tuple(
            f"Cam kết bổ sung số {n}: không tham gia tụ tập đông người trái phép, lừa đảo qua mạng." for n in
            range(7, 15)))
        out["pledge_forms"] = read(write_pledge_forms_pdf, [forms[0], long_form, forms[1]])
        out["register"] = read(write_register_pdf, pledge_print.register_sheet(s, year, group_id))
        out["not_signed"] = read(write_not_signed_pdf, pledge_print.not_signed_sheet(s, year),
                                 today=date(2026, 1, 20))
        out["review"] = read(write_review_pdf, review_figures(s, parse_period(f"{year - 1}")),
                             issued_on=date(2026, 1, 20))
        evaluation = s.exec(select(Evaluation.id).order_by(Evaluation.evaluated_on.desc())).first()
        write_evaluation_record(s, evaluation, folder / "danh-gia.pdf")
        out["evaluation"] = PdfReader(folder / "danh-gia.pdf")
        write_key_sheet(s, folder / "khoa.pdf")
        out["key_sheet"] = PdfReader(folder / "khoa.pdf")
    db.close()
    return out


KINDS = ["minutes", "pledge_forms", "register", "not_signed", "review", "evaluation", "key_sheet"]
# Text of the body (paragraphs, not tables or headers) that each kind must print at ≥ 13 pt.
BODY_TEXT = {"minutes": "Hôm nay, vào hồi", "pledge_forms": "Cam kết bổ sung số 13",
             "register": "Tổng số hộ phải ký", "not_signed": "Tổng số hộ phải ký", "review": "báo cáo kết quả",
             "evaluation": "Xếp loại:", "key_sheet": "Đơn vị nhận chỉ xác nhận"}


def _is_recipient_line(run: Run) -> bool:
    return run.text.startswith("- ") and run.text.endswith((";", "."))


@pytest.mark.parametrize("kind", KINDS)
def test_never_scaled_and_never_below_the_decree_sizes(demo_pdfs, kind) -> None:
    runs = [r for r in runs_of(demo_pdfs[kind]) if r.y > BOTTOM_MARGIN]
    assert runs
    assert {r.scale for r in runs} == {1.0}, kind  # KeepInFrame's shrink scales the page
    small = [r for r in runs if r.size < TABLE_MIN and not (r.size == RECIPIENTS_SIZE and _is_recipient_line(r))]
    assert small == [], small[:5]
    body = [r for r in runs if BODY_TEXT[kind] in r.text]
    assert body and min(r.size for r in body) >= BODY_MIN, body[:3]


def test_the_recovery_sheet_is_not_scaled(tmp_path) -> None:
    """A notice kept in a safe, designed at 12 pt (the note 11 pt) to stay on one page."""
    reader = PdfReader(recovery_sheet_pdf(tmp_path / "phieu.pdf", office_name="xã Bình Tân",
                                          code="WXYZ-MMWW-2345-6789-ABCD", username="quantri",
                                          made_at=datetime(2026, 1, 5, 9, 0)))
    runs = runs_of(reader)
    assert len(reader.pages) == 1 and {r.scale for r in runs} == {1.0}
    assert min(r.size for r in runs) >= 11


def test_a_long_pledge_form_flows_onto_a_second_page_with_items_aligned(demo_pdfs) -> None:
    """One form of one page, one of 13 items (two pages), one of one page: printed on
    both sides, every form starts on a front (the back of the first stays blank), and
    the long form's second page is numbered 2."""
    reader = demo_pdfs["pledge_forms"]
    runs = runs_of(reader)
    heads = [r.page for r in runs if r.text.startswith("Họ và tên chủ hộ")]
    assert heads == [0, 2, 4] and len(reader.pages) == 5, heads
    assert [r for r in runs if r.page == 1] == []
    numbers = [r.text for r in runs if r.y > 800]
    assert numbers == ["2"], numbers
    assert any(r.page == 3 and r.y > 800 for r in runs)
    item_x = {round(r.x, 1) for r in runs if r.text.startswith("Cam kết bổ sung số")}
    first_items = {round(r.x, 1) for r in runs if r.page == 0 and r.text.startswith("Chấp hành")}
    assert len(item_x) == 1 and item_x == first_items  # items 10+ hang at the same indent as 1–9


# --------------------------------------------------------------------------- headings kept with what follows


def _last_lines(reader: PdfReader) -> list[str]:
    """The last line of text of every page but the last, above the bottom margin."""
    out = []
    for number, page in enumerate(reader.pages[:-1]):
        lines = lines_of([r for r in page_runs(page, number) if r.y > BOTTOM_MARGIN])
        out.append(lines[-1][2])
    return out


def _headings(doc) -> list[str]:
    titles = [f"{n}. {item.title}" for n, item in enumerate(doc.agenda, 1)]
    return ["I. THÀNH PHẦN THAM DỰ", "II. NỘI DUNG", "III. KẾT LUẬN", "Ý kiến tham gia:", *titles]


def _ends_with_heading(reader: PdfReader, doc) -> list[str]:
    return [line for line in _last_lines(reader)
            if any(h == line or h.startswith(line) for h in _headings(doc))]


def test_no_page_of_any_demo_minutes_ends_with_a_heading(demo_files, tmp_path) -> None:
    db = open_database(copy_database(demo_files["plain"], tmp_path / "mau.db"))
    with db.session() as s:
        docs = [minutes_document(s, m) for m in s.exec(select(Meeting.id).order_by(Meeting.starts_at)).all()]
    db.close()
    assert len(docs) > 40
    for doc in docs[::2]:  # half of them: rendering is the slow part
        body = dataclasses.replace(doc, attendance=())  # the list after the body has no heading
        assert _ends_with_heading(read(write_minutes_pdf, body), body) == [], doc.title


def test_the_opinions_label_is_never_alone_at_a_page_foot(demo_files, tmp_path) -> None:
    """The content before "Ý kiến tham gia:" grows a sentence (most of a line) at a
    time, so that the label passes every position near the foot of page 1 (it was
    alone there from 17 to 19 sentences before headings were guarded)."""
    db = open_database(copy_database(demo_files["plain"], tmp_path / "mau.db"))
    with db.session() as s:
        ids = s.exec(select(Meeting.id).order_by(Meeting.starts_at)).all()
        doc = next(d for d in (minutes_document(s, i) for i in ids) if d.agenda and d.agenda[0].opinions)
    db.close()
    sentence = "Tổ trưởng nhắc các hộ giữ gìn an ninh, trật tự, phòng cháy, chữa cháy trong mùa khô. "
    label_last = []
    for n in range(10, 28):
        item = dataclasses.replace(doc.agenda[0], content=sentence * n)
        variant = dataclasses.replace(doc, agenda=(item,), attendance=())
        page = PdfReader(io.BytesIO(_pdf_bytes(variant))).pages[0]
        lines = lines_of([r for r in page_runs(page) if r.y > BOTTOM_MARGIN])
        label_last.append(lines[-1][2] == "Ý kiến tham gia:")
    assert not any(label_last)


def _pdf_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    write_minutes_pdf(doc, buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- Nơi nhận and the closing block


def _first(runs: list[Run], text: str) -> Run:
    return next(r for r in runs if r.text.startswith(text))


def test_recipients_stand_level_with_the_signers_title(demo_pdfs) -> None:
    runs = runs_of(demo_pdfs["review"])
    recipients, title = _first(runs, "Nơi nhận:"), _first(runs, "TRƯỞNG CÔNG AN XÃ")
    assert recipients.page == title.page and abs(recipients.y - title.y) < 2
    assert recipients.x < FRAME_WIDTH / 2 < title.x
    last_page = [r for r in runs if r.page == title.page]
    closing = _first(runs, "Trên đây là báo cáo")
    assert closing.page == title.page and _first(last_page, "- Lưu: VT").page == title.page


# --------------------------------------------------------------------------- one header


def test_issuing_body_lines_break_between_words_balanced() -> None:
    register_fonts()
    width = HEADER_LEFT_WIDTH
    assert balanced_split("CÔNG AN HUYỆN GÒ CÔNG TÂY", SERIF, 12, width) == ["CÔNG AN HUYỆN", "GÒ CÔNG TÂY"]
    assert balanced_split("TỔ NDTQ SỐ 12 – ẤP THUẬN TRỊ", SERIF_BOLD, 12, width) == ["TỔ NDTQ SỐ 12 –",
                                                                                        "ẤP THUẬN TRỊ"]
    assert balanced_split("UBND XÃ BÌNH TÂN", SERIF, 12, width) == ["UBND XÃ BÌNH TÂN"]
    assert balanced_split("TRƯỞNG CÔNG AN HUYỆN GÒ CÔNG TÂY", SERIF_BOLD, 13, 76 * mm) == [
        "TRƯỞNG CÔNG AN", "HUYỆN GÒ CÔNG TÂY"]  # the unit's name stays whole
    assert balanced_split("BẢN CAM KẾT\nNăm 2026", SERIF_BOLD, 14, width) == ["BẢN CAM KẾT", "Năm 2026"]


def test_the_header_prints_balanced_lines(tmp_path) -> None:
    path = tmp_path / "dau.pdf"
    Decree30Template(str(path), title="Thử").build([national_header(
        "Công an huyện Gò Công Tây", "Tổ NDTQ số 12 – ấp Thuận Trị", [], "Bình Tân, ngày 05 tháng 01 năm 2024")])
    left = [r for r in runs_of(PdfReader(path)) if r.x < MARGIN_LEFT + HEADER_LEFT_WIDTH]
    assert [t for _p, _y, t in lines_of(left)] == ["CÔNG AN HUYỆN", "GÒ CÔNG TÂY", "TỔ NDTQ SỐ 12 –", "ẤP THUẬN TRỊ"]


OFFICE = OfficeInfo(role="commune", unit_id="x", unit_name="Bình Tân", unit_type="xã", unit_code=None,
                    upper_office_name="Công an huyện Gò Công Tây", province_name="Tiền Giang",
                    district_name="Gò Công Tây")


@pytest.mark.parametrize("on, police, government", [
    (date(2024, 12, 31), "CÔNG AN HUYỆN GÒ CÔNG TÂY", "UBND HUYỆN GÒ CÔNG TÂY"),
    (date(2025, 3, 1), "CÔNG AN TỈNH TIỀN GIANG", "UBND HUYỆN GÒ CÔNG TÂY"),
    (date(2025, 7, 1), "CÔNG AN TỈNH TIỀN GIANG", "UBND TỈNH TIỀN GIANG")])
def test_the_parent_body_follows_the_unit_and_the_date(on, police, government) -> None:
    assert (police_parent(OFFICE, on), government_parent(OFFICE, on)) == (police, government)
    no_tree = dataclasses.replace(OFFICE, province_name=None, district_name=None)
    assert (police_parent(no_tree, on), government_parent(no_tree, on)) == ("CÔNG AN HUYỆN GÒ CÔNG TÂY", "")
    assert police_head_title(OFFICE) == "Trưởng Công an xã"


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_documents_dated_after_mid_2025_name_no_district(demo_pdfs) -> None:
    for kind in ("not_signed", "review", "key_sheet"):
        text = _text(demo_pdfs[kind]).lower()
        assert "công an huyện" not in text and "ubnd huyện" not in text, kind
    lines = [t for _p, _y, t in lines_of(runs_of(demo_pdfs["not_signed"]))]
    assert lines[0].startswith("UBND TỈNH TIỀN GIANG") and lines[1].startswith("UBND XÃ BÌNH TÂN"), lines[:2]


def test_the_key_sheet_has_one_header_and_a_person_signs(demo_pdfs) -> None:
    lines = [t for _p, _y, t in lines_of(runs_of(demo_pdfs["key_sheet"]))]
    assert lines[0].startswith("CÔNG AN TỈNH TIỀN GIANG") and lines[1].startswith("CÔNG AN XÃ BÌNH TÂN"), lines[:2]
    text = _text(demo_pdfs["key_sheet"])
    assert "TM." not in text and "TRƯỞNG CÔNG AN XÃ" in text
    assert text.count("XÃ BÌNH TÂN") == 1



def test_the_summary_rule_is_a_third_to_half_of_its_line() -> None:
    """Nghị định 30: the rule under a document's summary line is 1/3 to 1/2 of the line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from gocong_desktop.core.documents.pdf.decree30 import title_block

    class Recording(Canvas):
        def line(self, x1, y1, x2, y2):
            drawn.append(x2 - x1)
            super().line(x1, y1, x2, y2)
    drawn: list[float] = []
    summary = "Sinh hoạt Tổ nhân dân tự quản số 1, quý I năm 2024"
    register_fonts()
    block = title_block("Biên bản", summary)[2]
    canvas = Recording(io.BytesIO())
    block.wrapOn(canvas, FRAME_WIDTH, 800)
    block.drawOn(canvas, 0, 0)
    assert len(drawn) == 1 and 1 / 3 <= drawn[0] / stringWidth(summary, SERIF_BOLD, 14) <= 1 / 2


def test_a_row_split_for_its_height_reads_as_one_row() -> None:
    """A cell too tall for a quarter page goes on in a row below (no row may be taller
    than a page): no rule between the parts, so it never reads as another, unnumbered row."""
    from reportlab.platypus import Paragraph

    from gocong_desktop.core.documents.pdf.decree30 import grid_table, styles, text

    address = Paragraph(text("Số 12/3 đường liên ấp Kiểm Thử & <Ngõ 5>, cạnh cây xăng 24% " * 6), styles().cell)
    table = grid_table([["STT", "Địa chỉ"], ["1", address], ["2", "Số 8, ấp Kiểm Thử"]], [12 * mm, 27 * mm])
    values = table._cellvalues
    assert len(values) > 3 and values[-1][0] == "2"  # the address went on in a row of its own
    ruled = set()  # rows with a rule above them
    for op, (c0, r0), (c1, r1), *_ in table._linecmds:
        r0, r1 = r0 % len(values), r1 % len(values)
        if op in ("GRID", "INNERGRID"):
            ruled |= set(range(r0 + (op == "INNERGRID"), r1 + 1))
        elif op == "LINEABOVE":
            ruled |= set(range(r0, r1 + 1))
        elif op == "LINEBELOW":
            ruled |= set(range(r0 + 1, r1 + 2))
    assert ruled & set(range(1, len(values))) == {1, len(values) - 1}, ruled  # under the header, above row 2
