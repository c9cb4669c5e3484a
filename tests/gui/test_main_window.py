"""The main window on a real database: pages load, figures come from queries,
search-as-you-type finds households whatever the marks or case."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.services import groups, hamlets, households, meetings, office, pledges  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

NAMES = ["Nguyễn Văn Ba", "Đặng Thị Đào", "Lê Văn An", "Trần Minh Tâm", "Nguyễn Văn Đông"]


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "xã Bình Tân.db", create=True)
    with database.session() as s:
        office.setup_office(s, unit_name="Bình Tân", province_name="Tiền Giang")
    with database.session() as s:
        for hamlet_name in ("Lợi An", "Thuận Trị"):
            hamlet = hamlets.add_hamlet(s, hamlet_name)
            group = groups.save_group(s, hamlet_id=hamlet, number=len(hamlet_name))
            for name in NAMES:
                households.create_household(s, households.HouseholdInput(
                    head_name=name, hamlet_id=hamlet, group_id=group, address=f"ấp {hamlet_name}"))
            meetings.create_meeting(s, attendance="present", group_id=group, starts_at=datetime.now().replace(hour=19))
        pledges.open_campaign(s, datetime.now().year)
    yield database
    database.close()


@pytest.fixture
def window(qtbot, db, tmp_path):
    create_app()
    win = MainWindow(make_context(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_overview_shows_counted_figures(window):
    settle(window)
    table = window.overview_page.table
    assert table.rowCount() == 3  # two hamlets and the commune
    total = [table.item(2, c).text() for c in range(table.columnCount())]
    assert total[0] == "Toàn xã Bình Tân"
    assert total[1:4] == ["2", "10", "2"]
    assert total[4].startswith("0,0%") and "(0/10)" in total[4]


def test_overview_says_what_it_counts_under_the_table(window):
    settle(window)
    window.overview_page.tabs.setCurrentIndex(1)  # «Số liệu theo ấp»: the table and its note
    note = window.overview_page.note
    assert note.isVisible() and note.y() > window.overview_page.table.y()
    today = datetime.now().strftime("%d/%m/%Y")
    assert note.text().startswith(f"Ghi chú: số hộ: hộ có trong sổ hôm nay ({today}), không tính hộ đã chuyển đi;")
    assert "kể cả 2 buổi chưa hoàn tất biên bản" in note.text()  # the two drafts counted in the table


def test_every_navigation_entry_opens_a_page(window):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Tổng quan", "Tổ tự quản", "Hộ gia đình", "Sinh hoạt tổ", "Cam kết",
                      "Mô hình", "Đồng bộ", "Báo cáo"]
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentIndex() == row


@pytest.mark.parametrize("input_method", [False, True])
@pytest.mark.parametrize("query", ["dong", "ĐÔNG", "Đông"])
def test_households_search_ignores_marks_and_case(window, qtbot, query, input_method):
    window.nav.setCurrentRow(2)
    settle(window)
    page = window.households_page
    assert page.model.total == 10
    names = [page.model.row_at(r).head_name for r in range(page.model.rowCount())]
    assert names[:2] == ["Lê Văn An", "Lê Văn An"]  # sorted by given name
    type_text(page.search, query, input_method=input_method)
    assert page.search.text() == query
    qtbot.waitUntil(lambda: page.model.total == 2, timeout=2000)
    assert {page.model.row_at(r).head_name for r in range(2)} == {"Nguyễn Văn Đông"}
    assert page.count_label.text() == "2 hộ"


@pytest.mark.parametrize("query", ["nguyen van", "NGUYỄN VĂN"])
def test_households_search_nguyen_van(window, qtbot, query):
    window.nav.setCurrentRow(2)
    page = window.households_page
    type_text(page.search, query, input_method=True)
    qtbot.waitUntil(lambda: page.model.total == 4, timeout=2000)
    names = [page.model.row_at(r).head_name for r in range(page.model.rowCount())]
    assert names == ["Nguyễn Văn Ba", "Nguyễn Văn Ba", "Nguyễn Văn Đông", "Nguyễn Văn Đông"]


def test_ctrl_f_focuses_household_search(window, qtbot):
    window.nav.setCurrentRow(0)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.households_page
    qtbot.waitUntil(lambda: window.households_page.search.hasFocus(), timeout=1000)


def test_last_page_is_remembered(db, qtbot, tmp_path):
    create_app()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first = MainWindow(make_context(db, settings))
    qtbot.addWidget(first)
    first.nav.setCurrentRow(2)
    first.close()
    second = MainWindow(make_context(db, settings))
    qtbot.addWidget(second)
    assert second.nav.currentRow() == 2
    second.close()


def test_switching_database_replaces_the_window(qtbot, db, tmp_path, monkeypatch):
    from gocong_desktop.gui import app as app_module
    from gocong_desktop.gui.application import LAST_DATABASE

    from gocong_desktop.gui.app import WindowKeeper

    monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: True)  # tested in test_sign_in_and_lock

    create_app()
    other = open_database(tmp_path / "phường khác.db", create=True)
    with other.session() as s:
        office.setup_office(s, unit_name="Long Bình", unit_type="phường")
    other.close()
    settings = QSettings(str(tmp_path / "k.ini"), QSettings.Format.IniFormat)
    keeper = WindowKeeper(settings)
    keeper.show(db)
    first = keeper.window
    first.database_requested.emit(tmp_path / "phường khác.db")
    assert keeper.window is not first and not first.isVisible()
    assert "phường Long Bình" in keeper.window.windowTitle()
    assert settings.value(LAST_DATABASE) == str(tmp_path / "phường khác.db")
    keeper.window.close()
    keeper.window.ctx.db.close()


def test_a_unit_set_up_from_the_window_opens_with_its_administrator_signed_in(qtbot, db, tmp_path,
                                                                               monkeypatch):
    from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
    from gocong_desktop.gui import app as app_module
    from gocong_desktop.gui.app import WindowKeeper
    from gocong_desktop.gui.setup.wizard import SetUpDone

    monkeypatch.setattr(app_module, "sign_in", lambda *a, **k: pytest.fail("asked to sign in again"))
    create_app()
    keeper = WindowKeeper(QSettings(str(tmp_path / "k.ini"), QSettings.Format.IniFormat))
    keeper.show(db)
    password = "mat-khau-quan-tri"
    created = create_office_database(tmp_path / "xã mới.db", OfficeSetup(
        "commune", "xã", "Long Hựu", "Tiền Giang",
        admin=FirstAdmin("quantri", "Võ Văn Quản", password, password)))
    keeper.window.set_up_done.emit(SetUpDone(created.path, "quantri"))
    try:
        assert "xã Long Hựu" in keeper.window.windowTitle()
        assert keeper.window.ctx.db.user.username == "quantri"
    finally:
        keeper.window.close()
        keeper.window.ctx.db.close()


def test_text_size_setting_applies_and_is_kept(window, tmp_path, monkeypatch):
    """Xem › Cỡ chữ: Bình thường / Lớn / Rất lớn scales every label; the choice is this
    PC's (QSettings) and the next start begins with it. The menu's words changed from
    «100%/125%/150%» on purpose (issue 18)."""
    from gocong_desktop.gui.fonts import TEXT_SCALE_KEY, saved_text_scale

    app = QApplication.instance()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Xem")
    size_menu = next(a.menu() for a in view_menu.actions() if a.menu())
    sizes = {a.text(): a for a in size_menu.actions()}
    assert list(sizes) == ["&Bình thường", "&Lớn", "&Rất lớn"] and sizes["&Bình thường"].isChecked()
    label = window.loading_label
    normal = label.font().pointSizeF()
    try:
        sizes["&Rất lớn"].trigger()
        app.processEvents()  # Qt hands the new font down to the widgets through the event loop
        assert label.font().pointSizeF() == 1.5 * normal  # a label's text grows at once
        assert window.nav.font().pointSizeF() == 1.5 * normal  # the page names too (a style sheet stopped them)
        longest = max(window.nav.fontMetrics().horizontalAdvance(t) for t in window.titles)
        # The list may never be dragged or squeezed narrower than its longest page name.
        assert window.nav.minimumWidth() >= longest + window.nav.iconSize().width()
        assert app.font().pointSizeF() == 15 and app.font().family() == "Liberation Sans"
        assert int(window.ctx.settings.value(TEXT_SCALE_KEY)) == 150 and sizes["&Rất lớn"].isChecked()
        # The next start: create_app reads the same (default) settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
        QSettings().setValue(TEXT_SCALE_KEY, 125)
        create_app()
        assert app.font().pointSizeF() == 12.5
        QSettings().setValue(TEXT_SCALE_KEY, "900")  # a hand-edited value never makes the window unusable
        assert saved_text_scale(QSettings()) == 100
    finally:
        sizes["&Bình thường"].trigger()
        QSettings().remove(TEXT_SCALE_KEY)


def test_upper_office_window_shows_its_communes_not_a_mix_of_their_registers(qtbot, tmp_path):
    create_app()
    upper = open_database(tmp_path / "tỉnh.db", create=True)
    with upper.session() as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện",
                            province_name="Tiền Giang")
    try:
        win = MainWindow(make_context(upper, QSettings(str(tmp_path / "u.ini"), QSettings.Format.IniFormat)))
        qtbot.addWidget(win)
        assert [win.nav.item(i).text() for i in range(win.nav.count())] == ["Đồng bộ", "Báo cáo"]
        assert win.current_page() is win.sync_page
        win._on_find()  # Ctrl+F with no household list: nothing to jump to, no error
        win.close()
    finally:
        upper.close()
