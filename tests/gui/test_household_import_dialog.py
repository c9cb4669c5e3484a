"""«Nhập từ Excel…» through its real widgets: columns guessed and changed by
their combos, the preview listing each row's problem, the import on the
worker, the columns chosen remembered the next time the dialog opens."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from gocong_desktop.core.services import household_import as hi  # noqa: E402
from gocong_desktop.core.services import households  # noqa: E402
from gocong_desktop.gui.households.import_dialog import HouseholdImportDialog  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
from gocong_desktop.gui.widgets import last_folders  # noqa: E402
from gocong_desktop.gui.widgets.last_folders import last_folder  # noqa: E402
from tests.core.household_lists import write_xlsx  # noqa: E402
from tests.core.sync.conftest import dump  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402

HEADERS = ["Người đứng tên", "Sinh năm", "Ấp", "Số ĐT"]
ROWS = [["Lê Văn Tám", 1975, "Lợi An", "0912345678"], ["Hộ Lỗi", 1980, "Không Có", None],
        ["Nguyễn Văn Ba", 1960, "Lợi An", "0987654321"]]


def open_dialog(qtbot, ctx, path) -> HouseholdImportDialog:
    dialog = HouseholdImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    settle(ctx)
    return dialog


def preview_texts(dialog) -> list[list[str]]:
    table = dialog.preview
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def names(seeded) -> list[str]:
    with seeded.db.session() as s:
        return [r.head_name for r in households.list_households(s)]


def test_columns_preview_import_and_remembered(qtbot, seeded_ctx, seeded, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", ROWS, HEADERS, titles=())
    dialog = open_dialog(qtbot, seeded_ctx, path)
    assert dialog.mapping() == [hi.IGNORED, "birth_year", "hamlet", "phone"]
    assert "Không tìm thấy cột «Họ và tên chủ hộ»" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    before = dump(seeded.db.path)
    dialog.set_column("Người đứng tên", "head_name")  # the combo, as a person picks it
    settle(seeded_ctx)
    rows = preview_texts(dialog)
    assert rows[0][:4] == ["3", "Hộ Lỗi", "Không Có", "Bỏ qua vì lỗi"]  # problems first
    assert "Không có ấp «Không Có»" in rows[0][4]
    assert [r[3] for r in rows[1:]] == ["Thêm", "Cập nhật"]
    assert "thêm 1 hộ, cập nhật 1 hộ" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # a refused row: all or nothing unless ticked
    assert dump(seeded.db.path) == before  # previewing wrote nothing
    dialog.skip_refused.setChecked(True)
    assert dialog.import_button.isEnabled()
    reports = []
    dialog._relay.moved.connect(lambda *report: reports.append(report))
    when_shown(QMessageBox, lambda box: box.accept())
    dialog.import_button.click()
    assert dialog.importing and not dialog.close_button.isEnabled() and not dialog.import_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10_000)
    settle(seeded_ctx)
    assert "Lê Văn Tám" in names(seeded) and "Hộ Lỗi" not in names(seeded)
    assert ("Đang kiểm tra", 0, 3) in reports and ("Đang ghi", 0, 3) in reports  # the dialog's progress bar

    second = write_xlsx(tmp_path / "ds2.xlsx", [["Lê Văn Chín", 1977, "Lợi An", None]], HEADERS, titles=())
    again = open_dialog(qtbot, seeded_ctx, second)
    assert again.mapping() == ["head_name", "birth_year", "hamlet", "phone"]  # remembered from the last import
    assert again.import_button.isEnabled()


def test_a_bad_file_is_explained(qtbot, seeded_ctx, tmp_path, monkeypatch) -> None:
    (tmp_path / "rac.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(tmp_path / "rac.xlsx"), "")))
    dialog = HouseholdImportDialog(seeded_ctx)
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    settle(seeded_ctx)
    assert last_folder(seeded_ctx.settings, last_folders.HOUSEHOLD_LISTS) == tmp_path  # the next pick starts here
    assert "không phải tệp Excel (.xlsx) đọc được" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and dialog.preview.rowCount() == 0
    good = write_xlsx(tmp_path / "ds.xlsx", ROWS, HEADERS, titles=())
    dialog.load(good)
    settle(seeded_ctx)
    assert dialog.columns.rowCount() == 4
    dialog.load(tmp_path / "rac.xlsx")  # a bad file after a good one: its columns go too
    settle(seeded_ctx)
    assert dialog.columns.rowCount() == 0 and dialog.file_label.text() == "" and not dialog.import_button.isEnabled()


def test_the_dialog_fits_the_screen(qtbot, seeded_ctx) -> None:
    dialog = HouseholdImportDialog(seeded_ctx)
    qtbot.addWidget(dialog)
    available = dialog.screen().availableGeometry()
    assert dialog.width() <= available.width() and dialog.height() <= available.height()
    assert dialog.minimumSizeHint().width() <= 800 and dialog.minimumSizeHint().height() <= 560


def test_page_opens_the_dialog(qtbot, seeded_ctx, monkeypatch) -> None:
    page = HouseholdsPage(seeded_ctx)
    qtbot.addWidget(page)
    opened = []
    monkeypatch.setattr(HouseholdImportDialog, "exec", lambda self: opened.append(self) or 0)
    page.import_button.click()
    assert len(opened) == 1 and opened[0].windowTitle() == "Nhập danh sách hộ gia đình từ Excel"


def test_the_dialog_opens_on_choosing_the_file(qtbot, seeded_ctx):
    dialog = HouseholdImportDialog(seeded_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.choose_button  # Enter chooses it; «Nhập» waits for a file
