"""Importing a commune's existing household list (.xlsx, .csv): the form's rules
per row, matching to update instead of duplicating, all or nothing, and bad
files refused with a clear message and the database unchanged (issue 18)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlmodel import select

from gocong_desktop.core.db.models import AuditEntry, Household
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import household_import as hi
from gocong_desktop.core.services import audit_log, households, pledges
from gocong_desktop.core.services.households import HouseholdInput
from tests.core.household_lists import edit_sheet, write_csv, write_xlsx, write_zip_bomb
from tests.core.sync.conftest import dump


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def preview(db, path, chosen=None):
    table = hi.read_table(path)
    with db.session() as s:
        return hi.plan_import(s, table, hi.mapping_for(table, chosen))


def run_import(db, path, *, skip=False, chosen=None):
    table = hi.read_table(path)
    with db.session() as s:
        return hi.import_households(s, table, hi.mapping_for(table, chosen), skip_refused=skip)


def stored(db, name):
    with db.session() as s:
        return s.exec(select(Household).where(Household.head_name == name)).one()


NEW = [1, "Lê Văn Tám", 1975, "Nam", "Lợi An", "Tổ 1", "12 đường Trung tâm", 912345678, 4]
BA_AGAIN = [2, "nguyen van ba", "1960", None, "ấp Lợi An", 1, None, "0987654321", 5]


# --------------------------------------------------------------------------- the happy path

def test_xlsx_adds_new_and_updates_matched_households(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW, BA_AGAIN])
    plan = preview(seeded.db, path)
    assert [(r.line, r.action) for r in plan.rows] == [(3, hi.ADD), (4, hi.UPDATE)]  # a title line above
    assert "điện thoại" in plan.rows[1].message and "số nhân khẩu" in plan.rows[1].message
    report = run_import(seeded.db, path)
    assert (len(report.added_ids), len(report.updated_ids)) == (1, 1)
    tam = stored(seeded.db, "Lê Văn Tám")
    assert (tam.birth_year, tam.gender, tam.phone, tam.members, tam.group_id) == (
        1975, "nam", "0912345678", 4, seeded.group_a1)  # the phone's leading 0 Excel dropped is back
    ba = stored(seeded.db, "Nguyễn Văn Ba")  # updated, not duplicated; blank cells keep what was stored
    assert (ba.id, ba.phone, ba.members, ba.address) == (seeded.households["Nguyễn Văn Ba"], "0987654321", 5,
                                                         "10 đường liên ấp")
    with seeded.db.session() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == hi.AUDIT_ACTION)).one()
        shown = next(r for r in audit_log.list_entries(s) if r.action == hi.AUDIT_ACTION)
    assert entry.record_id == "ds.xlsx" and shown.action_label == "Nhập danh sách hộ"
    assert shown.changes.startswith("Tệp: (trống) → ds.xlsx; Số hộ thêm: (trống) → 1; Số hộ cập nhật:")


def test_new_households_join_the_open_campaign(seeded, tmp_path) -> None:
    year = date.today().year
    with seeded.db.session() as s:
        pledges.open_campaign(s, year, opened_on=date(year, 1, 5))
    run_import(seeded.db, write_xlsx(tmp_path / "ds.xlsx", [NEW, BA_AGAIN]))
    with seeded.db.session() as s:
        asked = {r.household_name for r in pledges.list_pledges(s, year)}
    assert "Lê Văn Tám" in asked and len(asked) == 8  # as a household added by hand joins it


def test_importing_the_same_list_again_changes_nothing(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW, BA_AGAIN])
    run_import(seeded.db, path)
    assert [r.action for r in preview(seeded.db, path).rows] == [hi.SAME, hi.SAME]


def test_preview_changes_nothing(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW, BA_AGAIN])
    before = dump(seeded.db.path)
    preview(seeded.db, path)
    assert dump(seeded.db.path) == before


def test_csv_semicolons_and_utf8_bom(seeded, tmp_path) -> None:
    path = write_csv(tmp_path / "ds.csv", [NEW])
    table = hi.read_table(path)
    assert "UTF-8" in table.description and "«;»" in table.description
    run_import(seeded.db, path)
    assert stored(seeded.db, "Lê Văn Tám").phone == "0912345678"


def test_csv_in_windows_1258_with_commas(seeded, tmp_path) -> None:
    row = [1, "Lê Văn Tám", "1975", "Nam", "Đồng Sơn", "3", "", "", "2"]
    path = write_csv(tmp_path / "ds.csv", [row], delimiter=",", encoding="cp1258")
    table = hi.read_table(path)
    assert "Windows-1258" in table.description and "«,»" in table.description
    run_import(seeded.db, path)
    assert stored(seeded.db, "Lê Văn Tám").hamlet_id == seeded.hamlet_b


def test_nfd_text_is_stored_nfc_and_matches(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [[1, nfd("Nguyễn Thị Mới"), 1980, nfd("Nữ"), nfd("Đồng Sơn"), 3,
                                              nfd("ấp Đồng Sơn"), None, 3],
                                             [2, nfd("Võ Thị Ánh"), 1964, None, nfd("Lợi An"), 2, None, None, 6]])
    plan = preview(seeded.db, path)
    assert [r.action for r in plan.rows] == [hi.ADD, hi.UPDATE]
    run_import(seeded.db, path)
    new = stored(seeded.db, "Nguyễn Thị Mới")
    assert (new.gender, new.address) == ("nu", "ấp Đồng Sơn")
    assert stored(seeded.db, "Võ Thị Ánh").members == 6


def test_dates_and_years_as_text_or_excel_dates(seeded, tmp_path) -> None:
    rows = [[1, "Hộ Một", "1975", None, "Lợi An", None, None, None, None],
            [2, "Hộ Hai", "01/02/1976", None, "Lợi An", None, None, None, None],
            [3, "Hộ Ba", datetime(1977, 3, 4), None, "Lợi An", None, None, None, None],
            [4, "Hộ Bốn", "mười", None, "Lợi An", None, None, None, None]]
    plan = preview(seeded.db, write_xlsx(tmp_path / "ds.xlsx", rows))
    assert [r.data.birth_year for r in plan.rows[:3]] == [1975, 1976, 1977]
    assert plan.rows[0].data.members == 1  # blank: one, as the form starts
    assert plan.rows[3].action == hi.REFUSED and "Năm sinh «mười»" in plan.rows[3].message


def test_rows_checked_by_the_form_rules(seeded, tmp_path) -> None:
    rows = [[1, "Hộ Một", 1975, None, "Long Hòa", None, None, None, 2],
            [2, "Hộ Hai", 1975, None, "Lợi An", 3, None, None, 2],
            [3, "Hộ Ba", 1975, None, "Lợi An", None, None, "12345", 2],
            [4, "Hộ Bốn", 1975, "x", "Lợi An", None, None, None, 2],
            [5, "", 1975, None, "Lợi An", None, None, None, 2]]
    messages = [r.message for r in preview(seeded.db, write_xlsx(tmp_path / "ds.xlsx", rows)).rows]
    assert "Không có ấp «Long Hòa»" in messages[0]
    assert "không thuộc ấp Lợi An" in messages[1]  # tổ 3 is Đồng Sơn's, as the form says
    assert "Số điện thoại «12345»" in messages[2]
    assert "Giới tính" in messages[3]
    assert "Chưa nhập họ tên chủ hộ" in messages[4]


# --------------------------------------------------------------------------- matching

def test_ambiguous_match_and_duplicate_rows_refused(seeded, tmp_path) -> None:
    with seeded.db.session() as s:
        for _ in range(2):
            households.create_household(s, HouseholdInput(head_name="Trần Văn Hai", hamlet_id=seeded.hamlet_a,
                                                          birth_year=1950))
    rows = [[1, "Trần Văn Hai", 1950, None, "Lợi An", None, None, None, 3],
            [2, "Lê Văn Tám", 1975, None, "Lợi An", None, None, None, 3],
            [3, "LE VAN TAM", 1975, None, "loi an", None, None, None, 4]]
    plan = preview(seeded.db, write_xlsx(tmp_path / "ds.xlsx", rows))
    assert plan.rows[0].action == hi.REFUSED and "Có 2 hộ cùng họ tên" in plan.rows[0].message
    assert plan.rows[2].action == hi.REFUSED and "dòng 4" in plan.rows[2].message


def test_a_year_on_one_side_only_still_matches_the_one_household(seeded, tmp_path) -> None:
    with seeded.db.session() as s:
        households.create_household(s, HouseholdInput(head_name="Mai Văn Năm", hamlet_id=seeded.hamlet_b))
        for year in (1950, 1980):
            households.create_household(s, HouseholdInput(head_name="Lý Thị Sáu", hamlet_id=seeded.hamlet_b,
                                                          birth_year=year))
    rows = [[1, "Mai Văn Năm", 1955, None, "Đồng Sơn", None, None, None, 4],  # the register had no year
            [2, "Nguyễn Thị Bích", None, None, "Đồng Sơn", None, None, None, 5],  # the list has none
            [3, "Lý Thị Sáu", None, None, "Đồng Sơn", None, None, None, 2],  # two of them: which?
            [4, "Lý Thị Sáu", 1990, None, "Đồng Sơn", None, None, None, 2]]  # neither: a new one
    plan = preview(seeded.db, write_xlsx(tmp_path / "ds.xlsx", rows))
    assert [r.action for r in plan.rows] == [hi.UPDATE, hi.UPDATE, hi.REFUSED, hi.ADD]
    assert "năm sinh" in plan.rows[0].message and "Có 2 hộ cùng họ tên và ấp" in plan.rows[2].message
    run_import(seeded.db, write_xlsx(tmp_path / "ds2.xlsx", rows[:2]))
    assert stored(seeded.db, "Mai Văn Năm").birth_year == 1955
    assert stored(seeded.db, "Nguyễn Thị Bích").members == 5


def test_a_refused_row_stops_everything_unless_skipped(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW, [2, "Hộ Lỗi", 1975, None, "Không Có", None, None, None, 1]])
    before = dump(seeded.db.path)
    with pytest.raises(hi.RowsRefused) as err:
        run_import(seeded.db, path)
    assert "Chưa nhập gì: 1 dòng có lỗi (dòng 4: Không có ấp «Không Có»" in err.value.message
    assert dump(seeded.db.path) == before
    report = run_import(seeded.db, path, skip=True)
    assert (len(report.added_ids), len(report.plan.refused)) == (1, 1)
    assert "thêm 1 hộ" in report.plan.summary() and "bỏ qua 1 dòng lỗi" in report.plan.summary()


# --------------------------------------------------------------------------- columns

def test_columns_chosen_and_remembered(seeded, tmp_path) -> None:
    headers = ["Người đứng tên", "Sinh", "Thôn/ấp", "Ghi chú khác"]
    path = write_xlsx(tmp_path / "ds.xlsx", [["Lê Văn Tám", 1975, "Lợi An", "x"]], headers, titles=())
    table = hi.read_table(path)
    assert hi.mapping_for(table) == [hi.IGNORED, hi.IGNORED, "hamlet", "notes"]
    with pytest.raises(ValidationError, match="Không tìm thấy cột «Họ và tên chủ hộ»"):
        preview(seeded.db, path)
    chosen = hi.parse_mapping_text("Người đứng tên=chủ hộ, sinh=birth_year, Ghi chú khác=bỏ qua")
    mapping = hi.mapping_for(table, chosen)
    assert mapping == ["head_name", "birth_year", "hamlet", hi.IGNORED]
    hi.remember_mapping(table.headers, mapping)
    assert hi.mapping_for(table) == mapping  # the next list with these headers maps itself
    # A remembered choice wins over a guess for another column ("Họ tên" would be guessed).
    assert hi.guess_mapping(["Họ tên", "Người đứng tên"], hi.remembered()) == [hi.IGNORED, "head_name"]
    with pytest.raises(ValidationError, match="Không có thông tin «tuổi»"):
        hi.parse_mapping_text("Sinh=tuổi")
    with pytest.raises(ValidationError, match="Tệp không có cột «khong co»"):
        hi.mapping_for(table, hi.parse_mapping_text("Không có=ấp"))


def test_wrong_columns_refused(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [["a", "b", "c"]], ["Mã", "Số tiền", "Ngày"], titles=())
    with pytest.raises(ValidationError) as err:
        preview(seeded.db, path)
    assert "Không tìm thấy cột «Họ và tên chủ hộ» và «Ấp»" in err.value.message
    assert "«Mã», «Số tiền», «Ngày»" in err.value.message


# --------------------------------------------------------------------------- bad files

def _refused(db, path, words: str) -> None:
    before = dump(db.path)
    with pytest.raises(ValidationError) as err:
        run_import(db, path)
    assert words in err.value.message, err.value.message
    assert dump(db.path) == before


def test_empty_files_refused(seeded, tmp_path) -> None:
    Workbook().save(tmp_path / "trong.xlsx")
    (tmp_path / "trong.csv").write_bytes(b"")
    (tmp_path / "trang.csv").write_text("\n ; \n", encoding="utf-8")
    for name in ("trong.xlsx", "trong.csv", "trang.csv"):
        _refused(seeded.db, tmp_path / name, "không có dữ liệu")
    _refused(seeded.db, write_xlsx(tmp_path / "tieu-de.xlsx", []), "chỉ có dòng tiêu đề")
    two = Workbook()
    two.active.title = "Bìa"
    two.create_sheet("Danh sách").append(["Chủ hộ", "Ấp"])
    two.save(tmp_path / "hai-trang.xlsx")
    _refused(seeded.db, tmp_path / "hai-trang.xlsx", "Trang đầu tiên «Bìa» của tệp «hai-trang.xlsx» không có dữ liệu")


def test_too_many_rows_refused_before_anything(seeded, tmp_path) -> None:
    rows = [[i, f"Hộ {i}", 1970, None, "Lợi An", None, None, None, 1] for i in range(100_000)]
    _refused(seeded.db, write_csv(tmp_path / "lon.csv", rows), "hơn 20.000 dòng")


def test_the_largest_list_accepted_counts_households_not_titles(tmp_path) -> None:
    rows = [[i, f"Hộ {i}", 1970, None, "Lợi An", None, None, None, 1] for i in range(hi.MAX_ROWS)]
    path = write_csv(tmp_path / "du.csv", rows)
    text = path.read_text(encoding="utf-8-sig")  # a title line above the header, as lists have
    path.write_text("DANH SÁCH HỘ GIA ĐÌNH\n" + text, encoding="utf-8-sig")
    assert len(hi.read_table(path).rows) == hi.MAX_ROWS
    with open(path, "a", encoding="utf-8") as f:
        f.write("x;Hộ thừa;1970;;Lợi An;;;;1\n")
    with pytest.raises(ValidationError, match="hơn 20.000 dòng"):
        hi.read_table(path)


def test_a_csv_of_blank_lines_is_not_read_to_the_end(seeded, tmp_path) -> None:
    path = write_csv(tmp_path / "trang.csv", [NEW])
    path.write_bytes(path.read_bytes() + b";;\n" * (5 * hi.MAX_ROWS + 1))
    _refused(seeded.db, path, "hơn 20.000 dòng")


def test_stray_cells_far_right_or_far_down(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW], formulas={"XFD3": "xa", "AZ3": "ngoài bảng"})
    assert [r.action for r in preview(seeded.db, path).rows] == [hi.ADD]  # beyond 40 columns: not read
    far = write_xlsx(tmp_path / "xa.xlsx", [NEW], formulas={"A1048576": "cuối trang"})
    _refused(seeded.db, far, "hơn 20.000 dòng")


def test_too_many_rows_in_a_workbook(seeded, tmp_path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Chủ hộ", "Ấp"])
    for i in range(hi.MAX_ROWS + 1):
        sheet.append([f"Hộ {i}", "Lợi An"])
    workbook.save(tmp_path / "lon.xlsx")
    _refused(seeded.db, tmp_path / "lon.xlsx", "hơn 20.000 dòng")


def test_formulas_refused_per_row(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW, BA_AGAIN], formulas={"C3": "=1950+25", "A4": "=A3+1"})
    plan = preview(seeded.db, path)
    assert plan.rows[0].action == hi.REFUSED and "Ô C3 chứa công thức «=1950+25»" in plan.rows[0].message
    assert plan.rows[1].action == hi.UPDATE  # a formula in an unused column (STT) harms nothing
    _refused(seeded.db, path, "công thức")


def test_merged_cells_refused_per_row(seeded, tmp_path) -> None:
    rows = [NEW, [2, "Hộ Hai", 1980, None, None, 1, None, None, 2], BA_AGAIN]
    path = write_xlsx(tmp_path / "ds.xlsx", rows, merged=["E4:E5"], titles=("DANH SÁCH", "ấp Lợi An"))
    plan = preview(seeded.db, path)
    assert [r.action for r in plan.rows] == [hi.REFUSED, hi.REFUSED, hi.UPDATE]
    assert "Ô gộp E4:E5" in plan.rows[1].message and "bỏ gộp" in plan.rows[1].message
    _refused(seeded.db, path, "Ô gộp")


def test_zip_bomb_refused_unread(seeded, tmp_path) -> None:
    path = write_zip_bomb(tmp_path / "bom.xlsx")
    assert path.stat().st_size < 1024 * 1024
    _refused(seeded.db, path, "bom nén")


def test_not_a_workbook_refused(seeded, tmp_path) -> None:
    (tmp_path / "rac.xlsx").write_bytes(b"PK\x03\x04 not really a zip" * 10)
    (tmp_path / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    (tmp_path / "cu.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    (tmp_path / "anh.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "nhi-phan.csv").write_bytes(b"a;b\x00c\n")
    _refused(seeded.db, tmp_path / "rac.xlsx", "không phải tệp Excel (.xlsx) đọc được")
    _refused(seeded.db, tmp_path / "cu.xlsx", "Excel 97-2003 (.xls)")
    _refused(seeded.db, tmp_path / "cu.xls", "không phải .xlsx hay .csv")
    _refused(seeded.db, tmp_path / "anh.png", "không phải .xlsx hay .csv")
    _refused(seeded.db, tmp_path / "nhi-phan.csv", "không phải tệp CSV")
    _refused(seeded.db, tmp_path / "khong-co.xlsx", "không tồn tại")


def test_huge_cells_refused(seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [[1, "Nguyễn " * 1000, 1975, None, "Lợi An", None, None, None, 1]])
    plan = preview(seeded.db, path)
    assert plan.rows[0].action == hi.REFUSED and "Ô dài 7.000 ký tự (tối đa 1.000) ở ô B3" in plan.rows[0].message
    _refused(seeded.db, path, "Ô dài")
    big = write_csv(tmp_path / "ds.csv", [[1, "x" * 200_000, 1975, None, "Lợi An", None, None, None, 1]])
    _refused(seeded.db, big, "sai định dạng CSV ở dòng 2")


def test_a_file_over_the_size_limit_is_not_read(seeded, tmp_path, monkeypatch) -> None:
    from gocong_desktop.core.services.household_import import table

    monkeypatch.setattr(table, "MAX_FILE_BYTES", 1024)
    path = write_csv(tmp_path / "ds.csv", [NEW] * 40)
    _refused(seeded.db, path, "quá lớn")


def test_a_workbook_packed_with_another_method_is_refused(seeded, tmp_path) -> None:
    """Excel stores or deflates its parts; a part packed otherwise (bzip2 here, or a method
    the zip module does not know) is refused before the workbook is opened."""
    import zipfile

    plain = write_xlsx(tmp_path / "goc.xlsx", [("Nguyễn Văn Mười", 1970, "Lợi An", "Tổ 1")])
    odd = tmp_path / "bzip2.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(odd, "w", zipfile.ZIP_BZIP2) as target:
        for part in source.infolist():
            target.writestr(part.filename, source.read(part))
    _refused(seeded.db, odd, "không phải tệp Excel (.xlsx) đọc được")


def test_merge_markup_inside_an_xml_comment_is_not_a_merge(seeded, tmp_path) -> None:
    """Merged ranges are the sheet's <mergeCell> elements as the XML parser reads them: a
    comment quoting one, or full of «<mergeCell » (once quadratic work), is only text."""
    comment = '<!-- <mergeCell ref="E3:E4"/> ' + "<mergeCell " * 3_000 + "-->"
    path = edit_sheet(write_xlsx(tmp_path / "goc.xlsx", [NEW, BA_AGAIN]), tmp_path / "chu-thich.xlsx",
                      lambda xml: xml.replace("<sheetData>", comment + "<sheetData>", 1))
    assert [r.action for r in preview(seeded.db, path).rows] == [hi.ADD, hi.UPDATE]


def test_merged_ranges_still_read_when_declared_with_a_prefix(seeded, tmp_path) -> None:
    """The same ranges written with a namespace prefix (valid XML, as other tools write it)."""
    rows = [NEW, [2, "Hộ Hai", 1980, None, None, 1, None, None, 2]]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    merge = f'<x:mergeCells xmlns:x="{main}" count="1"><x:mergeCell ref="E3:E4"/></x:mergeCells>'
    path = edit_sheet(write_xlsx(tmp_path / "goc.xlsx", rows), tmp_path / "gop.xlsx",
                      lambda xml: xml.replace("</sheetData>", "</sheetData>" + merge, 1))
    plan = preview(seeded.db, path)
    assert [r.action for r in plan.rows] == [hi.REFUSED, hi.REFUSED]
    assert "Ô gộp E3:E4" in plan.rows[0].message


def test_many_overlapping_merged_ranges_are_marked_once_per_row(seeded, tmp_path) -> None:
    """Each range used to walk every line it spans: thousands of ranges over the whole list
    marked the same rows again and again."""
    rows = [[i, f"Hộ {i}", 1970, None, "Lợi An", None, None, None, 1] for i in range(200)]
    spans = "".join(f'<mergeCell ref="E{3 + i % 7}:E202"/>' for i in range(5_000))
    merge = f'<mergeCells count="5000">{spans}</mergeCells>'
    path = edit_sheet(write_xlsx(tmp_path / "goc.xlsx", rows), tmp_path / "gop.xlsx",
                      lambda xml: xml.replace("</sheetData>", "</sheetData>" + merge, 1))
    plan = preview(seeded.db, path)
    assert {r.action for r in plan.rows} == {hi.REFUSED}
    assert "Ô gộp E3:E202" in plan.rows[0].message and "Ô gộp E3:E202" in plan.rows[-1].message


@pytest.mark.parametrize("cell", [
    '<c r="C3" t="n"><v>NaN</v></c>',  # not a number
    '<c r="C3" t="d"><v>99999-01-01</v></c>',  # a date no calendar has
    '<c r="C3" t="s"><v>999999</v></c>',  # a shared text that is not in the workbook
], ids=["nan", "iso-date", "shared-string"])
def test_a_damaged_cell_is_named(seeded, tmp_path, cell) -> None:
    """A value openpyxl cannot read refuses the whole file, saying which cell and what to do."""
    path = edit_sheet(write_xlsx(tmp_path / "goc.xlsx", [NEW]), tmp_path / "hong.xlsx",
                      lambda xml: xml.replace('<c r="C3" t="n"><v>1975</v></c>', cell, 1))
    _refused(seeded.db, path, "Ô C3 trên trang «Danh sách» của tệp «hong.xlsx» bị hỏng")
    _refused(seeded.db, path, "gõ lại ô này")


def test_a_refused_row_is_shown_without_the_hidden_characters_it_is_refused_for(seeded, tmp_path) -> None:
    """A right-to-left override in a cell would reorder the message quoting it (CLI, preview,
    the refusal): the row is named with it shown as «?», and the reason still says which."""
    rows = [[1, "Trần \u202eVăn Mười", 1970, None, "Lợi An", None, None, None, 4],
            [2, "Lê Văn Tám", "19\u202e75", None, "Lợi\u00a0An", None, None, None, 4]]
    plan = preview(seeded.db, write_xlsx(tmp_path / "ds.xlsx", rows))
    first, second = plan.rows
    assert (first.action, second.action) == (hi.REFUSED, hi.REFUSED)
    assert first.head_name == "Trần ?Văn Mười" and "(U+202E)" in first.message
    assert second.message.startswith("Năm sinh «19?75» không hiểu được") and second.hamlet == "Lợi An"
    with pytest.raises(ValidationError) as refused:
        run_import(seeded.db, tmp_path / "ds.xlsx")
    assert "\u202e" not in refused.value.message and "dòng 4: Năm sinh «19?75»" in refused.value.message


def test_column_names_are_quoted_without_hidden_characters(tmp_path) -> None:
    """Column names are quoted in the preview, the CLI's «Cột: …» line and the missing-column
    refusal: a direction override there is shown as «?» too."""
    headers = ["STT", "Họ và tên chủ hộ", "Ấp", "Ghi \u202echú", "Số\u200bnhà"]
    table = hi.read_table(write_xlsx(tmp_path / "ds.xlsx", [[1, "Lê Văn Tám", "Lợi An", "x", "5"]], headers=headers))
    assert table.headers == ["STT", "Họ và tên chủ hộ", "Ấp", "Ghi ?chú", "Số?nhà"]


def test_a_row_written_twice_or_out_of_order_is_refused_as_damage(seeded, tmp_path) -> None:
    """Excel writes each row once, in order; a sheet repeating a row number (the same
    household counted twice under one line number) is not one Excel made."""
    def repeat_third_row(xml: str) -> str:
        start = xml.index('<row r="3"')
        end = xml.index("</row>", start) + len("</row>")
        return xml[:end] + xml[start:end] + xml[end:]

    path = edit_sheet(write_xlsx(tmp_path / "goc.xlsx", [NEW, BA_AGAIN]), tmp_path / "lap.xlsx", repeat_third_row)
    _refused(seeded.db, path, "bị hỏng")


def test_rows_past_the_declared_dimension_are_read(seeded, tmp_path) -> None:
    """A sheet's <dimension> is a hint some tools write wrong: every row is read."""
    path = edit_sheet(write_xlsx(tmp_path / "goc.xlsx", [NEW, BA_AGAIN]), tmp_path / "kich-thuoc.xlsx",
                      lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', xml))
    assert [r.action for r in preview(seeded.db, path).rows] == [hi.ADD, hi.UPDATE]
