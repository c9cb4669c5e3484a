"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QFrame, QLabel, QListWidget, QMainWindow,
                               QScrollArea, QSizePolicy, QSplitter)

from gocong_desktop import __version__
from gocong_desktop.core.db.access import Role
from gocong_desktop.core.db.changes import ChangeSet
from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.services.accounts import refreshed
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.session_lock import idle_lock_minutes
from gocong_desktop.gui.overview import reads as overview_reads
from gocong_desktop.gui.page_imports import AFTER_SHOWN_MS, PAGE_MODULES, import_in_background
from gocong_desktop.gui.i18n import APP_DISPLAY_NAME
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.gc_pauses import FREEZE_AFTER_MS, freeze_long_lived
from gocong_desktop.gui.fonts import TEXT_SCALE_KEY, TEXT_SIZES, apply_ui_font, saved_text_scale
from gocong_desktop.gui.icons import decorate_menus, decorate_navigation, fit_navigation
from gocong_desktop.gui.widgets.elided_label import ElidedLabel
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.mnemonics import mnemonic_of
from gocong_desktop.gui.widgets.page_stack import PageStack
from gocong_desktop.gui.widgets.screen_fit import available_area, restore_within_screen
from gocong_desktop.gui import message_box


# Each page's module is imported when the page is first shown (gui/widgets/page_stack.py):
# the window appears with its start page alone; the others' modules are imported on a
# background thread once it is up (gui/page_imports.py).
def _page(module: str, cls: str) -> Callable[[AppContext], Page]:
    def make(ctx: AppContext) -> Page:
        return getattr(importlib.import_module(module), cls)(ctx)
    make.module = module  # type: ignore[attr-defined]  # what page_imports imports ahead
    return make


PAGES = {title: _page(module, cls) for title, (module, cls) in PAGE_MODULES.items()}
NAV_TITLES = list(PAGES)
# The upper office records no households of its own: it imports and compares its
# communes (one commune's records open read-only from the comparison table).
UPPER_NAV_TITLES = ["Đồng bộ", "Báo cáo"]
# The reads a page starts with, started by the window before it builds anything when
# that page is the one it opens on (the page takes them: gui/queries.py ``take``).
READS_AHEAD: dict[str, Callable[[AppContext], None]] = {"Tổng quan": overview_reads.read_ahead}
# The start-up check waits for the first page's reads (both would share two cores),
# but no longer than this after the window is shown.
CHECK_AT_THE_LATEST_MS = 3000


class _PageTitled:
    """``window.households_page``: the page with that title, built on first use;
    None when this window has no such page (the upper office's)."""

    def __init__(self, title: str) -> None:
        self.title = title

    def __get__(self, window: "MainWindow | None", owner: type) -> "Page | None | _PageTitled":
        return self if window is None else window.page_titled(self.title)


