"""The review report read back: the PDF (A4, embedded fonts, NFC Vietnamese, the
figures) and the Excel workbook (sheets, headers, the same totals as the PDF);
the one-page evaluation record."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from gocong_desktop.core.documents.pdf.evaluation_record import signature_name, write_evaluation_record_pdf
from gocong_desktop.core.documents.pdf.review_report import review_story, value_text, write_review_pdf
from gocong_desktop.core.documents.excel import review_workbook as wb
from gocong_desktop.core.services.evaluation_record import evaluation_record
from gocong_desktop.core.services.review import review_figures, summary_items
from tests.core.prevention_scenario import H1, build_scenario
from tests.xlsx_reading import check_print_layout, computed_rows, note_under

A4 = (595.28, 841.89)


@pytest.fixture
def figures(seeded):
    scenario = build_scenario(seeded)
    with seeded.db.session() as s:
        return review_figures(s, H1), evaluation_record(s, scenario.evaluation_id)


def _lines(path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, [line.strip() for line in text.splitlines() if line.strip()]


def _check_pdf_basics(reader: PdfReader) -> None:
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "Liberation" not in str(font["/BaseFont"]):
                assert font["/BaseFont"] == "/Helvetica"  # reportlab's initial font, never drawn with
                continue
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_review_pdf_reads_back(figures, tmp_path) -> None:
    f, _ = figures
    path = tmp_path / "Báo cáo sơ kết 6 tháng đầu năm 2024.pdf"
    write_review_pdf(f, path, issued_on=date(2024, 7, 10))
    reader, lines = _lines(path)
    _check_pdf_basics(reader)
    text = "\n".join(lines)
    assert unicodedata.is_normalized("NFC", text)
    for expected in ("CÔNG AN XÃ BÌNH TÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO",
                     "Bình Tân, ngày 10 tháng 7 năm 2024", "Số: ……/BC-CAX",
                     "I. SỐ LIỆU TỔNG HỢP", "II. KẾT QUẢ THEO ẤP", "Lợi An", "Đồng Sơn",
                     "Camera an ninh ấp Lợi An", "Nhân rộng", "TRƯỞNG CÔNG AN XÃ", "Nơi nhận:"):
        assert expected in text, expected
    assert "Sơ kết 6 tháng đầu năm 2024" in text.replace("\n", " ")
    assert not any(ch in text for ch in "\u0300\u0301\u0303\u0309\u0323")  # no loose marks


def _pdf_summary(lines: list[str]) -> dict[str, str]:
    """Summary rows print as "n", label, value on lines of their own."""
    values = {}
    for item in summary_items_labels(lines):
        values[item] = lines[lines.index(item) + 1]
    return values


def summary_items_labels(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith(("Số ", "Tỷ lệ ", "Lượt ", "Tuyên truyền –", "Mô hình "))]


def test_workbook_reads_back_with_the_pdf_totals(figures, tmp_path) -> None:
    f, _ = figures
    pdf, xlsx = tmp_path / "bc.pdf", tmp_path / "Báo cáo.xlsx"
    write_review_pdf(f, pdf)
    wb.write_review_workbook(f, xlsx)
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Tổng hợp", "Theo ấp", "Mô hình", "Tuyên truyền"]
    headers = {name: [c.value for c in book[name][wb.HEADER_ROW] if c.value is not None]
               for name in book.sheetnames}
    assert headers == {"Tổng hợp": wb.SUMMARY_HEADERS, "Theo ấp": wb.HAMLET_HEADERS,
                       "Mô hình": wb.MODEL_HEADERS, "Tuyên truyền": wb.PROPAGANDA_HEADERS}
    _, lines = _lines(pdf)
    # Summary: every row of the sheet is printed in the PDF with the same value.
    summary = book["Tổng hợp"]
    rows = computed_rows(summary, wb.HEADER_ROW + 1)  # the table, without the note under it
    assert len(rows) == len(summary_items(f))
    printed = _pdf_summary(lines)
    for _n, label, value in rows:
        percent = "Tỷ lệ" in label
        assert printed[label] == value_text(value * 100 if percent else value, percent=percent), label
    # Hamlets: the total row is the sum of the hamlets and equals the PDF's "Tổng cộng".
    hamlets = computed_rows(book["Theo ấp"], wb.HEADER_ROW + 1)
    total = hamlets[-1]
    assert total[0] == "Tổng cộng"
    assert book["Theo ấp"].cell(wb.HEADER_ROW + len(hamlets), 2).value == f"=SUM(B5:B{3 + len(hamlets)})"
    assert total[1:7] == tuple(sum(r[i] for r in hamlets[:-1]) for i in range(1, 7)) == (3, 7, 4, 3, 8, 10)
    assert (total[8], total[9]) == (4, 6)
    assert (total[7], total[10]) == (pytest.approx(0.8), pytest.approx(4 / 6))  # rates: formulas of the sums
    at = lines.index("Tổng cộng")
    assert lines[at + 1:at + 8] == ["3", "7", "4", "3", "80,0%", "4/6", "66,7%"]
    # Models: the same rows, site total included.
    models = computed_rows(book["Mô hình"], wb.HEADER_ROW + 1)
    assert models[0][1:6] == ("Camera an ninh ấp Lợi An", "Camera an ninh", "Công an xã", "Đang hoạt động", 2)
    assert (models[0][8], models[0][9], models[0][10].date()) == ("Tốt", "Nhân rộng", date(2024, 7, 5))
    assert models[-1][1] == "Tổng cộng" and models[-1][5] == 2
    propaganda = {r[0]: r[2] for r in computed_rows(book["Tuyên truyền"], wb.HEADER_ROW + 1)}
    assert propaganda["Tờ rơi"] == 300 and propaganda["Phát thanh trên loa đài"] == 10
    assert all(unicodedata.is_normalized("NFC", c) for r in models for c in r if isinstance(c, str))
    check_print_layout(xlsx, wb.HEADER_ROW)


def test_workbook_notes_say_what_is_counted(figures, tmp_path) -> None:
    """Issue 17 point 12: each table of the workbook says, under it, what it counts, as the PDF does."""
    from gocong_desktop.core.services.counting_notes import counting_note, models_note

    f, _ = figures
    xlsx = tmp_path / "Báo cáo.xlsx"
    wb.write_review_workbook(f, xlsx)
    book = load_workbook(xlsx)
    notes = {name: note_under(book[name], wb.HEADER_ROW + 1) for name in ("Tổng hợp", "Theo ấp", "Mô hình")}
    assert {name: text for name, (_row, text) in notes.items()} == {
        "Tổng hợp": counting_note(f.total, f.period), "Theo ấp": counting_note(f.total, f.period),
        "Mô hình": models_note(f.period)}
    t = f.total
    assert t.pledges_total != t.households  # the scenario's two household totals differ, and the note says why
    assert ("hộ có trong sổ ngày 30/06/2024" in notes["Theo ấp"][1]
            and f"({t.pledges_total} hộ, khác {t.households} hộ trong sổ" in notes["Theo ấp"][1])
    assert "không phải số hộ trong sổ" in notes["Mô hình"][1]
    for name, (row, _text) in notes.items():
        sheet = book[name]
        cell = sheet.cell(row, 1)
        assert cell.font.i and cell.alignment.wrap_text and cell.data_type == "s", name
        assert f"A{row}:{get_column_letter(sheet.max_column)}{row}" in {
            str(r) for r in sheet.merged_cells.ranges}, name  # across the whole table
        assert sheet.row_dimensions[row].height >= 18, name  # tall enough to read
    assert book["Theo ấp"].column_dimensions["A"].width < 20  # the note does not widen the names' column
    check_print_layout(xlsx, wb.HEADER_ROW)


def test_evaluation_record_flows_unscaled(figures, tmp_path) -> None:
    """Issue 17 point 1: no longer shrunk onto one page; sizes are checked in test_document_layout."""
    _, record = figures
    path = tmp_path / "Biên bản đánh giá.pdf"
    write_evaluation_record_pdf(record, path)
    reader, lines = _lines(path)
    _check_pdf_basics(reader)
    assert len(reader.pages) <= 2
    text = " ".join(lines)
    assert unicodedata.is_normalized("NFC", text)
    for expected in ("BIÊN BẢN", "Đánh giá mô hình “Camera an ninh ấp Lợi An”, 6 tháng đầu năm 2024",
                     "Số: ……/BB-ĐGMH", "Tỷ lệ hộ dự họp", "8/10 (80,0%)", "4/5 (80,0%)",
                     "(phiên bản 1)", "Xếp loại: Tốt (80 điểm)", "nhân rộng", "NGƯỜI ĐÁNH GIÁ", "Trần Minh Tâm"):
        assert expected in text, expected
    assert "«" not in text and "»" not in text  # Vietnamese documents quote with “ ”


@pytest.mark.parametrize("evaluator, name", [
    ("Đ/c Trần Minh Tâm – Trưởng Công an xã", "Trần Minh Tâm"), ("Lê Văn Tư", "Lê Văn Tư"), (None, None)])
def test_signature_name(evaluator, name) -> None:
    assert signature_name(evaluator) == name


def test_tables_say_what_they_count(figures, tmp_path) -> None:
    """Drafts counted among meetings and the two household figures are said under the tables."""
    from gocong_desktop.core.services.review import counting_note

    f, _ = figures
    t = f.total
    note = counting_note(f.total, f.period)
    assert "hộ có trong sổ ngày 30/06/2024" in note and "không tính hộ đã chuyển đi" in note
    drafts = t.meetings - t.meetings_final
    assert (f"kể cả {drafts} buổi chưa hoàn tất biên bản" in note) if drafts else ("đều đã hoàn tất" in note)
    if t.pledges_total != t.households:
        assert f"khác {t.households} hộ trong sổ" in note
    path = tmp_path / "bc.pdf"
    write_review_pdf(f, path, issued_on=date(2024, 7, 10))
    flat = " ".join(" ".join(_lines(path)[1]).split())
    # Once, under table I where the figures are first counted: table II counts the same way.
    assert flat.count("Ghi chú: buổi sinh hoạt:") == 1
    assert flat.index("I. SỐ LIỆU TỔNG HỢP") < flat.index("Ghi chú: buổi sinh hoạt:") < flat.index("II. KẾT QUẢ THEO ẤP")
    notes = [f for f in review_story(f, date(2024, 7, 10)) if isinstance(f, Paragraph) and "Ghi chú:" in f.text]
    assert len(notes) == 1 and notes[0].getSpaceBefore() >= 4  # off the table's bottom rule


def test_review_pdf_draws_the_charts(figures, tmp_path) -> None:
    """The start page's charts, drawn for the period: titles, hamlet and month labels, values."""
    f, _ = figures
    path = tmp_path / "bc.pdf"
    write_review_pdf(f, path, issued_on=date(2024, 7, 10))
    _, lines = _lines(path)
    for title in ("Tỷ lệ hộ ký cam kết năm 2024 theo ấp", "Tỷ lệ hộ dự họp theo ấp (6 tháng đầu năm 2024)",
                  "Số buổi sinh hoạt tổ theo tháng (6 tháng đầu năm 2024)",
                  "Số mô hình theo xếp loại (đánh giá trong 6 tháng đầu năm 2024)"):
        assert title in lines, title
    months = lines.index("Số buổi sinh hoạt tổ theo tháng (6 tháng đầu năm 2024)")
    assert ["T1", "2024", "T2", "T3", "T4", "T5", "T6"] == [
        line for line in lines[months:] if line.startswith("T") or line == "2024"][:7]
    assert "100%" in lines and "50,0%" in lines  # the value axis; Đồng Sơn's coverage on its bar
    assert f.meetings_by_month == tuple((date(2024, m, 1), n) for m, n in
                                        ((1, 0), (2, 1), (3, 1), (4, 0), (5, 1), (6, 1)))


