"""First run: set up a new unit, try the demo, or open an existing file.

The wizard only decides and creates; it hands back ``database_path`` and the
app opens that file the same way it opens any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QLabel, QRadioButton, QVBoxLayout,
                               QWidget, QWizard, QWizardPage)

from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.paths import default_database_path
from gocong_desktop.core.setup.office import CreatedOffice, OfficeSetup, default_demo_path
from gocong_desktop.core.documents.recovery_sheet import office_label
from gocong_desktop.core.services.account_names import normal_username
from gocong_desktop.gui.setup.first_admin import AdminPage
from gocong_desktop.gui.security.recovery_code_dialog import show_recovery_code
from gocong_desktop.gui.security.sign_in import remember_user
from gocong_desktop.gui.setup.storage import DB_FILTER, DemoPage, StoragePage
from gocong_desktop.gui.setup.unit import HamletsPage, UnitPage
from gocong_desktop.gui.widgets.setup_widgets import PageId, note_label

BUTTON_TEXTS = {QWizard.WizardButton.NextButton: "Tiếp theo",
                QWizard.WizardButton.BackButton: "Quay lại",
                QWizard.WizardButton.FinishButton: "Hoàn tất",
                QWizard.WizardButton.CancelButton: "Hủy"}
CHOICES = (  # (choice, button text, what it does)
    ("new", "Thiết lập đơn vị mới",
     "Nhập thông tin xã (hoặc cơ quan cấp trên), các ấp, và chọn nơi lưu dữ liệu."),
    ("demo", "Mở dữ liệu mẫu để xem thử",
     "Một xã giả định với khoảng 1.500 hộ; lưu riêng, không ảnh hưởng dữ liệu thật."),
    ("open", "Mở tệp dữ liệu có sẵn…",
     "Tệp dữ liệu (.db) đã tạo trước đây hoặc chép từ máy khác."),
)

ENCRYPTION_NOTE = ("Dữ liệu sẽ được mã hóa: chỉ mở được bằng mật khẩu của một tài khoản, hoặc bằng mã khôi "
                   "phục mà chương trình đưa ra khi tạo xong. Quên hết mật khẩu và mất mã khôi phục thì không "
                   "ai mở được dữ liệu nữa, kể cả người làm ra phần mềm.")


class WelcomePage(QWizardPage):
    def __init__(self, open_file: Callable[[], None]) -> None:
        super().__init__()
        self.setTitle("Chào mừng")
        self.setSubTitle("Phần mềm theo dõi phong trào Toàn dân bảo vệ an ninh Tổ quốc.")
        self._open_file = open_file
        self._build()
        self.choices.buttonToggled.connect(self._on_choice_changed)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(note_label("Tổ nhân dân tự quản, sinh hoạt tổ, cam kết của hộ gia đình, "
                                    "mô hình phòng, chống tội phạm — trên một máy, không cần "
                                    "mạng.", style=""))
        layout.addSpacing(8)
        layout.addWidget(QLabel("<b>Chọn cách bắt đầu:</b>"))
        self.choices = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for choice, text, detail in CHOICES:
            button = QRadioButton(text)
            self.buttons[choice] = button
            self.choices.addButton(button)
            layout.addWidget(button)
            layout.addWidget(_indented(note_label(detail)))
        self.buttons["new"].setChecked(True)
        layout.addStretch(1)

    def choice(self) -> str:
        return next(c for c, button in self.buttons.items() if button.isChecked())

    def _on_choice_changed(self) -> None:
        # Opening a file ends the wizard from here: the Next button says so.
        # (QWizard does not re-read nextId() when it changes, so the page
        # keeps a next page and ends the wizard in validatePage instead.)
        text = "Mở tệp…" if self.choice() == "open" else BUTTON_TEXTS[QWizard.WizardButton.NextButton]
        self.setButtonText(QWizard.WizardButton.NextButton, text)

    def nextId(self) -> int:
        return PageId.DEMO if self.choice() == "demo" else PageId.UNIT

    def validatePage(self) -> bool:
        if self.choice() != "open":
            return True
        self._open_file()
        return False


class SetupAdminPage(AdminPage):
    """The administrator's page, saying plainly what the password protects."""

    def __init__(self) -> None:
        super().__init__()
        layout = self.layout()
        layout.insertWidget(layout.count() - 1, note_label(ENCRYPTION_NOTE, style=""))  # above the stretch


