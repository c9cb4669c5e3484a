"""Lists as shown on screen, given out: an Excel workbook laid out as every
workbook (read back with openpyxl) and a printed PDF (read back with pypdf)."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from gocong_desktop.core.documents.lists import ListSheet, write_list_pdf, write_list_workbook

SHEET = ListSheet(title="Danh sách hộ gia đình", scope="Ấp Lợi An; tìm «nguyen»",
                  headers=("Chủ hộ", "Năm sinh", "Địa chỉ", "Điện thoại"),
                  rows=(("Nguyễn Văn Ba", 1960, "10 đường liên ấp", "0912345678"),
                        ("=HYPERLINK(\"x\")", None, "", "0987654321")))


def test_workbook_read_back(tmp_path) -> None:
    path = tmp_path / "ds.xlsx"
    assert write_list_workbook(SHEET, path, today=date(2026, 3, 5)) == 2
    sheet = load_workbook(path).active
    assert sheet.title == "Danh sách"
    assert [sheet.cell(r, 1).value for r in (1, 2, 3)] == ["DANH SÁCH HỘ GIA ĐÌNH", "Ấp Lợi An; tìm «nguyen»",
                                                           "Lập ngày 05/03/2026; 2 dòng"]
    header = [c.value for c in sheet[5]]
    assert header == ["STT", "Chủ hộ", "Năm sinh", "Địa chỉ", "Điện thoại"]
    assert [c.value for c in sheet[6]] == [1, "Nguyễn Văn Ba", 1960, "10 đường liên ấp", "0912345678"]
    formula_looking = sheet.cell(7, 2)
    assert formula_looking.value == '=HYPERLINK("x")' and formula_looking.data_type == "s"  # text, never run
    assert sheet.freeze_panes == "C6" and sheet.print_title_rows == "$5:$5"
    assert sheet.cell(6, 2).font.name == "Times New Roman" and sheet.cell(5, 2).font.bold
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4


def test_pdf_read_back(db, tmp_path) -> None:
    path = tmp_path / "ds.pdf"
    with db.session() as s:
        assert write_list_pdf(s, SHEET, path, today=date(2026, 3, 5)) == 2
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    for words in ("DANH SÁCH HỘ GIA ĐÌNH", "Ấp Lợi An; tìm «nguyen»; 2 dòng", "Nguyễn Văn Ba", "1960",
                  "0987654321", "CÔNG AN XÃ BÌNH TÂN"):
        assert words in text, words


def test_empty_list_and_many_rows(db, tmp_path) -> None:
    empty = ListSheet("Danh sách tổ", "", ("Tổ",), ())
    with db.session() as s:
        write_list_pdf(s, empty, tmp_path / "trong.pdf")
        many = ListSheet("Danh sách hộ", "", ("Chủ hộ", "Ấp"), tuple((f"Hộ {i}", "Lợi An") for i in range(300)))
        write_list_pdf(s, many, tmp_path / "nhieu.pdf")
    assert "Danh sách không có dòng nào" in PdfReader(tmp_path / "trong.pdf").pages[0].extract_text()
    pages = PdfReader(tmp_path / "nhieu.pdf").pages
    assert len(pages) > 3 and "Chủ hộ" in pages[-1].extract_text()  # the header repeats
    write_list_workbook(empty, tmp_path / "trong.xlsx")
    assert load_workbook(tmp_path / "trong.xlsx").active.max_row == 4


WIDE = ListSheet(title="Danh sách hộ gia đình", scope="",
                 headers=("Chủ hộ", "Năm sinh", "Địa chỉ", "Ấp", "Tổ", "Nhân khẩu", "Điện thoại"),
                 rows=tuple((f"Nguyễn Thị Ngọc Bích {n}", 1952, "Số 266, Đường tỉnh 872, ấp Bình Phú", "Bình Thành",
                             "Tổ NDTQ số 10", 12, "0912345678") for n in range(30)))


def test_a_wide_list_prints_at_12_pt_with_words_whole_and_years_as_years(db, tmp_path) -> None:
    path = tmp_path / "rong.pdf"
    with db.session() as s:
        write_list_pdf(s, WIDE, path, today=date(2026, 3, 5))
    runs: list[tuple[float, str]] = []
    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=lambda t, _cm, tm, _f, size: runs.append((size * tm[0], t.strip()))
                          if t.strip() else None)
    sizes = [size for size, t in runs if t in {"Nhân", "khẩu", "Nhân khẩu", "1952", "0912345678", "Bình Thành"}]
    assert sizes and min(sizes) >= 12  # tables never under 12 pt
    words = {w for _size, t in runs for w in t.split()}
    assert {"Nhân", "khẩu", "1952", "0912345678", "NDTQ"} <= words  # whole words: a narrow column wraps between them
    assert not words & {"Nhâ", "n", "1.952", "091234567"}


def test_listed_meetings_and_evaluations_read_as_words_and_vietnamese_numbers(demo_files, tmp_path) -> None:
    """A printed list shows a meeting's state in words, not its code, and a score with a
    decimal comma (82, 82,5), as the screen does; the JSON keeps the codes and numbers."""
    import re

    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.documents.lists import records_sheet
    from gocong_desktop.core.services.listing import list_records
    from tests.conftest import as_demo_admin, copy_database

    db = as_demo_admin(open_database(copy_database(demo_files["plain"], tmp_path / "d.db")))
    try:
        with db.session() as s:
            meetings, evaluations = list_records(s, "meetings"), list_records(s, "evaluations")
    finally:
        db.close()
    sheet = records_sheet("meetings", meetings)
    state = sheet.headers.index("Trạng thái")
    assert {row[state] for row in sheet.rows} == {"Bản nháp", "Đã hoàn tất"}
    assert {m["status"] for m in meetings} == {"draft", "final"}
    sheet = records_sheet("evaluations", evaluations)
    score = sheet.headers.index("Điểm")
    assert sheet.rows and all(re.fullmatch(r"\d{1,3}(,\d)?", row[score]) for row in sheet.rows), sheet.rows[:3]
