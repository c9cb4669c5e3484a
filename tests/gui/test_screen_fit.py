"""Every page (commune and upper office) and every dialog reachable from them fits
the office screens the app supports, and shows its texts whole.

The scale factor is read when QApplication starts: each screen is checked in a
process of its own (tests/gui/screen_fit_probe.py), on an offscreen screen of the
given size (Qt's offscreen platform reads its screens from a JSON file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# (width, height, scale): a 1024×768 laptop at Windows' default 125% and at 150% (683×512
# logical pixels: the pages scroll inside the window), a 1366×768 one at 150%.
SCREENS = [(1024, 768, 1.25), (1024, 768, 1.5), (1366, 768, 1.5)]
SCREEN_IDS = ["1024x768@125", "1024x768@150", "1366x768@150"]


@pytest.fixture(scope="module")
def probe_folder(tmp_path_factory) -> Path:
    """The demo commune and upper office, made by the first run, reused by the next."""
    return tmp_path_factory.mktemp("man-hinh")


@pytest.fixture(scope="module")
def probe_server(pg_server) -> str:
    """An empty server database: the first run moves the demo upper office onto it."""
    return pg_server.url_text(pg_server.new_database())


def run_probe(folder: Path, width: int, height: int, scale: float, *extra: str) -> tuple[list[dict], str]:
    screen = folder / f"screen-{width}x{height}.json"
    screen.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    env = {**os.environ, "QT_SCALE_FACTOR": str(scale), "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "tests.gui.screen_fit_probe", str(folder), *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and lines[-1:] == ["xong"], done.stdout + done.stderr
    return [json.loads(line) for line in lines[:-1]], done.stderr


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS, ids=SCREEN_IDS)
def test_every_page_and_dialog_fits_the_screen(probe_folder, width, height, scale):
    problems, _log = run_probe(probe_folder, width, height, scale)
    assert problems == [], "\n".join(f"{p['where']}: {p['what']}" for p in problems)


@pytest.mark.pg
@pytest.mark.parametrize(("width", "height", "scale"), SCREENS, ids=SCREEN_IDS)
def test_the_upper_office_on_a_server_fits_the_screen(probe_folder, probe_server, width, height, scale):
    """Its pages say what is off on a server (file backups, encryption, the lock) and where it is."""
    problems, _log = run_probe(probe_folder, width, height, scale, "--server", probe_server)
    assert problems == [], "\n".join(f"{p['where']}: {p['what']}" for p in problems)


# ---- the pieces, in this process (offscreen's own screen) ------------------------------
@pytest.fixture
def app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gocong_desktop.gui.application import create_app

    return create_app()


def test_the_main_window_opens_maximised_on_first_run(qtbot, seeded_ctx):
    from gocong_desktop.gui.main_window import MainWindow
    from gocong_desktop.gui.widgets.screen_fit import available_area

    window = MainWindow(seeded_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.isMaximized()
    area = available_area(window)
    assert window.normalGeometry().width() <= area.width() and window.normalGeometry().height() <= area.height()
    window.close()


def test_a_saved_size_larger_than_the_screen_is_clamped(qtbot, seeded_ctx):
    from PySide6.QtCore import QByteArray
    from PySide6.QtWidgets import QMainWindow

    from gocong_desktop.gui.main_window import MainWindow
    from gocong_desktop.gui.widgets.screen_fit import available_area

    big = QMainWindow()  # a window saved on a larger screen
    qtbot.addWidget(big)
    big.setGeometry(40, 40, 2600, 1900)
    saved = big.saveGeometry()
    seeded_ctx.settings.setValue("main/geometry", QByteArray(saved))
    window = MainWindow(seeded_ctx)
    qtbot.addWidget(window)
    window.show()
    area = available_area(window)
    assert not window.isMaximized()
    assert area.contains(window.frameGeometry().adjusted(1, 1, -1, -1)) or \
        (window.width() <= area.width() and window.height() <= area.height())
    window.close()


def test_a_dialog_asking_for_more_than_the_screen_is_shrunk_and_centred(qtbot, app):
    from PySide6.QtWidgets import QLabel, QVBoxLayout

    from gocong_desktop.gui.widgets.screen_fit import FittedDialog, available_area

    dialog = FittedDialog()  # every dialog of the app is one (the probe checks them all)
    qtbot.addWidget(dialog)
    QVBoxLayout(dialog).addWidget(QLabel("Đánh giá mô hình"))
    dialog.resize(1350, 850)  # what «Đánh giá mô hình» asked for
    dialog.show()
    area = available_area(dialog)
    assert dialog.width() <= area.width() and dialog.height() <= area.height()
    assert abs(dialog.frameGeometry().center().x() - area.center().x()) <= 2


def test_the_coverage_trees_area_column_keeps_whole_names_when_narrow(qtbot, seeded_ctx, seeded):
    from datetime import date

    from gocong_desktop.core.services import pledges
    from gocong_desktop.core.services.pledge_coverage import coverage_report
    from gocong_desktop.gui.pledges.coverage_tree import COL_AREA, CoverageTree

    with seeded.db.session() as s:
        pledges.open_campaign(s, date.today().year)
    report = seeded_ctx.read(coverage_report, date.today().year)
    tree = CoverageTree()
    qtbot.addWidget(tree)
    tree.resize(320, 300)  # a 1024×768 screen at 125%: the tree gets about this much
    tree.show()
    tree.set_report(report)
    qtbot.waitUntil(lambda: tree.columnWidth(COL_AREA) > 120)
    deepest = tree.item_of(tree.current_scope()).child(0).child(0)  # a group, two levels in
    needed = tree.visualItemRect(deepest).left() + tree.fontMetrics().horizontalAdvance(deepest.text(COL_AREA))
    assert tree.columnWidth(COL_AREA) >= needed


def test_a_flow_row_wraps_instead_of_widening_the_window(qtbot, app):
    from PySide6.QtWidgets import QPushButton

    from gocong_desktop.gui.widgets.flow import flow_row

    buttons = [QPushButton(text) for text in ("Thêm buổi họp…", "Mở", "Hoàn tất…", "Đính chính…", "Xóa bản nháp",
                                              "Xem/In biên bản…", "Lưu PDF/Word…", "In mẫu trống…")]
    row = flow_row(*buttons)
    qtbot.addWidget(row)
    widest = max(b.sizeHint().width() for b in buttons)
    assert row.minimumSizeHint().width() <= widest
    one_line = row.layout().heightForWidth(sum(b.sizeHint().width() + 6 for b in buttons))
    assert row.layout().heightForWidth(widest + 10) > 3 * one_line


def test_a_status_bar_label_gives_way_with_its_text_in_the_tooltip(qtbot, app):
    from gocong_desktop.gui.widgets.elided_label import ElidedLabel

    text = "Sao lưu gần nhất: 15:36 ngày 06/12/2026 (ổ USB «Công an xã Bình Tân»)"
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    assert label.toolTip() == text
    assert label.minimumSizeHint().width() < label.fontMetrics().horizontalAdvance(text) // 4


def test_navigation_titles_stay_whole_after_a_larger_text_size(qtbot, seeded_ctx):
    from PySide6.QtWidgets import QApplication

    from gocong_desktop.gui.fonts import TEXT_SIZES, apply_ui_font
    from gocong_desktop.gui.main_window import MainWindow

    window = MainWindow(seeded_ctx)
    qtbot.addWidget(window)
    window.show()
    try:
        window._on_text_scale(max(TEXT_SIZES.values()))
        widest = max(window.nav.fontMetrics().horizontalAdvance(title) for title in window.titles)
        assert window.nav.viewport().width() >= widest
    finally:
        apply_ui_font(QApplication.instance(), 100)
        window.close()


def test_a_cell_cut_short_shows_its_whole_text_as_a_tooltip(qtbot, app):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView, QToolTip

    from gocong_desktop.gui.widgets.columns import fit_columns

    address = "Số 254, đường Thủ Khoa Huân, tổ 3, ấp Xóm Thủ, xã Bình Tân"
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["Chủ hộ", "Địa chỉ"])
    model.appendRow([QStandardItem("Lê Văn Đức"), QStandardItem(address)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    fit_columns(view, 1, {1: "Số 12, đường"})  # the address gives way
    view.resize(260, 120)
    view.show()
    qtbot.waitExposed(view)
    cell = view.visualRect(model.index(0, 1))
    assert view.fontMetrics().horizontalAdvance(address) > cell.width()  # drawn cut short
    at = cell.center()
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at)))
    assert QToolTip.text() == address
    QToolTip.hideText()
    whole = view.visualRect(model.index(0, 0)).center()  # a name shown whole: no tooltip of ours
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, whole, view.viewport().mapToGlobal(whole)))
    assert QToolTip.text() != "Lê Văn Đức"


def test_only_the_sorted_column_keeps_room_for_its_arrow(qtbot, app):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from gocong_desktop.gui.widgets.columns import fit_columns

    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Chủ hộ", "Nhân khẩu", "CCCD"])
    model.appendRow([QStandardItem("Lê Văn Đức"), QStandardItem("4"), QStandardItem("••••••••9012")])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    fit_columns(view, 0)
    header = view.horizontalHeader()
    assert header.sectionSize(1) < header.sectionSizeHint(1)  # Qt counts an arrow on every column
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # the clerk sorts by «Nhân khẩu»
    assert header.sectionSize(1) >= header.sectionSizeHint(1)