def _base_fonts(reader: PdfReader) -> set[str]:
    """The fonts the pages use, without a subset's tag ("/ABCDEF+LiberationSerif")."""
    return {str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1] for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}


def test_review_pdf_charts_are_in_the_documents_serif(figures, tmp_path) -> None:
    """Nghị định 30's Times-like serif throughout: the charts were in Liberation Sans."""
    f, _ = figures
    path = tmp_path / "bc.pdf"
    write_review_pdf(f, path, issued_on=date(2024, 7, 10))
    reader, lines = _lines(path)
    assert "Tỷ lệ hộ ký cam kết năm 2024 theo ấp" in lines  # the charts are there
    assert {name for name in _base_fonts(reader) if name != "Helvetica"} <= {
        "LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"}


RATINGS_TITLE = "Số mô hình theo xếp loại (đánh giá trong 6 tháng đầu năm 2024)"
RATE_TITLES = ("Tỷ lệ hộ ký cam kết năm 2024 theo ấp", "Tỷ lệ hộ dự họp theo ấp (6 tháng đầu năm 2024)")


def test_a_chart_without_figures_is_left_out_of_the_pdf(figures, tmp_path) -> None:
    """No evaluation in the period: no half page of «Chưa có số liệu» under table III, whose
    intro already says «chưa có»; no hamlet (or no rate in any): no rate charts."""
    f, _ = figures
    unevaluated = dataclasses.replace(f, models=tuple(dataclasses.replace(m, rating=None) for m in f.models))
    no_hamlets = dataclasses.replace(f, hamlets=())
    for case, gone, kept in ((unevaluated, (RATINGS_TITLE,), RATE_TITLES),
                             (no_hamlets, RATE_TITLES, (RATINGS_TITLE,))):
        path = tmp_path / "bc.pdf"
        write_review_pdf(case, path, issued_on=date(2024, 7, 10))
        _, lines = _lines(path)
        assert "Chưa có số liệu" not in lines
        assert not any(title in lines for title in gone) and all(title in lines for title in kept)
        assert "Số buổi sinh hoạt tổ theo tháng (6 tháng đầu năm 2024)" in lines
        if case is unevaluated:
            assert "(xếp loại – chưa có)." in " ".join(lines)