class MainWindow(QMainWindow):
    # Another database to work on (chosen or just set up); the app switches to it.
    database_requested = Signal(Path)
    set_up_done = Signal(object)  # a SetUpDone: a unit just set up, its administrator signed in
    # The user signs out: the app asks who signs in next (app.WindowKeeper).
    sign_out_requested = Signal()
    encrypt_requested = Signal()  # «Mã hóa dữ liệu…»: the file is closed and opened again
    # Set by the app (WindowKeeper): closing does not wait for the backup on close; the
    # process finishes it once the window is gone (app.finish_in_background).
    close_in_background = False
    # The pages, built when first asked for (None: not a page of this office's window).
    overview_page = _PageTitled("Tổng quan")
    groups_page = _PageTitled("Tổ tự quản")
    households_page = _PageTitled("Hộ gia đình")
    meetings_page = _PageTitled("Sinh hoạt tổ")
    pledges_page = _PageTitled("Cam kết")
    models_page = _PageTitled("Mô hình")
    sync_page = _PageTitled("Đồng bộ")
    reports_page = _PageTitled("Báo cáo")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._office = ctx.read(get_office)
        self.is_upper = self._office.role == OfficeRole.UPPER
        self.titles = UPPER_NAV_TITLES if self.is_upper else NAV_TITLES
        if (read_ahead := READS_AHEAD.get(self.titles[self._first_row()])) is not None:
            read_ahead(ctx)  # the database works while the window is built
        self.setWindowTitle(f"{self._office.display_name} – {APP_DISPLAY_NAME}")
        self._finished = False
        self._shown_once = False
        self._check_started = False
        self._build_pages()
        self._build_menus()
        self._build_status_bar()
        self._restore()
        self._start_idle_lock()
        self._prepare_startup_check()

    # ---- layout ---------------------------------------------------------
    def _first_row(self) -> int:
        """The page the window opens on: the one shown when it was last closed."""
        row = int(self.ctx.settings.value("main/page", 0))
        return row if 0 <= row < len(self.titles) else 0

    def _build_pages(self) -> None:
        self.nav = QListWidget()
        self.nav.addItems(self.titles)
        decorate_navigation(self.nav)
        self.stack = PageStack([lambda make=PAGES[title]: self._made(make(self.ctx)) for title in self.titles])
        self.nav.currentRowChanged.connect(self._on_page_changed)
        self.nav.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        # A page taller or wider than a small screen (1024×768 at 150 %: 683×512) scrolls
        # inside the window rather than pushing the window, and its status bar, off the screen.
        pages = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        pages.setWidget(self.stack)
        splitter.addWidget(pages)
        splitter.setCollapsible(0, False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.nav.minimumWidth(), 1100])
        self.setCentralWidget(splitter)

    def page_titled(self, title: str) -> Page | None:
        """The page with this navigation title (built now if not yet); None if absent."""
        return self.stack.page(self.titles.index(title)) if title in self.titles else None

    def _made(self, page: Page) -> Page:
        page.open_requested.connect(self.open_link)
        if (back_up := getattr(page, "backup_requested", None)) is not None:  # the start page's backup item
            back_up.connect(lambda: self.backups.back_up_now())
            self.backups.backed_up.connect(page.refresh)
        return page

    def open_page(self, title: str) -> Page | None:
        """Show the page with this navigation title; None if this window has none."""
        if title not in self.titles:
            return None
        self.nav.setCurrentRow(self.titles.index(title))
        return self.stack.current_page()

    def open_link(self, title: str, what: str) -> None:
        """Show a page filtered to ``what`` (``Page.show_link``), as the start page asks."""
        if (page := self.open_page(title)) is not None:
            page.show_link(what)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Tệp")
        self._action(file_menu, "&Mở tệp dữ liệu khác…", self._on_open_other, QKeySequence.StandardKey.Open)
        self._action(file_menu, "Thiết lập đơn vị &mới…", self._on_set_up_new)
        file_menu.addSeparator()
        from gocong_desktop.gui.storage.backup_controller import BackupController  # here, so backups touched only these methods

        self.backups = BackupController(self.ctx, self)
        self.backups.reopen_requested.connect(self.database_requested)
        self.backups.add_actions(file_menu)
        file_menu.addSeparator()
        self._action(file_menu, "&Thoát", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Chỉnh sửa")
        self.new_action = self._action(edit, "Thêm &mới…", lambda: self.current_page().new_record(),
                                       QKeySequence.StandardKey.New)
        self.edit_action = self._action(edit, "&Sửa…", lambda: self.current_page().edit_selected())
        self.delete_action = self._action(edit, "&Xóa…", lambda: self.current_page().delete_selected(),
                                          QKeySequence(Qt.Key.Key_Delete))
        view = bar.addMenu("&Xem")
        self._action(view, "&Tìm kiếm", self._on_find, QKeySequence.StandardKey.Find)
        self._action(view, "&Kiểm tra biên bản…", self._on_verify_minutes)
        self._build_text_size_menu(view.addMenu("&Cỡ chữ"))
        self._build_system_menu(bar.addMenu("&Hệ thống"))
        help_menu = bar.addMenu("Trợ &giúp")
        self._action(help_menu, "&Hướng dẫn sử dụng", self._on_help, QKeySequence(Qt.Key.Key_F1))
        audit = self._action(help_menu, "&Nhật ký thay đổi…", self._on_audit_log)
        audit.setEnabled(self.role == Role.ADMIN)  # old values may be notes on people
        self._action(help_menu, "&Giới thiệu", self._on_about)
        decorate_menus(bar)
        self.stack.reserved_letters = {m for a in bar.actions() if (m := mnemonic_of(a.text()))}

    def _on_verify_minutes(self) -> None:
        from gocong_desktop.gui.meetings.verify_dialog import show_verify_minutes  # imported when opened

        show_verify_minutes(self.ctx, self)

    def _build_text_size_menu(self, menu) -> None:
        group = QActionGroup(self)
        current = saved_text_scale(self.ctx.settings)
        for text, scale in TEXT_SIZES.items():
            action = self._action(menu, text, lambda _c=False, s=scale: self._on_text_scale(s))
            action.setCheckable(True)
            action.setChecked(scale == current)
            group.addAction(action)

    def _build_system_menu(self, menu) -> None:
        admin = self.role == Role.ADMIN
        self._action(menu, "&Tài khoản người dùng…", self._on_accounts).setEnabled(admin)
        self._action(menu, "&Cài đặt…", self._on_settings).setEnabled(admin)
        if self.ctx.db.vault is None and self.ctx.db.server is None:  # a plain file from the previous version
            self._action(menu, "Mã &hóa dữ liệu…", self.encrypt_requested.emit).setEnabled(admin)
        signed_in = self.ctx.db.user is not None
        self._action(menu, "Đổi &mật khẩu…", self._on_change_password).setEnabled(signed_in)
        menu.addSeparator()
        self._action(menu, "&Khóa màn hình", lambda: self.idle_lock.lock(),
                     QKeySequence("Ctrl+L")).setEnabled(signed_in)
        self._action(menu, "Đăng &xuất", self.sign_out_requested.emit).setEnabled(signed_in)
        self._update_edit_actions()

    @property
    def role(self) -> Role:
        return self.ctx.db.role()

    def _start_idle_lock(self) -> None:
        from gocong_desktop.gui.security.idle_lock import IdleLock

        self.idle_lock = None
        if (user := self.ctx.db.user) is not None:
            self.idle_lock = IdleLock(self.ctx.db, user, self.ctx.read(idle_lock_minutes), self,
                                      tasks=self.ctx.tasks)
            self.ctx.tasks.data_changed.connect(self._on_data_changed)
            self.idle_lock.sign_out_requested.connect(self.sign_out_requested)

    def _on_data_changed(self, written: ChangeSet) -> None:
        if written.touches("app_setting") and self.idle_lock is not None:
            self.idle_lock.set_minutes(self.ctx.read(idle_lock_minutes))
        if written.touches("account") and self.ctx.db.user is not None:
            # An administrator changed their own account: the services follow the new
            # role at once; the menus after signing in again.
            now = self.ctx.read(refreshed, self.ctx.db.user)
            if now is not None and now != self.ctx.db.user:
                self.ctx.db.user = now
                if self.idle_lock is not None:
                    self.idle_lock.principal = now

    def _build_status_bar(self) -> None:
        # Every item gives way (cut with "…", whole in its tooltip): on a small screen
        # they would otherwise overlap each other and the status messages.
        self.statusBar().addWidget(ElidedLabel(f"Dữ liệu: {self.ctx.db.place}"), 1)
        self.loading_label = QLabel("Đang tải dữ liệu…")  # a slow read, without blocking the window
        self.loading_label.hide()
        self.ctx.tasks.reads.busy_changed.connect(self.loading_label.setVisible)
        self.statusBar().addWidget(self.loading_label)
        if (user := self.ctx.db.user) is not None:
            self.statusBar().addPermanentWidget(ElidedLabel(f"Người dùng: {user.label}", wanted_chars=24))
        self.statusBar().addPermanentWidget(self.backups.label)
        self.statusBar().addPermanentWidget(ElidedLabel(self._office.display_name, wanted_chars=18))

    # ---- state ----------------------------------------------------------
    def _restore(self) -> None:
        if not restore_within_screen(self, self.ctx.settings.value("main/geometry")):
            # First run: maximised, and a normal size that fits for when it is restored down.
            area = available_area(self)
            self.resize(QSize(1280, 720).boundedTo(area.size() * 0.9))
            self.setWindowState(Qt.WindowState.WindowMaximized)
        self.nav.setCurrentRow(self._first_row())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self._after_shown)

    def _prepare_startup_check(self) -> None:
        from gocong_desktop.gui.storage.startup_check import StartupChecker

        self.startup_check = StartupChecker(self.ctx.db.path, self)
        self.startup_check.restore_requested.connect(self.backups.recover)
        if self.startup_check.unclean:  # the last session's backup on close may never have been made
            self.startup_check.finished.connect(lambda check: check.damaged or self.backups.catch_up())

    def _after_shown(self) -> None:
        """Once the window is up and its first page's reads are applied: what lives until
        the window closes kept out of later collections (gc_pauses), the last backup in
        the status bar, the start-up check on its own thread (warns if it fails), then
        the other pages' modules."""
        self.ctx.tasks.reads.when_idle(lambda: QTimer.singleShot(FREEZE_AFTER_MS, freeze_long_lived))
        self.ctx.tasks.reads.when_idle(self.backups.refresh_label)
        self.ctx.tasks.reads.when_idle(self._start_check)
        QTimer.singleShot(CHECK_AT_THE_LATEST_MS, self._start_check)

    def _start_check(self) -> None:
        if not self._finished and not self._check_started:
            self._check_started = True
            self.startup_check.start()
            QTimer.singleShot(AFTER_SHOWN_MS, self._import_other_pages)

    def _import_other_pages(self) -> None:
        if self._finished:
            return
        modules = [getattr(PAGES[title], "module", None) for row, title in enumerate(self.titles)
                   if not self.stack.is_built(row)]
        import_in_background(m for m in modules if m)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.finish_work(wait=not self.close_in_background)
        super().closeEvent(event)

    def finish_work(self, *, wait: bool = True) -> None:
        """What closing does, once: the layout, pending saves, the backup on close.
        ``wait=False``: the backup is left running on the task worker (``app.run_window``
        waits for it before the process ends, holding the lock marked as closing)."""
        if self._finished:
            return
        self._finished = True
        if self.idle_lock is not None:
            self.idle_lock.stop()
        self.ctx.tasks.reads.close(wait=wait)  # a page's read started from here on shows nothing
        self.ctx.settings.setValue("main/geometry", self.saveGeometry())
        self.ctx.settings.setValue("main/page", self.nav.currentRow())
        for page in self.stack.built_pages():
            page.save_state()
        self.backups.back_up_on_close(wait=wait)  # queued after pending saves: one worker

    def current_page(self) -> Page:
        return self.stack.currentWidget()

    # ---- slots ----------------------------------------------------------
    def _on_page_changed(self, row: int) -> None:
        try:
            self.stack.show_page(row).refresh_if_stale()
        except Exception as exc:  # a page that cannot load must not take the window down
            with QSignalBlocker(self.nav):
                self.nav.setCurrentRow(self.stack.currentIndex())
            show_error(self, exc)
        self._update_edit_actions()

    def _update_edit_actions(self) -> None:
        """Thêm mới/Sửa/Xóa only where the page has them, and only for those who may write
        (the services refuse anyway; say it up front)."""
        if not hasattr(self, "new_action"):
            return  # the menus are built after the first page is shown
        page = self.stack.current_page()
        writer = self.role in (Role.ADMIN, Role.CLERK)
        for action, name in ((self.new_action, "new_record"), (self.edit_action, "edit_selected"),
                             (self.delete_action, "delete_selected")):
            action.setEnabled(writer and page is not None and page.supports(name))

    def _on_open_other(self) -> None:
        from gocong_desktop.gui.setup.storage import DB_FILTER  # the set-up pages: not needed to show the window

        start = str(self.ctx.db.path.parent) if self.ctx.db.path is not None else ""  # a server's: no folder
        chosen, _ = QFileDialog.getOpenFileName(self, "Mở tệp dữ liệu", start, DB_FILTER)
        if chosen:
            self.database_requested.emit(Path(chosen))

    def _on_set_up_new(self) -> None:
        from gocong_desktop.gui.setup.wizard import run_setup_wizard

        if done := run_setup_wizard(self):
            self.set_up_done.emit(done)

    def _on_find(self) -> None:
        if not self.current_page().focus_search() and self.households_page is not None:
            self.nav.setCurrentRow(self.stack.indexOf(self.households_page))
            self.households_page.focus_search()

    # The dialogs' modules are imported when first opened: not needed to show the window.
    def _on_help(self) -> None:
        from gocong_desktop.gui.help_dialog import show_help

        show_help(self, self.titles[self.nav.currentRow()])

    def _on_audit_log(self) -> None:
        from gocong_desktop.gui.security.audit_dialog import show_audit_log

        show_audit_log(self.ctx, self)

    def _on_accounts(self) -> None:
        from gocong_desktop.gui.security.accounts_dialog import show_accounts

        show_accounts(self.ctx, self)

    def _on_settings(self) -> None:
        from gocong_desktop.gui.settings_dialog import show_settings

        show_settings(self.ctx, self)

    def _on_change_password(self) -> None:
        from gocong_desktop.gui.security.accounts_dialog import show_change_password

        show_change_password(self.ctx, self)

    def _on_text_scale(self, scale: int) -> None:
        self.ctx.settings.setValue(TEXT_SCALE_KEY, scale)
        apply_ui_font(QApplication.instance(), scale)
        fit_navigation(self.nav, QApplication.font())

    def _on_about(self) -> None:
        message_box.information(self, "Giới thiệu", f"gocong_desktop {__version__}\nSổ theo dõi phong trào "
                                "Toàn dân bảo vệ an ninh Tổ quốc cấp xã.")
