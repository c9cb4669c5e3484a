"""The review report with its written sections: the PDF read back with pypdf
(sections present, in 13 pt or more) and the Word copy opened with python-docx
(page, margins, fonts, header table, paragraphs)."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from PIL import Image
from pypdf import PdfReader

from gocong_desktop.core.documents.docx.review_report import write_review_docx
from gocong_desktop.core.documents.reports import write_review_report
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.review import counting_note, review_figures
from gocong_desktop.core.services.review_narrative import save_narrative
from tests.conftest import file_digest
from tests.core.prevention_scenario import H1, build_scenario

LONG = " ".join(f"Câu {i}: các tổ duy trì sinh hoạt, nắm tình hình an ninh trật tự." for i in range(60))
SECTIONS = {"situation": "Địa bàn có 2 ấp.\nTình hình an ninh ổn định.", "results": "Đạt các chỉ tiêu.",
            "strengths": "Các hộ tham gia đông đủ.", "shortcomings": "Một số tổ sinh hoạt chưa đều.",
            "causes": LONG, "directions": "Nhân rộng mô hình camera.", "proposals": "Hỗ trợ kinh phí lắp đèn."}
HEADINGS = ("I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "1. Ưu điểm",
            "2. Tồn tại, hạn chế", "3. Nguyên nhân", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "V. KIẾN NGHỊ, ĐỀ XUẤT")


@pytest.fixture
def written(seeded):
    build_scenario(seeded)
    with seeded.db.session() as s:
        save_narrative(s, H1, SECTIONS)
    return seeded


def _write(seeded, path: Path) -> Path:
    with seeded.db.session() as s:
        write_review_report(s, H1, path)
    return path


def _runs_by_size(reader: PdfReader) -> list[tuple[float, str]]:
    runs: list[tuple[float, str]] = []
    for page in reader.pages:
        page.extract_text(visitor_text=lambda t, cm, tm, _f, size: runs.append((size * tm[0], t))
                          if t.strip() else None)
    return runs


def test_pdf_prints_the_written_sections_in_full_size(written, tmp_path) -> None:
    reader = PdfReader(_write(written, tmp_path / "bc.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (*HEADINGS, "Tình hình an ninh ổn định.", "Nhân rộng mô hình camera.", "Câu 59:",
                     "SỐ LIỆU KÈM THEO", "I. SỐ LIỆU TỔNG HỢP", "TRƯỞNG CÔNG AN XÃ"):
        assert expected in flat, expected
    assert flat.index("I. ĐẶC ĐIỂM TÌNH HÌNH") < flat.index("V. KIẾN NGHỊ, ĐỀ XUẤT") < flat.index("SỐ LIỆU KÈM THEO")
    runs = _runs_by_size(reader)
    narrative = [size for size, t in runs if any(w in t for w in ("Câu ", "Địa bàn", "Ưu điểm", "ĐÁNH GIÁ"))]
    assert narrative and min(narrative) >= 13
    for page in reader.pages:  # no heading left alone at the foot of a page
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        assert lines[-1] not in HEADINGS


def test_a_period_without_written_sections_prints_the_figures_only(seeded, tmp_path) -> None:
    build_scenario(seeded)
    text = "\n".join(p.extract_text() for p in PdfReader(_write(seeded, tmp_path / "bc.pdf")).pages)
    assert "ĐẶC ĐIỂM TÌNH HÌNH" not in text and "SỐ LIỆU KÈM THEO" not in text
    assert "I. SỐ LIỆU TỔNG HỢP" in text


def _fonts_of(paragraph) -> set[tuple[str | None, float | None]]:
    return {(run.font.name, run.font.size.pt if run.font.size else None) for run in paragraph.runs}


def test_word_copy_has_the_decree_layout(written, tmp_path) -> None:
    doc = Document(str(_write(written, tmp_path / "Báo cáo.docx")))
    section = doc.sections[0]
    mm = {k: round(getattr(section, k).mm, 1) for k in ("page_width", "page_height", "top_margin",
                                                           "bottom_margin", "left_margin", "right_margin")}
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml

    header = doc.tables[0]
    assert len(header.columns) == 2 and "w:tblBorders" not in header._tbl.xml
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "CÔNG AN XÃ BÌNH TÂN" in left and "Số: ……/BC-CAX" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right

    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    assert texts.index("BÁO CÁO") < texts.index("I. ĐẶC ĐIỂM TÌNH HÌNH") < texts.index("SỐ LIỆU KÈM THEO")
    for heading in HEADINGS:
        paragraph = paragraphs[texts.index(heading)]
        assert paragraph.paragraph_format.keep_with_next and paragraph.runs[0].font.bold
    assert LONG in texts and "Tình hình an ninh ổn định." in texts
    for paragraph in paragraphs:  # every run in 13–14 pt, 11–12 pt only for "Nơi nhận" and tables
        for size in (s for _n, s in _fonts_of(paragraph) if s is not None):
            assert 13 <= size <= 14, (paragraph.text, size)
    cells = [c for t in doc.tables[1:] for row in t.rows for c in row.cells]
    assert {s for c in cells for p in c.paragraphs for _n, s in _fonts_of(p) if s} <= {11, 12, 13, 14}
    signature = doc.tables[-1].rows[0].cells
    assert "Nơi nhận:" in signature[0].text and "TRƯỞNG CÔNG AN XÃ" in signature[1].text


@pytest.mark.parametrize("name", ["bc.doc", "bc.odt", "bc"])
def test_an_unknown_suffix_is_refused_and_nothing_written(written, tmp_path, name) -> None:
    before = file_digest(written.db.path)
    with pytest.raises(ValidationError) as caught:
        _write(written, tmp_path / name)
    assert ".pdf, .xlsx hoặc .docx" in caught.value.message
    assert not (tmp_path / name).exists()
    assert file_digest(written.db.path) == before



def test_word_copy_has_the_charts_as_pictures(written, tmp_path) -> None:
    """The PDF's four charts, as PNGs drawn by Pillow (core/documents/docx/chart_png.py):
    three under the table per hamlet, one under the models' table."""
    doc = Document(str(_write(written, tmp_path / "Báo cáo.docx")))
    body = doc.element.body
    pictures = [p for p in body.iter() if p.tag.endswith("}inline")]
    assert len(pictures) == 4
    images = [part for part in doc.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 4
    for part in images:
        png = Image.open(io.BytesIO(part.blob))
        assert png.format == "PNG" and png.width > 1000  # 200 dpi across ≈ 16 cm
        assert len(png.convert("RGB").getcolors(maxcolors=1 << 24)) > 16  # drawn: bars, text, not a blank box
    texts = [p.text for p in doc.paragraphs]
    heading_ii, heading_iii = texts.index("II. KẾT QUẢ THEO ẤP"), texts.index("III. CÁC MÔ HÌNH PHÒNG, CHỐNG TỘI PHẠM")
    holders = [n for n, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic")]
    assert [heading_ii < n < heading_iii for n in holders] == [True, True, True, False]


def _picture_places(doc) -> list[bool]:
    """For each picture, whether it stands under the hamlets' table (before part III)."""
    texts = [p.text for p in doc.paragraphs]
    heading_iii = texts.index("III. CÁC MÔ HÌNH PHÒNG, CHỐNG TỘI PHẠM")
    return [n < heading_iii for n, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic")]


def test_word_copy_leaves_out_a_chart_without_figures(written, tmp_path) -> None:
    """No evaluation in the period: no picture of «Chưa có số liệu» under table III (its intro
    says «chưa có»); no hamlet: no rate charts, the meetings per month stay."""
    with written.db.session() as s:
        f = review_figures(s, H1)
    unevaluated = dataclasses.replace(f, models=tuple(dataclasses.replace(m, rating=None) for m in f.models))
    path = tmp_path / "chưa đánh giá.docx"
    write_review_docx(unevaluated, path, issued_on=date(2024, 7, 10))
    doc = Document(str(path))
    assert _picture_places(doc) == [True, True, True]
    assert any("(xếp loại – chưa có)." in p.text for p in doc.paragraphs)
    path = tmp_path / "không có ấp.docx"
    write_review_docx(dataclasses.replace(f, hamlets=()), path, issued_on=date(2024, 7, 10))
    assert _picture_places(Document(str(path))) == [True, False]


def test_word_copy_prints_the_counting_note_once(written, tmp_path) -> None:
    """Under table I only (the PDF too), a little apart from the table's bottom rule."""
    with written.db.session() as s:
        f = review_figures(s, H1)
    doc = Document(str(_write(written, tmp_path / "Báo cáo.docx")))
    note = counting_note(f.total, f.period)
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(note) == 1
    assert texts.index("I. SỐ LIỆU TỔNG HỢP") < texts.index(note) < texts.index("II. KẾT QUẢ THEO ẤP")
    assert doc.paragraphs[texts.index(note)].paragraph_format.space_before >= Pt(4)
