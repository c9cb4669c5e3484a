"""Opens every page and dialog on one small screen and prints what does not fit.

Run in a process of its own (the scale factor is read when QApplication starts):
    QT_SCALE_FACTOR=1.25 QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json \
        python -m tests.gui.screen_fit_probe FOLDER [--shots] [--server URL]
tests/gui/test_screen_fit.py writes SCREEN.json and runs it for each office screen.
Each problem is one JSON line on stdout: {"where": ..., "what": ...}; --shots saves a
picture of each page and dialog (and of each of their tabs) in FOLDER/anh. --server
checks only the upper office moved onto that PostgreSQL database (empty at first).

Dialogs not opened here (each needs a file or a refusal to show): the amendment snapshot,
the sync preview of a package, the PDF preview, the encryption of a plain file, another
office's backup confirmation; Qt's own message and file boxes.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import tests.conftest  # noqa: F401  (the suite's quick key stretching: files open at once)

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QLabel, QMainWindow, QStyle, QStyleOptionComboBox,
                               QStyleOptionTab, QTabBar, QTabWidget, QWidget)

from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.services import accounts, groups, hamlets, households, meetings, prevention
from gocong_desktop.core.services.review_period import period_for
from gocong_desktop.core.settings.backup_places import BackupSettings
from gocong_desktop.gui.application import create_app
from gocong_desktop.gui.app import make_context
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.main_window import MainWindow

# Windows' taskbar (40 px) and a window's title bar (about 30 px), in logical pixels at 125%.
TASKBAR_AND_TITLE = 56
ADMIN = Principal("quantri", "Quản trị viên (mẫu)", Role.ADMIN)


def report(where: str, what: str) -> None:
    print(json.dumps({"where": where, "what": what}, ensure_ascii=False), flush=True)


# ---- what is checked ---------------------------------------------------------
def plain(label: QLabel) -> str:
    if label.textFormat() != label.textFormat().PlainText and "<" in label.text():
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(label.text())
        return doc.toPlainText()
    return label.text()


def shown(text: str) -> str:
    """``text`` as drawn: "&&" is "&", a single "&" marks the Alt key's letter."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def clipped_texts(root: QWidget) -> list[str]:
    """Texts shown cut: a label or button narrower than its text, a word-wrapped
    label shorter than its lines, a tab narrower or lower than its label."""
    out = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
            continue
        if label.toolTip() == label.text():
            continue  # cut on purpose, the whole text in its tooltip (gui/widgets/elided_label.py)
        room = label.contentsRect()
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height() + 1:
                out.append(f"nhãn bị cắt dòng: «{plain(label)[:60]}»")
            continue
        lines = shown(plain(label)).splitlines() or [""]
        if max(label.fontMetrics().horizontalAdvance(line) for line in lines) > room.width() + 1:
            out.append(f"nhãn bị cắt: «{plain(label)[:60]}» ({room.width()} px)")
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root) and button.text() and button.sizeHint().width() > button.width() + 1:
            out.append(f"nút bị cắt: «{button.text()}» ({button.width()} < {button.sizeHint().width()} px)")
    for combo in root.findChildren(QComboBox):
        if combo.isVisibleTo(root) and not combo.isEditable() and combo.currentText():
            option = QStyleOptionComboBox()
            combo.initStyleOption(option)
            field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                                 QStyle.SubControl.SC_ComboBoxEditField, combo)
            if combo.fontMetrics().horizontalAdvance(combo.currentText()) > field.width() + 1:
                out.append(f"ô chọn bị cắt: «{combo.currentText()}» ({field.width()} px)")
    for bar in root.findChildren(QTabBar):
        if not bar.isVisibleTo(root):
            continue
        for i in range(bar.count()):
            option = QStyleOptionTab()
            bar.initStyleOption(option, i)
            text = bar.style().subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar)
            if text.width() < bar.fontMetrics().horizontalAdvance(shown(option.text)) or \
                    text.height() < bar.fontMetrics().height():
                out.append(f"thẻ bị cắt: «{bar.tabText(i)}» ({text.width()}×{text.height()})")
    return out


