"""The Báo cáo page through its real widgets: a commune office saves the review
report (PDF and Excel), the pledge documents of a year and a group's blank
minutes; an upper office saves the aggregate report; an empty database shows
the page with its buttons off; the main window shows the page for both roles."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import load_workbook  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.services import office, pledges  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.widgets.form_parts import select_data  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from gocong_desktop.gui.reports.page import ReportsPage  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

YEAR = 2025


def _context(db, tmp_path: Path, name: str = "s.ini"):
    create_app()
    return make_context(db, QSettings(str(tmp_path / name), QSettings.Format.IniFormat))


@pytest.fixture
def ctx(seeded, tmp_path):
    with seeded.db.session() as s:
        pledges.open_campaign(s, YEAR, opened_on=date(YEAR, 1, 5))
    context = _context(seeded.db, tmp_path)
    yield context
    context.tasks.wait()


@pytest.fixture
def upper_db(tmp_path):
    database = open_database(tmp_path / "huyen.db", create=True)
    with database.session() as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện",
                            province_name="Tiền Giang")
    yield database
    database.close()


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """Every «Lưu» answers with the next name in ``names`` (in tmp_path); returns the
    list of names the program suggested."""
    names: list[str] = []
    suggested: list[str] = []

    def answer(_parent, _title, proposed, _filter=""):
        suggested.append(Path(proposed).name)
        return str(tmp_path / names.pop(0)), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return names, suggested


def _page(qtbot, ctx) -> ReportsPage:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    settle(page)
    return page


def _saved(qtbot, page, path: Path) -> None:
    qtbot.waitUntil(lambda: str(path) in page.status_label.text(), timeout=8000)


def _text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_commune_saves_review_pdf_and_excel(qtbot, ctx, save_to, tmp_path):
    names, suggested = save_to
    page = _page(qtbot, ctx)
    assert not page.is_upper and not hasattr(page, "aggregate_pdf_button")
    select_data(page.review_period.choice, "H1")
    page.review_period.year.setValue(2024)
    names += ["so-ket.pdf", "so-ket"]  # no suffix typed: it is added
    page.review_pdf_button.click()
    _saved(qtbot, page, tmp_path / "so-ket.pdf")
    assert "SƠ KẾT" in _text(tmp_path / "so-ket.pdf").upper()
    page.review_xlsx_button.click()
    _saved(qtbot, page, tmp_path / "so-ket.xlsx")
    assert suggested == ["Báo cáo sơ kết 6 tháng đầu năm 2024.pdf", "Báo cáo sơ kết 6 tháng đầu năm 2024.xlsx"]
    sheet = load_workbook(tmp_path / "so-ket.xlsx").active
    assert sheet["A1"].value.startswith("Báo cáo sơ kết 6 tháng đầu năm 2024")


def test_commune_saves_pledge_documents(qtbot, ctx, seeded, save_to, tmp_path):
    names, suggested = save_to
    page = _page(qtbot, ctx)
    assert page.year() == YEAR and page.forms_button.isEnabled()
    assert "05/01/2025" in page.pledge_year_note.text()
    ids = [page.register_group.itemData(i)[0] for i in range(page.register_group.count())]
    page.register_group.setCurrentIndex(ids.index(seeded.group_a1))
    names += ["so.pdf", "cam-ket.pdf", "chua-ky.pdf"]
    page.register_button.click()
    _saved(qtbot, page, tmp_path / "so.pdf")
    assert "Nguyễn Văn Ba" in _text(tmp_path / "so.pdf")
    assert "Phạm Văn An" not in _text(tmp_path / "so.pdf")  # another group's household
    page.forms_button.click()
    _saved(qtbot, page, tmp_path / "cam-ket.pdf")
    forms = [p for p in PdfReader(tmp_path / "cam-ket.pdf").pages if "Họ và tên chủ hộ" in p.extract_text()]
    assert len(forms) == len(seeded.households)
    page.not_signed_button.click()
    _saved(qtbot, page, tmp_path / "chua-ky.pdf")
    assert "Nguyễn Thị Bích" in _text(tmp_path / "chua-ky.pdf")
    assert suggested[0] == "Sổ theo dõi cam kết 2025 – Tổ NDTQ số 1.pdf"
    assert suggested[1] == "Bản cam kết 2025 – Toàn xã Bình Tân.pdf"


def test_commune_saves_blank_minutes(qtbot, ctx, seeded, save_to, tmp_path):
    names, suggested = save_to
    page = _page(qtbot, ctx)
    assert page.blank_group.count() == 3 and page.blank_save_button.isEnabled()
    names.append("mau.pdf")
    page.blank_save_button.click()
    _saved(qtbot, page, tmp_path / "mau.pdf")
    assert PdfReader(tmp_path / "mau.pdf").pages
    assert suggested == ["mau-bien-ban-to-1.pdf"]


def test_page_follows_a_new_campaign(qtbot, ctx, seeded):
    page = _page(qtbot, ctx)
    assert page.pledge_year.count() == 1
    ctx.write(pledges.open_campaign, YEAR + 1, parent=page)
    qtbot.waitUntil(lambda: page.pledge_year.count() == 2, timeout=3000)
    assert page.year() == YEAR  # the chosen year stays chosen


def test_empty_database_shows_the_page_with_nothing_to_print(qtbot, db, tmp_path, save_to):
    context = _context(db, tmp_path)
    page = _page(qtbot, context)
    assert page.pledge_year.count() == 0
    assert "Chưa mở đợt cam kết" in page.pledge_year_note.text()
    for button in (page.forms_button, page.register_button, page.not_signed_button, page.blank_view_button,
                   page.blank_save_button):
        assert not button.isEnabled()
    assert page.review_pdf_button.isEnabled()  # a report of an empty period is still a report
    page._on_forms()
    page._on_register()
    page._on_blank_view()
    names, _suggested = save_to
    names.append("trong.xlsx")
    page.review_xlsx_button.click()
    _saved(qtbot, page, tmp_path / "trong.xlsx")
    context.tasks.wait()


def test_upper_page_saves_the_aggregate_report(qtbot, upper_db, tmp_path, save_to):
    context = _context(upper_db, tmp_path, "u.ini")
    page = _page(qtbot, context)
    assert page.is_upper and not hasattr(page, "forms_button")
    assert page.aggregate_pdf_button.isEnabled() and page.aggregate_xlsx_button.isEnabled()
    assert "Chưa nhập gói" in page.communes_label.text()
    names, suggested = save_to
    names += ["tong-hop.pdf", "tong-hop.xlsx"]
    select_data(page.aggregate_period.choice, "Y")
    page.aggregate_period.year.setValue(2024)
    page.aggregate_pdf_button.click()
    _saved(qtbot, page, tmp_path / "tong-hop.pdf")
    assert PdfReader(tmp_path / "tong-hop.pdf").pages
    page.aggregate_xlsx_button.click()
    _saved(qtbot, page, tmp_path / "tong-hop.xlsx")
    assert load_workbook(tmp_path / "tong-hop.xlsx").active["A1"].value.startswith("Báo cáo tổng hợp các xã")
    assert suggested == ["Báo cáo tổng hợp các xã năm 2024.pdf", "Báo cáo tổng hợp các xã năm 2024.xlsx"]
    context.tasks.wait()


def test_main_window_shows_the_reports_page_for_both_roles(qtbot, ctx, upper_db, tmp_path):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.nav.setCurrentRow(win.nav.count() - 1)
    assert isinstance(win.current_page(), ReportsPage) and not win.current_page().is_upper
    win.close()
    upper = MainWindow(_context(upper_db, tmp_path, "u.ini"))
    qtbot.addWidget(upper)
    upper.nav.setCurrentRow(1)
    assert isinstance(upper.current_page(), ReportsPage) and upper.current_page().is_upper
    upper.close()
