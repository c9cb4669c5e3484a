"""«Xuất Excel…» and «In danh sách…» on the list pages: what the list shows
with its filters applied — every row, even those a paged list has not read
yet — read back from the workbook (openpyxl) and from the printed PDF."""

from __future__ import annotations

import os
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402

from PySide6.QtCore import QSettings  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.services import office, pledges  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog  # noqa: E402
from gocong_desktop.gui.groups.page import GroupsPage  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
from gocong_desktop.gui.meetings.page import MeetingsPage  # noqa: E402
from gocong_desktop.gui.pledges.page import PledgesPage  # noqa: E402
from gocong_desktop.gui.prevention.page import PreventionPage  # noqa: E402
from gocong_desktop.gui.sync.upper import UpperSyncPanel  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """The save dialog answers with a file in tmp_path."""
    target = tmp_path / "Danh sách" / "xuat.xlsx"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    return target


@pytest.fixture
def upper_ctx(tmp_path):
    path = tmp_path / "huyen.db"
    database = open_database(path, create=True)
    with database.session(actor="tester") as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện",
                            province_name="Tiền Giang")
    create_app()
    context = make_context(database, QSettings(str(tmp_path / "huyen.ini"), QSettings.Format.IniFormat))
    yield context
    context.tasks.wait()
    database.close()


def _shown(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    settle(page)
    return page


def _export(qtbot, page, target) -> list[list]:
    when_shown(QMessageBox, lambda box: box.accept())
    page.export.excel_action.trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    settle(page)
    sheet = load_workbook(target).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _printed(qtbot, page) -> str:
    page.export.print_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    text = "\n".join(p.extract_text() for p in PdfReader(dialog.path).pages)
    dialog.reject()
    return text


def test_households_filtered_every_row_exported_and_printed(qtbot, seeded_ctx, seeded, save_as) -> None:
    page = _shown(qtbot, HouseholdsPage(seeded_ctx))
    page.model.page_size = 2  # a paged list holding only its first rows: the export reads the rest
    # A view with room for one row: it never asks for the next page by itself while the test settles.
    page.table.setFixedHeight(page.table.horizontalHeader().sizeHint().height()
                              + page.table.verticalHeader().defaultSectionSize() + 4)
    page.hamlet_filter.setCurrentIndex(page.hamlet_filter.findData(seeded.hamlet_a))
    settle(page)
    assert page.model.rowCount() == 2 and page.model.total == 5
    page.model.reload()  # asked while the list is being read again: exported once it is in
    assert page.model.is_loading()
    rows = _export(qtbot, page, save_as)
    assert rows[0][0] == "DANH SÁCH HỘ GIA ĐÌNH" and rows[1][0] == "Ấp: Lợi An"
    header = rows[4]
    assert header[:4] == ["STT", "Chủ hộ", "Năm sinh", "Địa chỉ"]
    body = rows[5:]
    assert len(body) == 5 and {r[2] for r in body} == {1960, 1961, 1962, 1963, 1964}  # years stay numbers
    assert "Đỗ Văn Đồng" not in [r[1] for r in body]  # another hamlet: filtered out, as on screen
    text = _printed(qtbot, page)
    assert "DANH SÁCH HỘ GIA ĐÌNH" in text and "Ấp: Lợi An; 5 dòng" in text and "Võ Thị Ánh" in text
    assert "Đỗ Văn Đồng" not in text


def test_groups_meetings_and_models_export(qtbot, seeded_ctx, seeded, save_as) -> None:
    groups = _shown(qtbot, GroupsPage(seeded_ctx))
    rows = _export(qtbot, groups, save_as)
    assert rows[0][0] == "DANH SÁCH TỔ NHÂN DÂN TỰ QUẢN" and rows[3][0] == "STT"  # no filter line
    assert [r[1] for r in rows[4:]] == ["Tổ NDTQ số 1", "Tổ NDTQ số 2", "Tổ NDTQ số 3"]
    save_as.unlink()
    meetings = _shown(qtbot, MeetingsPage(seeded_ctx))
    assert _export(qtbot, meetings, save_as)[0][0] == "DANH SÁCH BUỔI SINH HOẠT"
    save_as.unlink()
    models = _shown(qtbot, PreventionPage(seeded_ctx))
    assert _export(qtbot, models, save_as)[0][0] == "DANH SÁCH MÔ HÌNH PHÒNG, CHỐNG TỘI PHẠM"


def test_pledge_checklist_export(qtbot, seeded_ctx, seeded, save_as) -> None:
    with seeded.db.session() as s:
        pledges.open_campaign(s, date.today().year, opened_on=date(date.today().year, 1, 5))
    page = _shown(qtbot, PledgesPage(seeded_ctx))
    page.tree.select(group_id=seeded.group_a1)
    settle(page)
    rows = _export(qtbot, page, save_as)
    assert rows[0][0] == "DANH SÁCH KÝ CAM KẾT" and f"Năm {date.today().year}" in rows[1][0]
    names = [r[1] for r in rows[5:]]
    assert sorted(names) == ["Lê Thị Hoa", "Nguyễn Văn Ba", "Trần Minh Tâm"]
    assert all(h for h in rows[4])  # the tick-box column (no name, no value) is left out


def test_upper_office_communes_export(qtbot, upper_ctx, save_as) -> None:
    panel = _shown(qtbot, UpperSyncPanel(upper_ctx))
    assert panel.export.sheet().title == "Danh sách các xã gửi số liệu"
    assert _export(qtbot, panel, save_as)[0][0] == "DANH SÁCH CÁC XÃ GỬI SỐ LIỆU"
