"""The Sync page through its real widgets: a commune exports a package to a
"USB stick", the upper office imports it after confirming the sender's
fingerprint once (preview first), its dashboard counts the commune's
households, a second import reports "đã nhập", and a receipt taken back
marks the package delivered."""

from __future__ import annotations

import os
from tests import app_sqlite as sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from gocong_desktop.core.db.access import Principal, Role  # noqa: E402
from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.db.models import Household, SyncKey  # noqa: E402
from gocong_desktop.core.services import households, office  # noqa: E402
from gocong_desktop.core.sync import office_card, write_key_card  # noqa: E402
from gocong_desktop.core.text import format_int  # noqa: E402
from gocong_desktop.gui.sync import common as sync_common, commune as sync_commune, upper as sync_upper  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.sync.preview_dialog import SyncPreviewDialog  # noqa: E402
from gocong_desktop.gui.sync import page as sync_page  # noqa: E402
from gocong_desktop.gui.sync.page import SyncPage  # noqa: E402
from sqlmodel import select  # noqa: E402
from tests.core.sync.conftest import dump  # noqa: E402
from tests.core.sync.forge_keys import Forger, audit_entries, forged_receipt, registered_upper  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

HOUSEHOLDS_COLUMN = 5


@pytest.fixture
def upper_db(tmp_path: Path):
    path = tmp_path / "upper" / "huyen.db"
    path.parent.mkdir()
    database = open_database(path, create=True)
    with database.session(actor="tester") as s:
        office.setup_office(
            s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện", province_name="Tiền Giang"
        )
    yield database
    database.close()


@pytest.fixture
def contexts(seeded, upper_db, tmp_path):
    create_app()
    made = [
        make_context(db, QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
        for name, db in (("xa", seeded.db), ("huyen", upper_db))
    ]
    yield made
    for context in made:
        context.tasks.wait()


@pytest.fixture
def ui(monkeypatch, tmp_path):
    """Dialogs replaced: the chosen folder, result boxes, confirmations, previews."""
    state = {"folder": tmp_path / "USB", "shown": [], "confirms": [], "previews": [], "errors": [], "answer": True}
    state["folder"].mkdir()
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(state["folder"]))
    )

    def show(_parent, title, lines):
        state["shown"].append((title, list(lines)))

    def confirm(_parent, title, text, ok_text):
        state["confirms"].append(text)
        return state["answer"]

    def error(_parent, exc, **_kw):
        state["errors"].append(exc)

    def preview(parent, result):
        dialog = SyncPreviewDialog(result, parent)
        state["previews"].append(dialog.totals())
        dialog.deleteLater()
        return True

    for module in (sync_common, sync_commune, sync_upper, sync_page):
        monkeypatch.setattr(module, "show_lines", show)
    for module in (sync_commune, sync_upper, sync_page):
        monkeypatch.setattr(module, "show_error", error)
    monkeypatch.setattr(sync_common, "confirm", confirm)
    monkeypatch.setattr(sync_upper, "preview_package", preview)
    return state


def _page(qtbot, ctx) -> SyncPage:
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    settle(page)
    return page


