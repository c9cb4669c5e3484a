"""``gocong-desktop report`` and ``list models|evaluations`` run as a user would (in this
process as its own process would: tests/cli/conftest.py ``run``), against the review scenario: exit 0 with the file written, 1 for a
refused period (one Vietnamese line), 2 for wrong usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.core.prevention_scenario import build_scenario
from tests.xlsx_reading import computed


@pytest.fixture
def db_path(seeded) -> Path:
    build_scenario(seeded)
    return seeded.db.path


def test_report_pdf_and_workbook(run, db_path, tmp_path) -> None:
    folder = tmp_path / "Báo cáo xã"
    folder.mkdir()
    pdf = folder / "sơ kết 2024.pdf"
    result = run("report", "--db", db_path, "--period", "2024-H1", "--out", pdf)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Đã ghi báo cáo sơ kết 6 tháng đầu năm 2024 (1 mô hình): {pdf}"
    assert "Camera an ninh ấp Lợi An" in "".join(p.extract_text() for p in PdfReader(pdf).pages)
    xlsx = folder / "tổng kết 2024.xlsx"
    result = run("report", "--db", db_path, "--period", "2024", "--out", xlsx)
    assert result.returncode == 0, result.stderr
    assert load_workbook(xlsx)["Mô hình"]["B5"].value == "Ánh sáng Đồng Sơn"
    assert sorted(p.name for p in folder.iterdir()) == ["sơ kết 2024.pdf", "tổng kết 2024.xlsx"]  # no temp left


def test_report_in_word(run, db_path, tmp_path) -> None:
    from docx import Document

    out = tmp_path / "Sơ kết.DOCX"
    result = run("report", "--db", db_path, "--period", "2024-H1", "--out", out)
    assert result.returncode == 0, result.stderr
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "BÁO CÁO" in texts and "I. SỐ LIỆU TỔNG HỢP" in texts


def test_evaluation_record_and_lists(run, db_path, seeded, tmp_path) -> None:
    result = run("list", "evaluations", "--db", db_path, "--json")
    assert result.returncode == 0, result.stderr
    evaluations = json.loads(result.stdout)
    camera = next(e for e in evaluations if e["model_name"] == "Camera an ninh ấp Lợi An")
    assert (camera["rating"], camera["recommendation_label"], camera["period_kind_label"]) == (
        "Tốt", "Nhân rộng", "6 tháng")
    record = tmp_path / "biên bản.pdf"
    result = run("report", "--db", db_path, "--evaluation", camera["id"], "--out", record)
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(record).pages) <= 2  # never shrunk onto one page (issue 17 point 1)
    result = run("list", "models", "--db", db_path)
    assert result.returncode == 0, result.stderr
    assert "Đã dừng" in result.stdout and "(3 dòng)" in result.stdout


@pytest.mark.parametrize("args, code, words", [
    (["--period", "2024-H3", "--out", "x.pdf"], 1, "Kỳ báo cáo «2024-H3» không hợp lệ"),
    (["--period", "2024", "--out", "x.odt"], 1, "phải có đuôi .pdf, .xlsx hoặc .docx"),
    (["--period", "2024", "--communes", "--out", "x.docx"], 1, "phải có đuôi .pdf hoặc .xlsx"),
    (["--evaluation", "khong-co", "--out", "x.pdf"], 1, "Không tìm thấy lần đánh giá"),
])
def test_report_refusals(run, db_path, tmp_path, args, code, words) -> None:
    result = run("report", "--db", db_path, *args)
    assert result.returncode == code
    assert "Traceback" not in result.stderr and words in result.stderr
    assert not any((Path.cwd() / name).exists() for name in ("x.pdf", "x.odt", "x.docx"))


def test_communes_report_at_the_upper_office_only(run, db_path, seeded, tmp_path) -> None:
    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.upper.aggregate import NOT_UPPER
    from tests.core.sync.conftest import make_upper_office, send

    usb = tmp_path / "USB"
    usb.mkdir()
    upper_path = make_upper_office(tmp_path / "huyện.db")
    upper = open_database(upper_path)
    try:
        send(seeded.db, upper, usb)
    finally:
        upper.close()
    xlsx = tmp_path / "tổng hợp các xã.xlsx"
    result = run("report", "--db", upper_path, "--communes", "--period", "2024-H1", "--out", xlsx)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Đã ghi báo cáo tổng hợp các xã 6 tháng đầu năm 2024 (1 xã): {xlsx}"
    sheet = load_workbook(xlsx)["Theo xã"]
    assert (sheet["A5"].value, sheet["A6"].value) == ("xã Bình Tân", "Tổng cộng")
    assert sheet["C5"].value == computed(sheet, "C6") > 0 and sheet["D5"].value > 0  # households, meetings
    result = run("report", "--db", db_path, "--communes", "--period", "2024-H1",
                 "--out", tmp_path / "x.pdf")
    assert result.returncode == 1 and result.stderr.strip() == f"Lỗi: {NOT_UPPER}"
    assert not (tmp_path / "x.pdf").exists()
