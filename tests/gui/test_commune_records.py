"""The upper office's Sync page: a dashboard row opens the commune's records
read-only (citizen IDs masked), and "Báo cáo tổng hợp các xã…" saves the report."""

from __future__ import annotations

import os
from tests import app_sqlite as sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.services.review_period import parse_period  # noqa: E402
from gocong_desktop.gui.sync import upper as sync_upper  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.sync.page import SyncPage  # noqa: E402
from gocong_desktop.gui import message_box
from tests.core.sync.conftest import make_upper_office, send  # noqa: E402


@pytest.fixture
def upper_page(qtbot, seeded, tmp_path: Path):
    usb = tmp_path / "USB"
    usb.mkdir()
    path = make_upper_office(tmp_path / "huyện.db")
    database = open_database(path)
    send(seeded.db, database, usb)
    with sqlite3.connect(path) as con:  # an ID the commune chose to send
        con.execute("UPDATE household SET citizen_id = '082190000234' WHERE rowid = "
                    "(SELECT min(rowid) FROM household)")
    create_app()
    ctx = make_context(database, QSettings(str(tmp_path / "huyen.ini"), QSettings.Format.IniFormat))
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.panel.dashboard.rowCount() == 1, timeout=5000)
    yield page
    ctx.tasks.wait()
    database.close()


def test_dashboard_row_opens_the_communes_records(qtbot, upper_page) -> None:
    dialog = upper_page.panel.open_commune(0)
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i).replace("&", "") for i in range(dialog.tabs.count())]
    assert tabs == ["Tổ (3)", "Hộ gia đình (7)", "Sinh hoạt tổ (0)"]
    households = dialog.models[1]
    ids = [households.index(r, 4).data() for r in range(households.rowCount())]
    assert "•••••••••234" in ids and not any("082190" in i for i in ids)
    assert dialog.windowTitle() == "Hồ sơ của xã Bình Tân (chỉ xem)"


def test_the_communes_lists_are_searched_without_marks(qtbot, upper_page) -> None:
    from tests.gui.typing import type_text

    dialog = upper_page.panel.open_commune(0)
    qtbot.addWidget(dialog)
    households = dialog.models[1]
    type_text(dialog.search, "nguyen")
    names = sorted(households.index(r, 0).data() for r in range(households.rowCount()))
    assert names == ["Nguyễn Thị Bích", "Nguyễn Văn Ba"]
    tabs = [dialog.tabs.tabText(i).replace("&", "") for i in range(dialog.tabs.count())]
    assert tabs == ["Tổ (0/3)", "Hộ gia đình (2/7)", "Sinh hoạt tổ (0)"]
    dialog.search.clear()  # everything again
    assert households.rowCount() == 7 and dialog.tabs.tabText(1).replace("&", "") == "Hộ gia đình (7)"
    type_text(dialog.search, "ĐỒNG SƠN")  # the hamlet's column too, marks and case ignored
    assert {households.index(r, 1).data() for r in range(households.rowCount())} == {"Đồng Sơn"}


def test_the_communes_compared_are_searched_by_name(qtbot, upper_page) -> None:
    from tests.gui.typing import type_text

    panel = upper_page.panel
    type_text(panel.commune_search, "binh tan")
    assert panel.dashboard.rowCount() == 1
    panel.commune_search.clear()
    type_text(panel.commune_search, "Long Bình")
    assert panel.dashboard.rowCount() == 0
    assert panel.tabs.tabText(0) == "So sánh các xã (0/1)"
    upper_page.refresh()  # fresh figures keep the filter
    qtbot.waitUntil(lambda: panel.summary_label.text().startswith("1 xã"), timeout=5000)
    assert panel.dashboard.rowCount() == 0
    panel.commune_search.clear()
    assert panel.dashboard.rowCount() == 1 and panel.tabs.tabText(0) == "So sánh các xã"


def test_aggregate_report_button_saves_a_pdf(qtbot, upper_page, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "tổng hợp"
    saved: list[str] = []
    monkeypatch.setattr(sync_upper, "ask_period", lambda *_a: parse_period("2024-H1"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    monkeypatch.setattr(message_box, "information", lambda _p, _t, text: saved.append(text))
    upper_page.panel.aggregate_button.click()
    qtbot.waitUntil(lambda: bool(saved), timeout=15000)
    pdf = out.with_name("tổng hợp.pdf")
    assert str(pdf) in saved[0]
    assert "xã Bình Tân" in "".join(p.extract_text() for p in PdfReader(pdf).pages)