FILLER = "Các tổ sinh hoạt đều. "  # a third of a line: a few more move what follows by at most one line


def _table_pages(f, sentences: int) -> tuple[int, int, int]:
    """The pages of table I's first, next-to-last and last rows, after ``sentences`` of narrative."""
    out = io.BytesIO()
    write_review_pdf(f, out, issued_on=date(2024, 7, 10), narrative={"situation": FILLER * sentences})
    pages = [{line.strip() for line in page.extract_text().splitlines()} for page in PdfReader(out).pages]
    labels = [item.label for item in summary_items(f)]
    return tuple(next(n for n, lines in enumerate(pages) if label in lines)  # type: ignore[return-value]
                 for label in (labels[0], labels[-2], labels[-1]))


def test_table_i_never_leaves_its_last_row_alone_on_a_page(figures) -> None:
    """The narrative grows a line at a time until table I's last row no longer fits on the
    page where the table starts: the row that goes over takes the one before it along."""
    f, _ = figures
    # Sentences of narrative (some 3 a line) that leave table I whole on page 2, and that
    # push its end onto page 3: the search runs between the two.
    fits, over = 120, 210
    first, _, last = _table_pages(f, fits)
    assert first == last and _table_pages(f, over)[::2] == (first, first + 1), "the layout moved: new bounds"
    while over - fits > 1:  # the fewest sentences that push the last row over
        middle = (fits + over) // 2
        if _table_pages(f, middle)[2] == first:
            fits = middle
        else:
            over = middle
    first_row, next_to_last, last = _table_pages(f, over)
    assert (first_row, last) == (first, first + 1) and next_to_last == last