def status_bar_overlaps(window: QWidget) -> list[str]:
    """Status-bar items outside the bar or over each other."""
    if not isinstance(window, QMainWindow):
        return []
    bar = window.statusBar()
    items = sorted((w.geometry() for w in bar.findChildren(QLabel) if w.isVisibleTo(bar) and w.parent() is bar),
                   key=lambda r: r.left())
    out = [f"thanh trạng thái: mục ra ngoài ({r.left()}–{r.right()})" for r in items if not bar.rect().contains(r)]
    return out + [f"thanh trạng thái: hai mục chồng lên nhau ở {b.left()} px"
                  for a, b in zip(items, items[1:]) if a.right() >= b.left()]


def settle(window: QWidget) -> None:
    """The page's reads done and shown (a read's rows may start another read)."""
    for _ in range(3):
        window.ctx.tasks.wait()
        QApplication.processEvents()


def check(where: str, widget: QWidget, shots: Path | None) -> None:
    """``widget`` as it opens, then with each other tab of its tab boxes shown."""
    check_one(where, widget, shots)
    for tabs in widget.findChildren(QTabWidget):
        if not tabs.isVisibleTo(widget):
            continue
        first = tabs.currentIndex()
        for index in range(tabs.count()):
            if index != first and tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                check_one(f"{where}-the-{index}", widget, shots)
        tabs.setCurrentIndex(first)


def check_one(where: str, widget: QWidget, shots: Path | None) -> None:
    app = QApplication.instance()
    area = widget.screen().availableGeometry()
    app.processEvents()
    # One pixel of rounding: 1024 px at 125% is 819.2 logical pixels. The offscreen screen
    # has no taskbar and windows no title bar: what a window needs must leave room for both.
    need = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    if need.width() > area.width() + 1 or need.height() > area.height() - TASKBAR_AND_TITLE:
        report(where, f"cần ít nhất {need.width()}×{need.height()}, màn hình {area.width()}×{area.height()}")
    frame = widget.frameGeometry()
    if frame.width() > area.width() + 1 or frame.height() > area.height() + 1:
        report(where, f"mở ra {frame.width()}×{frame.height()}, lớn hơn màn hình {area.width()}×{area.height()}")
    for problem in clipped_texts(widget) + status_bar_overlaps(widget):
        report(where, problem)
    if shots is not None:
        widget.grab().save(str(shots / f"{where}.png"))


# ---- the data and the windows -------------------------------------------------------
def commune_file(folder: Path) -> Path:
    path = folder / "xa.db"
    if not path.exists():
        generate_demo(path, households=100, encrypted=False)
    return path


def upper_file(folder: Path, commune: Path) -> Path:
    """An upper office that imported the demo commune's package."""
    from tests.core.sync.conftest import make_upper_office, send

    path = folder / "huyen.db"
    if not path.exists():
        make_upper_office(path)
        (folder / "usb").mkdir(exist_ok=True)
        commune_db, upper_db = open_database(commune), open_database(path)
        commune_db.user = upper_db.user = ADMIN
        send(commune_db, upper_db, folder / "usb", full=True)
        commune_db.close()
        upper_db.close()
    return path


def server_office(url: str, folder: Path) -> str:
    """The demo upper office moved onto the (empty) server database at ``url``, on
    the first run; later runs find it there."""
    from gocong_desktop.core.db.location import parse_server_url
    from gocong_desktop.core.errors import NotFoundError
    from gocong_desktop.core.upper.move_to_server import move_to_server

    try:
        open_database(url).close()
    except NotFoundError:  # no schema yet
        move_to_server(upper_file(folder, commune_file(folder)), parse_server_url(url), actor="quantri")
    return url


