"""``gocong-desktop list KIND --out FILE.xlsx|FILE.pdf``: the command's table given
out as a workbook or a printed list, read back with openpyxl and pypdf."""

from __future__ import annotations

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.core.sync.conftest import dump


def test_households_searched_to_a_workbook_and_a_pdf(run, seeded, tmp_path) -> None:
    seeded.db.close()
    out = tmp_path / "ho.xlsx"
    result = run("list", "households", "--db", seeded.db.path, "--search", "nguyen", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Đã ghi danh sách 2 dòng: {out}"
    rows = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]
    assert rows[0][0] == "DANH SÁCH HỘ GIA ĐÌNH" and rows[1][0] == "tìm «nguyen»"
    assert rows[4][:3] == ["STT", "Chủ hộ", "Năm sinh"]
    assert sorted(r[1] for r in rows[5:]) == ["Nguyễn Thị Bích", "Nguyễn Văn Ba"] and rows[5][2] in (1960, 1966)
    pdf = tmp_path / "to.pdf"
    assert run("list", "groups", "--db", seeded.db.path, "--out", pdf).returncode == 0
    text = PdfReader(pdf).pages[0].extract_text()
    assert "DANH SÁCH TỔ NHÂN DÂN TỰ QUẢN" in text and "Tổ NDTQ số 3" in text


def test_wrong_targets_refused_before_reading(run, seeded, tmp_path) -> None:
    seeded.db.close()
    before = dump(seeded.db.path)
    wrong = run("list", "households", "--db", seeded.db.path, "--out", tmp_path / "ho.docx")
    assert wrong.returncode == 1 and wrong.stderr.strip() == "Lỗi: Tệp «ho.docx» phải có đuôi .xlsx (Excel) hoặc .pdf (để in)."
    itself = run("list", "households", "--db", seeded.db.path, "--out", seeded.db.path)
    assert itself.returncode == 1 and "là một tệp cơ sở dữ liệu" in itself.stderr
    both = run("list", "households", "--db", seeded.db.path, "--json", "--out", tmp_path / "ho.xlsx")
    assert both.returncode == 2
    assert dump(seeded.db.path) == before and not (tmp_path / "ho.xlsx").exists()