def _shot(page: SyncPage, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SYNC_SCREENSHOT_DIR") or tmp_path)
    assert page.grab().save(str(folder / name))


def _choose_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def _key_card(database, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    with database.session() as s:
        return write_key_card(s, folder)


def _wait_shown(qtbot, ui, title: str, count: int = 1) -> list[str]:
    qtbot.waitUntil(lambda: sum(t == title for t, _l in ui["shown"]) >= count, timeout=15000)
    return [lines for t, lines in ui["shown"] if t == title][count - 1]


def test_export_import_dashboard_and_receipt(qtbot, seeded, upper_db, contexts, ui, tmp_path, monkeypatch):
    commune_ctx, upper_ctx = contexts
    commune = _page(qtbot, commune_ctx)
    assert not commune.is_upper
    with seeded.db.session() as s:
        fingerprint = office_card(s).fingerprint
        household_count = households.count_households(s)
    assert commune.fingerprint_label.text() == fingerprint

    # the commune exports onto the "USB stick"; the package is listed as exported
    qtbot.mouseClick(commune.panel.export_button, Qt.MouseButton.LeftButton)
    lines = _wait_shown(qtbot, ui, "Đã xuất gói đồng bộ")
    summary = commune.panel.last_summary
    assert summary.path.parent == ui["folder"] and summary.path.is_file()
    assert summary.path.name in lines[0] and lines[-1].endswith("Có thể rút USB an toàn.")
    qtbot.waitUntil(lambda: commune.panel.model.rowCount() == 1, timeout=5000)
    assert commune.panel.model.index(0, 5).data() == "Đã xuất"
    _shot(commune, tmp_path, "sync-commune.png")

    # the upper office imports the folder: fingerprint confirmed once, preview, then "Nhập"
    upper = _page(qtbot, upper_ctx)
    assert upper.is_upper
    qtbot.mouseClick(upper.panel.import_folder_button, Qt.MouseButton.LeftButton)
    lines = _wait_shown(qtbot, ui, "Kết quả nhập gói")
    assert len(ui["confirms"]) == 1 and fingerprint in ui["confirms"][0]
    assert ui["previews"][0]["new"] >= household_count
    assert [r.status for r in upper.panel.last_results] == ["imported"]
    qtbot.waitUntil(lambda: upper.panel.dashboard.rowCount() == 1, timeout=5000)
    dashboard = upper.panel.dashboard
    assert dashboard.index(0, HOUSEHOLDS_COLUMN).data() == format_int(household_count)
    assert upper.panel.imports.rowCount() == 1
    _shot(upper, tmp_path, "sync-upper.png")

    # importing again changes nothing and says so, without asking again
    qtbot.mouseClick(upper.panel.import_folder_button, Qt.MouseButton.LeftButton)
    lines = _wait_shown(qtbot, ui, "Kết quả nhập gói", count=2)
    assert "đã nhập" in "\n".join(lines)
    assert [r.status for r in upper.panel.last_results] == ["already_imported"]
    assert len(ui["confirms"]) == 1 and len(ui["previews"]) == 1

    # a receipt written upstairs and imported at the commune marks the package delivered
    ui["folder"] = tmp_path / "receipts"
    ui["folder"].mkdir()
    upper.panel.dashboard_table.selectRow(0)
    qtbot.mouseClick(upper.panel.receipt_button, Qt.MouseButton.LeftButton)
    receipt = Path(_wait_shown(qtbot, ui, "Đã ghi biên nhận")[0].removeprefix("Tệp: "))
    assert receipt.is_file()
    _choose_file(monkeypatch, receipt)
    qtbot.mouseClick(commune.panel.receipt_button, Qt.MouseButton.LeftButton)
    # refused until the upper office's key card is imported: a receipt never registers a key
    qtbot.waitUntil(lambda: len(ui["errors"]) == 1, timeout=15000)
    assert "tệp khóa của cơ quan cấp trên" in ui["errors"][0].message
    assert commune.panel.model.index(0, 5).data() == "Đã xuất" and len(ui["confirms"]) == 1
    _choose_file(monkeypatch, _key_card(upper_db, tmp_path / "khoa"))
    qtbot.mouseClick(commune.import_key_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã nhập tệp khóa")
    _choose_file(monkeypatch, receipt)
    qtbot.mouseClick(commune.panel.receipt_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã nhập biên nhận")
    qtbot.waitUntil(lambda: commune.panel.model.index(0, 5).data() == "Đã giao", timeout=5000)
    assert len(ui["confirms"]) == 1  # nothing to confirm for a receipt: checked against the key card's key


def test_preview_dialog_counts_per_kind(qtbot, seeded, upper_db, tmp_path):
    from gocong_desktop.core.sync import export_package, import_package

    create_app()
    summary = export_package(seeded.db, tmp_path)
    with seeded.db.session() as s:
        fingerprint = office_card(s).fingerprint
    result = import_package(upper_db, summary.path, trust=[fingerprint], dry_run=True)
    dialog = SyncPreviewDialog(result)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.totals()["new"] == sum(c.new for c in result.changes.values())
    assert dialog.import_button.text().replace("&", "") == "Nhập"  # an Alt+letter (issue 18)
    assert dialog.grab().save(
        str(Path(os.environ.get("SYNC_SCREENSHOT_DIR") or tmp_path) / "sync-preview.png")
    )


def test_keys_encryption_and_conflict_resolution(qtbot, seeded, upper_db, contexts, ui, tmp_path, monkeypatch):
    commune_ctx, upper_ctx = contexts
    commune, upper = _page(qtbot, commune_ctx), _page(qtbot, upper_ctx)

    # the upper office hands out its key card and prints its registration sheet
    qtbot.mouseClick(upper.card_button, Qt.MouseButton.LeftButton)
    card = Path(_wait_shown(qtbot, ui, "Đã xuất tệp khóa")[0].removeprefix("Tệp: "))
    assert card.parent == ui["folder"] and card.is_file()
    sheet = tmp_path / "phieu"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(sheet), "")))
    qtbot.mouseClick(upper.sheet_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã lưu phiếu đăng ký khóa")
    assert sheet.with_suffix(".pdf").read_bytes().startswith(b"%PDF")

    # the commune imports it: its packages are now encrypted to the upper office
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(card), "")))
    qtbot.mouseClick(commune.import_key_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã nhập tệp khóa")
    qtbot.waitUntil(lambda: "Công an huyện Gò Công Tây" in commune.peers_label.text(), timeout=5000)
    qtbot.mouseClick(commune.panel.export_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã xuất gói đồng bộ")
    assert commune.panel.last_summary.encrypted
    qtbot.mouseClick(upper.panel.import_folder_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Kết quả nhập gói")
    assert [r.status for r in upper.panel.last_results] == ["imported"]

    # same version, other content (an old backup restored at the commune): a conflict to resolve
    hoa = seeded.households["Lê Thị Hoa"]
    con = sqlite3.connect(seeded.db.path)
    con.execute("UPDATE household SET address = 'Khôi phục từ bản sao lưu' WHERE id = ?", (hoa,))
    con.commit()
    con.close()
    commune.panel.full_export.setChecked(True)
    qtbot.mouseClick(commune.panel.export_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã xuất gói đồng bộ", count=2)
    qtbot.mouseClick(upper.panel.import_folder_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Kết quả nhập gói", count=2)
    assert ui["previews"][-1]["conflicts"] == 1
    qtbot.waitUntil(lambda: upper.panel.conflicts.rowCount() == 1, timeout=5000)
    assert upper.panel.tabs.tabText(2) == "Xung đột (1)"
    upper.panel.tabs.setCurrentIndex(2)
    upper.panel.conflicts_table.selectRow(0)
    qtbot.mouseClick(upper.panel.keep_incoming_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: upper.panel.conflicts.rowCount() == 0, timeout=5000)
    with upper_db.session() as s:
        assert s.get(Household, hoa).address == "Khôi phục từ bản sao lưu"


def test_a_damaged_file_is_listed_as_refused_and_the_others_imported(qtbot, seeded, contexts, ui, tmp_path):
    """Importing a folder: the summary names the imported and the refused files."""
    from tests.core.sync.test_sync_batches import negative_seek

    commune_ctx, upper_ctx = contexts
    commune, upper = _page(qtbot, commune_ctx), _page(qtbot, upper_ctx)
    qtbot.mouseClick(commune.panel.export_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã xuất gói đồng bộ")
    good = commune.panel.last_summary.path
    negative_seek(good, ui["folder"] / "hỏng.gcsync", None)
    qtbot.mouseClick(upper.panel.import_folder_button, Qt.MouseButton.LeftButton)
    lines = _wait_shown(qtbot, ui, "Kết quả nhập gói")
    assert lines[0] == f"Kết quả: đã nhập 1 tệp ({good.name}); từ chối 1 tệp (hỏng.gcsync)."
    assert any(line.startswith("hỏng.gcsync: Tệp «hỏng.gcsync» bị hỏng") for line in lines)
    assert sorted(r.status for r in upper.panel.last_results) == ["imported", "refused"]


def test_the_commune_page_says_which_personal_fields_travel(qtbot, seeded, contexts):
    commune_ctx, _upper_ctx = contexts
    commune = _page(qtbot, commune_ctx)
    commune.refresh()
    settle(commune)
    sent, home = commune.panel.privacy_label.text().split("Giữ lại tại đơn vị, không gửi:")
    assert "Họ và tên" in sent and "Số CCCD" in home and "Số điện thoại" in home and "Số CCCD" not in sent
    assert "Hộ gia đình: họ tên chủ hộ" in commune.panel.privacy_label.toolTip()


def test_changing_the_upper_key_asks_with_both_fingerprints(qtbot, seeded, upper_db, contexts, ui, tmp_path,
                                                            monkeypatch):
    commune_ctx, _upper_ctx = contexts
    commune = _page(qtbot, commune_ctx)
    with upper_db.session() as s:
        fp_a = office_card(s).fingerprint
    _choose_file(monkeypatch, _key_card(upper_db, tmp_path / "a"))
    qtbot.mouseClick(commune.import_key_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã nhập tệp khóa")
    assert ui["confirms"] == []  # a first registration: compared with the sheet, nothing replaced
    qtbot.waitUntil(lambda: fp_a in commune.peers_label.text(), timeout=5000)

    with upper_db.session() as s:  # the upper office's PC reinstalled: new keys, a new card
        for key in s.exec(select(SyncKey)).all():
            s.delete(key)
    card_b = _key_card(upper_db, tmp_path / "b")
    with upper_db.session() as s:
        fp_b = office_card(s).fingerprint
    _choose_file(monkeypatch, card_b)
    ui["answer"] = False  # the administrator is not sure: nothing changes
    before = dump(seeded.db.path)
    qtbot.mouseClick(commune.import_key_button, Qt.MouseButton.LeftButton)
    assert len(ui["confirms"]) == 1 and fp_a in ui["confirms"][0] and fp_b in ui["confirms"][0]
    assert dump(seeded.db.path) == before
    ui["answer"] = True
    qtbot.mouseClick(commune.import_key_button, Qt.MouseButton.LeftButton)
    lines = _wait_shown(qtbot, ui, "Đã thay khóa")
    assert any(fp_a in line for line in lines) and any(fp_b in line for line in lines)
    qtbot.waitUntil(lambda: fp_b in commune.peers_label.text(), timeout=5000)
    assert [a for a, *_ in audit_entries(seeded.db.path, "key_register", "key_replace")] == [
        "key_register", "key_replace"]
    assert ui["errors"] == []

    seeded.db.user = Principal(username="canbo", display_name="Lê Thị Bình", role=Role.CLERK)
    clerk_page = _page(qtbot, commune_ctx)
    assert not clerk_page.import_key_button.isEnabled()  # and the core refuses a clerk anyway


def test_a_forged_receipt_is_refused_at_the_commune(qtbot, seeded, upper_db, contexts, ui, tmp_path,
                                                    monkeypatch):
    """Before, the commune asked to trust the forger's fingerprint, then sent
    every package to the forger while the screen named the real office."""
    commune_ctx, _upper_ctx = contexts
    commune = _page(qtbot, commune_ctx)
    _choose_file(monkeypatch, _key_card(upper_db, tmp_path / "khoa"))
    qtbot.mouseClick(commune.import_key_button, Qt.MouseButton.LeftButton)
    _wait_shown(qtbot, ui, "Đã nhập tệp khóa")
    registered = registered_upper(seeded.db.path)
    forger = Forger()
    _choose_file(monkeypatch, forged_receipt(tmp_path / "gia.gcreceipt", forger,
                                             recipient_unit_id=_unit_of(seeded.db)))
    before = dump(seeded.db.path)
    qtbot.mouseClick(commune.panel.receipt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(ui["errors"]) == 1, timeout=15000)
    assert ui["errors"][0].code == "key_changed" and ui["confirms"] == []
    assert dump(seeded.db.path) == before and registered_upper(seeded.db.path) == registered


def _unit_of(database) -> str:
    with database.session() as s:
        return office.get_office(s).unit_id


def test_a_change_the_commune_lost_in_a_restore_is_shown_and_can_be_acknowledged(qtbot, seeded, upper_db, contexts,
                                                                                   tmp_path):
    """The commune restored an older backup and edited again: the upper office
    shows the commune's record now and lists the lost change, saying why."""
    from gocong_desktop.core.storage.backup import write_backup
    from gocong_desktop.core.sync import export_package, import_package
    from tests.core.sync.conftest import fingerprint_of
    from tests.core.sync.test_sync_lineage import rename, restored

    usb, hoa = tmp_path / "USB", seeded.households["Lê Thị Hoa"]
    usb.mkdir()
    first = export_package(seeded.db, usb).path
    trust = [fingerprint_of(first)]
    import_package(upper_db, first, trust=trust)
    backup = write_backup(seeded.db.path, tmp_path / "sao-luu.db")
    rename(seeded.db, hoa, "Thay đổi sẽ mất")
    import_package(upper_db, export_package(seeded.db, usb).path, trust=trust)
    commune = restored(seeded.db, backup)
    try:
        rename(commune, hoa, "Sửa sau khôi phục")
        result = import_package(upper_db, export_package(commune, usb).path, trust=trust)
    finally:
        commune.close()
    assert result.conflicts == 1
    _commune_ctx, upper_ctx = contexts
    upper = _page(qtbot, upper_ctx)
    upper.refresh()
    settle(upper)
    qtbot.waitUntil(lambda: upper.panel.conflicts.rowCount() == 1, timeout=5000)
    upper.panel.tabs.setCurrentIndex(2)
    model = upper.panel.conflicts
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert "Xã đã mất khi khôi phục" in row and "Địa chỉ" in row  # only what a person changed, in words
    qtbot.wait(50)  # laid out before the picture
    _shot(upper, tmp_path, "xung-dot-khoi-phuc.png")
    upper.panel.conflicts_table.selectRow(0)
    qtbot.mouseClick(upper.panel.keep_incoming_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: upper.panel.conflicts.rowCount() == 0, timeout=5000)
    with upper_db.session() as s:
        assert s.get(Household, hoa).address == "Sửa sau khôi phục"  # acknowledged: the commune's record stays


def test_an_import_is_undone_from_the_list_after_confirmation(qtbot, seeded, upper_db, contexts, ui, tmp_path):
    """«Hoàn tác lần nhập…» on the list of imports: asks first; the older of two
    packages is refused (the newer one changed its records), the newer one undone."""
    from gocong_desktop.core.sync.errors import UndoRefused
    from tests.core.sync.conftest import edit_household, send

    _commune_ctx, upper_ctx = contexts
    send(seeded.db, upper_db, ui["folder"])
    edit_household(seeded.db, seeded.households["Lê Thị Hoa"], members=8)
    send(seeded.db, upper_db, ui["folder"])
    upper = _page(qtbot, upper_ctx)
    panel = upper.panel
    qtbot.waitUntil(lambda: panel.imports.rowCount() == 2, timeout=5000)
    panel.tabs.setCurrentIndex(1)
    qtbot.mouseClick(panel.undo_import_button, Qt.MouseButton.LeftButton)  # nothing chosen: says so
    assert ui["shown"][-1] == ("Hoàn tác lần nhập", ["Hãy chọn một gói trong danh sách «Gói đã nhập»."])
    newest, older = panel.imports.row_at(0), panel.imports.row_at(1)
    assert (newest.sequence, older.sequence) == (2, 1)
    last = panel.imports.columnCount() - 1  # the code ``sync undo-import`` takes
    assert panel.imports.index(0, last).data() == newest.package_uuid
    before = dump(upper_db.path)
    ui["answer"] = False  # asked, then cancelled: nothing done
    panel.imports_table.selectRow(1)
    qtbot.mouseClick(panel.undo_import_button, Qt.MouseButton.LeftButton)
    assert "gói số 1 của xã Bình Tân" in ui["confirms"][-1] and dump(upper_db.path) == before
    ui["answer"] = True
    qtbot.mouseClick(panel.undo_import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(ui["errors"]) == 1, timeout=5000)
    assert isinstance(ui["errors"][0], UndoRefused) and "gói số 2" in str(ui["errors"][0])
    assert dump(upper_db.path) == before
    panel.imports_table.selectRow(0)
    qtbot.mouseClick(panel.undo_import_button, Qt.MouseButton.LeftButton)
    lines = _wait_shown(qtbot, ui, "Đã hoàn tác lần nhập")
    assert lines[0].startswith("Đã hoàn tác lần nhập gói số 2 của xã Bình Tân")
    qtbot.waitUntil(lambda: panel.imports.rowCount() == 1, timeout=5000)
    assert panel.imports.row_at(0).sequence == 1


def test_a_viewer_cannot_undo_an_import(qtbot, seeded, upper_db, contexts, ui):
    """«Hoàn tác lần nhập…» changes data: off for a viewer, with the reason."""
    from gocong_desktop.core.db.access import Principal, Role
    from gocong_desktop.gui.widgets.form_parts import VIEWER_TIP
    from tests.core.sync.conftest import send

    _commune_ctx, upper_ctx = contexts
    send(seeded.db, upper_db, ui["folder"])
    upper_db.user = Principal(username="xem", display_name="Người xem", role=Role.VIEWER)
    try:
        panel = _page(qtbot, upper_ctx).panel
        qtbot.waitUntil(lambda: panel.imports.rowCount() == 1, timeout=5000)
        panel.imports_table.selectRow(0)
        assert not panel.undo_import_button.isEnabled()
        assert panel.undo_import_button.toolTip() == VIEWER_TIP
    finally:
        upper_db.user = None


def test_the_upper_window_keeps_last_quarters_figures_current_in_the_background(qtbot, seeded, upper_db, contexts,
                                                                                 ui):
    """Figures kept for another quarter are counted again once the dashboard shows
    (a new quarter: until each commune's next import they would be counted live)."""
    from tests.core.sync.conftest import send

    _commune_ctx, upper_ctx = contexts
    send(seeded.db, upper_db, ui["folder"])
    con = sqlite3.connect(upper_db.path)
    current = con.execute("SELECT window_start, households FROM unit_figures").fetchall()
    con.execute("UPDATE unit_figures SET window_start = '2000-01-01', window_end = '2000-03-31'")
    con.commit()
    con.close()
    panel = _page(qtbot, upper_ctx).panel
    qtbot.waitUntil(lambda: panel.imports.rowCount() == 1, timeout=5000)
    settle(upper_ctx)
    con = sqlite3.connect(upper_db.path)
    try:
        assert con.execute("SELECT window_start, households FROM unit_figures").fetchall() == current
    finally:
        con.close()