def _indented(widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(24, 0, 0, 6)
    layout.addWidget(widget)
    return box


@dataclass(frozen=True)
class SetUpDone:
    """The file to open; ``signed_in_as``: the administrator the wizard just created
    (opening it signs them in without asking for the password they just chose)."""

    path: Path
    signed_in_as: str | None = None


class SetupWizard(QWizard):
    """``database_path`` is the file to open once the wizard is accepted."""

    def __init__(self, parent: QWidget | None = None, *, database_path: Path | None = None,
                 demo_path: Path | None = None, demo_households: int = 1500) -> None:
        super().__init__(parent)
        self.database_path: Path | None = None
        self.signed_in_as: str | None = None
        self._busy = self._opening = False
        self.setWindowTitle("Thiết lập ban đầu")
        for button, text in BUTTON_TEXTS.items():
            self.setButtonText(button, text)
        self.welcome_page = WelcomePage(self._on_open_file)
        self.unit_page = UnitPage()
        self.hamlets_page = HamletsPage()
        self.admin_page = SetupAdminPage()
        self.storage_page = StoragePage(database_path or default_database_path(),
                                        self.office_setup, self._on_created, self._on_busy)
        self.demo_page = DemoPage(demo_path or default_demo_path(), demo_households,
                                  self._on_demo_ready, self._on_busy)
        for page_id, page in ((PageId.WELCOME, self.welcome_page), (PageId.UNIT, self.unit_page),
                              (PageId.HAMLETS, self.hamlets_page), (PageId.ADMIN, self.admin_page),
                              (PageId.STORAGE, self.storage_page), (PageId.DEMO, self.demo_page)):
            self.setPage(page_id, page)
        self.setStartId(PageId.WELCOME)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """Size from the text size (the user may enlarge it), within the screen."""
        em = self.fontMetrics().height()
        available = self.screen().availableGeometry()
        self.resize(min(46 * em, int(available.width() * 0.9)),
                    min(36 * em, int(available.height() * 0.9)))

    def office_setup(self) -> OfficeSetup:
        unit = self.unit_page.values()
        hamlet_type, hamlets = self.hamlets_page.hamlets()
        commune = self.unit_page.role() == OfficeRole.COMMUNE
        return OfficeSetup(role=self.unit_page.role(), unit_type=unit["unit_type"] or "",
                           unit_name=unit["unit_name"] or "", unit_code=unit["unit_code"],
                           province=unit["province"] or "", district=unit["district"],
                           upper_office=unit["upper_office"], hamlet_type=hamlet_type,
                           hamlets=hamlets if commune else (), admin=self.admin_page.form.admin(),
                           key_backup=self.unit_page.key_backup())

    def is_busy(self) -> bool:
        return self._busy

    def initializePage(self, page_id: int) -> None:
        if page_id == PageId.HAMLETS:
            self.hamlets_page.suggest_type(self.unit_page.values()["unit_type"])
        super().initializePage(page_id)

    def reject(self) -> None:
        if not self._busy:  # a file half-written must finish (or be removed) first
            super().reject()

    # ---- callbacks from the pages -------------------------------------------
    def _on_busy(self, busy: bool) -> None:
        self._busy = busy
        # The pages that write are last pages: this keeps Back off meanwhile.
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, busy)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not busy)

    def _on_open_file(self) -> None:
        start = str(self.storage_page.path.text() or default_database_path().parent)
        chosen, _ = QFileDialog.getOpenFileName(self, "Mở tệp dữ liệu có sẵn", start, DB_FILTER)
        if chosen:
            self.database_path = Path(chosen)
            self._opening = True
            QTimer.singleShot(0, self.accept)  # after the page's validatePage returned

    def validateCurrentPage(self) -> bool:
        # accept() validates the current page again; a chosen file is enough.
        return self._opening or super().validateCurrentPage()

    def _on_created(self, created: CreatedOffice) -> None:
        self.database_path = created.path
        if created.recovery_code:
            username = normal_username(self.admin_page.form.admin().username)
            self.signed_in_as = username  # the process holds the new file's key (create_office_database)
            setup = self.office_setup()
            show_recovery_code(self, username, created.recovery_code, data_file=created.path,
                               office_name=office_label(setup.unit_type, setup.unit_name))
            remember_user(QSettings(), created.path, username)  # the sign-in box for this file starts with it
        self.accept()

    def done_result(self) -> SetUpDone | None:
        if self.database_path is None:
            return None
        # Only a file made here carries its administrator in (not a file chosen with «Mở tệp»).
        return SetUpDone(self.database_path, None if self._opening else self.signed_in_as)

    def _on_demo_ready(self, path: Path | None) -> None:
        self.database_path = path


def run_setup_wizard(parent: QWidget | None = None, *,
                     database_path: Path | None = None) -> SetUpDone | None:
    """Show the wizard; the database to open (and who is signed in to it), or None
    if the user gave up."""
    wizard = SetupWizard(parent, database_path=database_path)
    if not wizard.exec():  # 0: rejected
        return None
    return wizard.done_result()
