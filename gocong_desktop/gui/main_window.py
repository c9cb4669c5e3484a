"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QListWidget, QMainWindow, QMessageBox, QSplitter,
                               QStackedWidget, QWidget)

from .. import __version__
from ..core.db.engine import Database
from ..core.services.office import get_office
from .errors import show_error
from .pages.coming_soon import ComingSoonPage
from .pages.households import HouseholdsPage
from .pages.overview import OverviewPage

COMING = {
    "Tổ tự quản": "Danh sách Tổ nhân dân tự quản theo ấp: số hộ, tổ trưởng, tổ phó, lần họp gần nhất.",
    "Sinh hoạt tổ": "Ghi nhận các buổi sinh hoạt Tổ NDTQ, điểm danh từng hộ và in biên bản đúng thể thức.",
    "Cam kết": "Đợt cam kết hằng năm của các hộ, tỷ lệ ký theo tổ và ấp, in mẫu cam kết hàng loạt.",
    "Mô hình": "Các mô hình phòng, chống tội phạm, điểm triển khai và đánh giá tại mỗi kỳ sơ kết, tổng kết.",
    "Đồng bộ": "Xuất tệp đồng bộ gửi cơ quan cấp trên qua USB và nhận tệp của các xã.",
    "Báo cáo": "Báo cáo tổng hợp theo kỳ, xuất PDF và Excel.",
}


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: QSettings) -> None:
        super().__init__()
        self._db, self._settings = db, settings
        with db.session() as session:
            self._office = get_office(session)
        self.setWindowTitle(f"Gò Công – Phong trào Toàn dân bảo vệ ANTQ – {self._office.display_name}")
        self._build_pages()
        self._build_menus()
        self._build_status_bar()
        self._restore()

    def _build_pages(self) -> None:
        self.overview_page = OverviewPage(self._db)
        self.households_page = HouseholdsPage(self._db)
        pages: list[tuple[str, QWidget]] = [("Tổng quan", self.overview_page)]
        pages.append(("Tổ tự quản", ComingSoonPage("Tổ tự quản", COMING["Tổ tự quản"])))
        pages.append(("Hộ gia đình", self.households_page))
        pages += [(t, ComingSoonPage(t, d)) for t, d in COMING.items() if t != "Tổ tự quản"]
        self.nav = QListWidget()
        self.stack = QStackedWidget()
        for title, page in pages:
            self.nav.addItem(title)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._on_page_changed)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 1100])
        self.setCentralWidget(splitter)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Tệp")
        quit_action = QAction("&Thoát", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.menuBar().addMenu("&Chỉnh sửa")
        view_menu = self.menuBar().addMenu("&Xem")
        find = QAction("&Tìm kiếm", self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(self._on_find)
        view_menu.addAction(find)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        about = QAction("&Giới thiệu", self)
        about.triggered.connect(self._on_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        self.statusBar().addWidget(QLabel(f"Dữ liệu: {self._db.path}"), 1)
        self.statusBar().addPermanentWidget(QLabel(self._office.display_name))

    def _restore(self) -> None:
        geometry = self._settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)
        self.nav.setCurrentRow(int(self._settings.value("main/page", 0)))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/page", self.nav.currentRow())
        super().closeEvent(event)

    def _on_page_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        try:
            self.stack.currentWidget().refresh()
        except Exception as exc:  # a page that cannot load must not take the window down
            show_error(self, exc)

    def _on_find(self) -> None:
        self.nav.setCurrentRow(self.stack.indexOf(self.households_page))
        self.households_page.focus_search()

    def _on_about(self) -> None:
        QMessageBox.about(self, "Giới thiệu",
                          f"<b>gocong_desktop</b> {__version__}<br>Sổ theo dõi phong trào "
                          "Toàn dân bảo vệ an ninh Tổ quốc cấp xã.")
