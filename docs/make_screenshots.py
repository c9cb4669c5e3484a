"""Take the user guide's screenshots (docs/images/*.png) from the real app.

    .venv/bin/python docs/make_screenshots.py            # all of them
    .venv/bin/python docs/make_screenshots.py mo-hinh   # only the named ones

Runs offscreen (no display needed) on a fresh demo commune (the same data as
``gocong-desktop demo``, seed 0) in a temporary folder, with settings, logs and
data folders pointed there too, so nothing of the developer's is read or changed.
The main window is 1366×768, the screen size most commune PCs have. Each PNG is
reduced to 256 colours (text stays sharp) so it stays well under 150 KB.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

# A fixed folder name: the status bar shows the database's path in several pictures.
TMP = Path(tempfile.gettempdir()) / "gocong_desktop-huong-dan"
shutil.rmtree(TMP, ignore_errors=True)
TMP.mkdir(parents=True)
# Qt's offscreen screen is 800×800 unless told otherwise, and the app shrinks its windows
# to the screen: a 1366×768 office screen (a JSON file the offscreen platform reads).
SCREEN = TMP / "man-hinh-1366x768.json"
SCREEN.write_text('{"screens": [{"name": "office", "x": 0, "y": 0, "width": 1366, "height": 768, '
                  '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}')
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(TMP / var.lower())

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, QSettings, QSize  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.db.models import MeetingStatus  # noqa: E402
from gocong_desktop.core.demo import generate_demo  # noqa: E402
from gocong_desktop.core.demo.accounts import PASSWORD as DEMO_PASSWORD  # noqa: E402
from gocong_desktop.core.services.accounts import sign_in  # noqa: E402
from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf  # noqa: E402
from gocong_desktop.core.services import households, meetings, prevention  # noqa: E402
from gocong_desktop.core.services.minutes_data import minutes_document  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "images"
WINDOW = QSize(1366, 768)
MAX_BYTES = 150_000
NAV = {"tong-quan": 0, "to-tu-quan": 1, "ho-gia-dinh": 2, "sinh-hoat-to": 3, "cam-ket": 4, "mo-hinh": 5}


def settle(ms: int = 300) -> None:
    """Let debounced searches, layouts and paints happen."""
    QApplication.processEvents()
    QTest.qWait(ms)


def save(widget: QWidget, name: str) -> None:
    settle()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    image = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path = OUT / f"{name}.png"
    image.save(path, optimize=True)
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT)}: {image.width}×{image.height}, {size / 1000:.0f} KB"
          + ("  (over 150 KB!)" if size > MAX_BYTES else ""))


class Shots:
    """One method per screenshot, named like its file."""

    def __init__(self) -> None:
        self.app = create_app()
        self.db_path = TMP / "xa-binh-tan.db"
        generate_demo(self.db_path, households=1500, seed=0)
        self.db = open_database(self.db_path)
        sign_in(self.db, "quantri", DEMO_PASSWORD)  # the demo's administrator: every button on
        settings = QSettings(str(TMP / "settings.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(make_context(self.db, settings))
        self.window.resize(WINDOW)
        self.window.show()

    def page(self, name: str) -> None:
        self.window.nav.setCurrentRow(NAV[name])
        settle()

    # ---- first set-up ---------------------------------------------------
    def thiet_lap_chao_mung(self) -> None:
        from gocong_desktop.gui.setup.wizard import SetupWizard

        wizard = SetupWizard(database_path=TMP / "moi" / "gocong.db", demo_path=TMP / "mau.db")
        wizard.show()
        save(wizard, "thiet-lap-chao-mung")
        wizard.next()
        unit = wizard.unit_page
        unit.unit_type.setCurrentText("xã")
        unit.unit_name.setText("Bình Tân")
        unit.unit_code.setText("28513")
        unit.province.setText("Tiền Giang")
        unit.upper_office.setText("Công an tỉnh Tiền Giang")
        save(wizard, "thiet-lap-don-vi")
        wizard.next()  # Ấp, khu phố
        wizard.next()  # Tài khoản quản trị
        form = wizard.admin_page.form
        form.display_name.setText("Nguyễn Văn An")
        form.password.setText("mat-khau-demo")
        form.confirm.setText("mat-khau-demo")
        save(wizard, "thiet-lap-tai-khoan")
        wizard.reject()

    def dang_nhap(self) -> None:
        from gocong_desktop.gui.security.sign_in import SignInDialog

        dialog = SignInDialog(self.db, "xã Bình Tân", username="quantri")
        dialog.show()
        save(dialog, "dang-nhap")
        dialog.reject()

    def tai_khoan(self) -> None:
        from gocong_desktop.gui.security.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.window.ctx, self.window)
        dialog.resize(760, 360)
        dialog.show()
        save(dialog, "tai-khoan")
        dialog.reject()

    # ---- daily work -----------------------------------------------------
    def tong_quan(self) -> None:
        self.page("tong-quan")
        charts = self.window.overview_page.charts
        for _ in range(200):  # drawn once the window is up
            if charts.drawn:
                break
            settle(100)
        save(self.window, "tong-quan")

    def to_tu_quan(self) -> None:
        self.page("to-tu-quan")
        page = self.window.groups_page
        page.hamlets.list.setCurrentRow(1)
        settle()
        page.table.selectRow(0)
        save(self.window, "to-tu-quan")

    def ho_gia_dinh(self) -> None:
        self.page("ho-gia-dinh")
        page = self.window.households_page
        page.search.setText("nguyen van")
        settle(600)
        page.table.selectRow(0)
        save(self.window, "ho-gia-dinh")

    def ho_gia_dinh_sua(self) -> None:
        from gocong_desktop.gui.households.dialog import HouseholdDialog

        row = self.db_read(households.list_households, search="nguyen van", limit=1)[0]
        dialog = HouseholdDialog(self.window.ctx, household_id=row.id, parent=self.window)
        dialog.show()
        save(dialog, "ho-gia-dinh-sua")
        dialog.reject()

    def sinh_hoat_to(self) -> None:
        self.page("sinh-hoat-to")
        page = self.window.meetings_page
        page.select(self.final_meeting().id)
        save(self.window, "sinh-hoat-to")

    def bien_ban_diem_danh(self) -> None:
        self.page("sinh-hoat-to")
        editor = self.window.meetings_page.open_editor(self.draft_meeting().id)
        editor.resize(WINDOW.width() - 80, WINDOW.height() - 60)
        editor.tabs.setCurrentIndex(1)  # Điểm danh
        save(editor, "bien-ban-diem-danh")
        editor.close()

    def bien_ban_pdf(self) -> None:
        from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog

        meeting = self.final_meeting()
        path = TMP / "bien-ban.pdf"
        with self.db.session() as session:
            write_minutes_pdf(minutes_document(session, meeting.id), path)
        dialog = PdfPreviewDialog(path, title="Xem trước", file_name=path.name,
                                  settings=self.window.ctx.settings, parent=self.window)
        dialog.resize(900, 700)
        dialog.show()
        save(dialog, "bien-ban-pdf")
        dialog.reject()

    def kiem_tra_bien_ban(self) -> None:
        from gocong_desktop.core.services.minutes_codes import short_code
        from gocong_desktop.gui.meetings.verify_dialog import VerifyMinutesDialog

        meeting = self.final_meeting()
        with self.db.session() as session:
            code = short_code(minutes_document(session, meeting.id).content_hash)
        dialog = VerifyMinutesDialog(self.window.ctx, parent=self.window)
        dialog.code.setText(code)
        dialog.check_code()
        self.window.ctx.tasks.wait()
        dialog.show()
        save(dialog, "kiem-tra-bien-ban")
        dialog.reject()

    def cam_ket(self) -> None:
        self.page("cam-ket")
        page = self.window.pledges_page
        tree = page.tree
        hamlet = tree.topLevelItem(0).child(0) if tree.topLevelItemCount() else None
        group = hamlet.child(0) if hamlet is not None and hamlet.childCount() else hamlet
        if group is not None:
            tree.setCurrentItem(group)
        settle()
        page.only_unsigned.setChecked(True)
        settle()
        page.model.tick_unsigned()
        save(self.window, "cam-ket")

    def mo_hinh(self) -> None:
        self.page("mo-hinh")
        page = self.window.models_page
        rows = self.db_read(prevention.list_models)
        rated = next((r for r in rows if r.last_rating), rows[0])
        page.select_model(rated.id)
        save(self.window, "mo-hinh")

    def danh_gia_mo_hinh(self) -> None:
        from gocong_desktop.gui.prevention.evaluation_dialog import EvaluationDialog

        model = self.db_read(prevention.list_models)[0]
        dialog = EvaluationDialog(self.window.ctx, model_id=model.id, model_name=model.name,
                                  parent=self.window)
        for spin, value in zip(getattr(dialog, "scores", {}).values(), (8, 7.5, 8, 7, 8.5, 7)):
            spin.setValue(value)  # a filled-in form reads better than zeros
        dialog.show()
        save(dialog, "danh-gia-mo-hinh")
        dialog.reject()

    # ---- helpers --------------------------------------------------------
    def db_read(self, fn: Callable, *args, **kwargs):
        with self.db.session() as session:
            return fn(session, *args, **kwargs)

    def final_meeting(self):
        return next(m for m in self.db_read(meetings.list_meetings) if m.status == MeetingStatus.FINAL)

    def draft_meeting(self):
        rows = self.db_read(meetings.list_meetings)
        return next((m for m in rows if m.status == MeetingStatus.DRAFT), rows[0])

    def close(self) -> None:
        self.window.close()
        self.db.close()


SHOTS = ["thiet-lap-chao-mung", "dang-nhap", "tai-khoan", "tong-quan", "to-tu-quan", "ho-gia-dinh",
         "ho-gia-dinh-sua", "sinh-hoat-to", "bien-ban-diem-danh", "bien-ban-pdf", "kiem-tra-bien-ban", "cam-ket",
         "mo-hinh",
         "danh-gia-mo-hinh"]


def main(argv: list[str]) -> int:
    wanted = argv or SHOTS
    unknown = [n for n in wanted if n not in SHOTS]
    if unknown:
        print(f"unknown: {', '.join(unknown)}; choose from: {', '.join(SHOTS)}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    shots = Shots()
    try:
        for name in wanted:
            getattr(shots, name.replace("-", "_"))()
    finally:
        shots.close()
        shutil.rmtree(TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