def open_window(db: Database, folder: Path, name: str) -> MainWindow:
    """The window as on a first run on this screen (settings of its own)."""
    size = QApplication.primaryScreen().size()
    settings = folder / f"{name}-{size.width()}x{size.height()}.ini"
    settings.unlink(missing_ok=True)
    ctx = make_context(db, QSettings(str(settings), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    window.show()
    return window


def check_pages(window: MainWindow, role: str, shots: Path | None) -> None:
    area = window.screen().availableGeometry()
    for row, title in enumerate(window.titles):
        window.nav.setCurrentRow(row)
        window.resize(area.size() - (window.frameGeometry().size() - window.size()))
        settle(window)
        check(f"{role}-trang-{row}-{title}", window, shots)


def check_dialogs(makers: dict, shots: Path | None) -> None:
    for name, make in makers.items():
        dialog = make()
        dialog.show()
        QApplication.processEvents()
        check(name, dialog, shots)
        dialog.close()
        dialog.deleteLater()


def commune_dialogs(ctx: AppContext, window: MainWindow, folder: Path) -> dict:
    from gocong_desktop.gui.documents.report_files import ReportDialog
    from gocong_desktop.gui.groups.dialog import GroupDialog
    from gocong_desktop.gui.groups.hamlet_dialogs import AddHamletsDialog, RenameHamletDialog, RetireHamletDialog
    from gocong_desktop.gui.groups.retire_dialog import RetireGroupDialog
    from gocong_desktop.gui.help_dialog import HelpDialog
    from gocong_desktop.gui.households.dialog import HouseholdDialog
    from gocong_desktop.gui.households.pledge_violations_dialog import PledgeViolationsDialog
    from gocong_desktop.gui.meetings.editor import MeetingEditor
    from gocong_desktop.gui.meetings.new_dialog import NewMeetingDialog
    from gocong_desktop.gui.meetings.verify_dialog import VerifyMinutesDialog
    from gocong_desktop.gui.pledges.campaign_dialog import OpenCampaignDialog
    from gocong_desktop.gui.pledges.template_dialog import PledgeTemplateDialog
    from gocong_desktop.gui.prevention.criteria_dialog import CriteriaDialog
    from gocong_desktop.gui.prevention.evaluation_dialog import EvaluationDialog
    from gocong_desktop.gui.prevention.propaganda_panel import PropagandaDialog
    from gocong_desktop.gui.prevention.scheme_dialog import SchemeDialog
    from gocong_desktop.gui.prevention.site_dialog import SiteDialog
    from gocong_desktop.gui.reports.narrative_editor import NarrativeEditor
    from gocong_desktop.gui.security.accounts_dialog import (AccountsDialog, AddAccountDialog, ChangePasswordDialog,
                                                             EditAccountDialog, ResetPasswordDialog)
    from gocong_desktop.gui.security.audit_dialog import AuditLogDialog
    from gocong_desktop.gui.security.recovery_code_dialog import RecoveryCodeDialog
    from gocong_desktop.gui.security.sign_in import RecoverDialog, SignInDialog, UnlockDialog
    from gocong_desktop.gui.settings_dialog import SettingsDialog
    from gocong_desktop.gui.setup.first_admin import FirstAdminDialog
    from gocong_desktop.gui.setup.wizard import SetupWizard
    from gocong_desktop.gui.storage.backup_dialogs import BackupFolderDialog, BackupPasswordDialog, RestoreDialog
    from gocong_desktop.gui.sync.key_backup_dialogs import (ExportKeyBackupDialog, ImportKeyBackupDialog,
                                                            RotateKeysDialog)

    household = ctx.read(households.list_households, limit=1)[0]
    group = ctx.read(groups.list_groups)[0]
    hamlet = ctx.read(hamlets.list_hamlets)[0]
    meeting = ctx.read(meetings.list_meetings, limit=1)[0]
    model = ctx.read(prevention.list_models)[0]
    account = ctx.read(accounts.list_accounts)[-1]
    db, w = ctx.db, window
    return {
        "ho-gia-dinh-sua": lambda: HouseholdDialog(ctx, household_id=household.id, parent=w),
        "ho-vi-pham-cam-ket": lambda: PledgeViolationsDialog(ctx, household.id, household.head_name, w),
        "to-sua": lambda: GroupDialog(ctx, group_id=group.id, parent=w),
        "to-giai-the": lambda: RetireGroupDialog(ctx, group, w),
        "ap-them": lambda: AddHamletsDialog(ctx, w),
        "ap-doi-ten": lambda: RenameHamletDialog(ctx, hamlet, w),
        "ap-giai-the": lambda: RetireHamletDialog(ctx, hamlet, w),
        "hop-them": lambda: NewMeetingDialog(ctx, parent=w),
        "hop-bien-ban": lambda: MeetingEditor(ctx, meeting.id, w),
        "hop-kiem-tra": lambda: VerifyMinutesDialog(ctx, w),
        "cam-ket-mo-dot": lambda: OpenCampaignDialog(ctx, date.today().year + 1, w),
        "cam-ket-mau": lambda: PledgeTemplateDialog(ctx, date.today().year, w),
        "mo-hinh-sua": lambda: SchemeDialog(ctx, model_id=model.id, parent=w),
        "mo-hinh-danh-gia": lambda: EvaluationDialog(ctx, model_id=model.id, model_name=model.name, parent=w),
        "mo-hinh-tieu-chi": lambda: CriteriaDialog(ctx, w),
        "mo-hinh-diem": lambda: SiteDialog(ctx, model_id=model.id, parent=w),
        "tuyen-truyen": lambda: PropagandaDialog(ctx, w),
        "bao-cao-nhan-xet": lambda: NarrativeEditor(ctx, period_for("Y", date.today().year), w),
        "tai-khoan": lambda: AccountsDialog(ctx, w),
        "tai-khoan-them": lambda: AddAccountDialog(ctx, w),
        "tai-khoan-sua": lambda: EditAccountDialog(ctx, account, w),
        "tai-khoan-dat-lai": lambda: ResetPasswordDialog(ctx, account, w),
        "doi-mat-khau": lambda: ChangePasswordDialog(ctx, ADMIN.username, w),
        "nhat-ky": lambda: AuditLogDialog(ctx, w),
        "ma-khoi-phuc": lambda: RecoveryCodeDialog("quantri", "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ", w),
        "dang-nhap": lambda: SignInDialog(db, "xã Bình Tân", username="quantri"),
        "quen-mat-khau": lambda: RecoverDialog(db, "quantri"),
        "mo-khoa": lambda: UnlockDialog(db, ADMIN, 10, w),
        "mo-khoa-sai-mat-khau": lambda: refused(UnlockDialog(db, ADMIN, 10, w)),
        "cai-dat": lambda: SettingsDialog(ctx, w),
        "huong-dan": lambda: HelpDialog(w),
        "thiet-lap": lambda: SetupWizard(w),
        "quan-tri-dau-tien": lambda: FirstAdminDialog(db, "xã Bình Tân", w),
        "mo-hinh-bao-cao": lambda: ReportDialog(ctx, w),
        "sao-luu-thu-muc": lambda: BackupFolderDialog(BackupSettings(), "xa", w),
        "sao-luu-khoi-phuc": lambda: RestoreDialog([], w),
        "sao-luu-mat-khau": lambda: BackupPasswordDialog(folder / "xa.bak", "quantri", w),
        "khoa-xuat": lambda: ExportKeyBackupDialog(ctx, w),
        "khoa-nhap": lambda: ImportKeyBackupDialog(ctx, w),
        "khoa-doi": lambda: RotateKeysDialog(ctx, "commune", w),
    }


def refused(dialog):
    """The lock screen after a wrong password: its message must show whole."""
    dialog.show()
    dialog.password.setText("khong-dung")
    dialog._unlock()  # «Mở khóa» with the wrong password
    return dialog


def upper_dialogs(ctx: AppContext, window: MainWindow) -> dict:
    panel = window.sync_page.panel
    return {"huyen-ho-so-xa": lambda: panel.open_commune(0)}


def check_office(path: Path | str, name: str, dialogs, folder: Path, shots: Path | None) -> None:
    """The office's window (a file's or a server's), its pages, then the dialogs
    ``dialogs(ctx, window)`` lists."""
    db = open_database(path)
    db.user = ADMIN
    window = open_window(db, folder, name)
    check_pages(window, name, shots)
    check_dialogs(dialogs(window.ctx, window), shots)
    window.close()
    window.ctx.tasks.wait()
    db.close()


def main() -> None:
    folder = Path(sys.argv[1])
    shots = folder / "anh" if "--shots" in sys.argv else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    create_app()
    if "--server" in sys.argv:  # the upper office on a PostgreSQL server, alone
        url = server_office(sys.argv[sys.argv.index("--server") + 1], folder)
        check_office(url, "may-chu", upper_dialogs, folder, shots)
        print("xong", flush=True)
        return
    commune = commune_file(folder)
    check_office(commune, "xa", lambda ctx, window: commune_dialogs(ctx, window, folder), folder, shots)
    check_office(upper_file(folder, commune), "huyen", upper_dialogs, folder, shots)
    print("xong", flush=True)

if __name__ == "__main__":
    main()
