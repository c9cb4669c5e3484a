"""Người ký in the GUI: the settings dialog's «Người ký» tab saves the signers and shows
them again; a bad value is refused under its field with nothing saved; the Báo cáo page
pre-fills its «Người ký» row from the settings, and a print with another form and name
prints them without changing the settings."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from gocong_desktop.core.services.office_settings import load_settings  # noqa: E402
from gocong_desktop.core.services.signers import SignerForm, SignerSettings, save_signer_settings, signer_settings  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.reports.page import ReportsPage  # noqa: E402
from gocong_desktop.gui.settings_dialog import SettingsDialog  # noqa: E402
from gocong_desktop.gui.widgets.form_parts import select_data  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402


def _dialog(ctx, qtbot) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type_signers(dialog: SettingsDialog, **values: str) -> None:
    for name, value in values.items():
        dialog.signers.edits[name].setText(value)


def test_the_signers_tab_saves_and_shows_them_again(admin_ctx, qtbot):
    dialog = _dialog(admin_ctx, qtbot)
    assert dialog.tabs.tabText(1) == "&Người ký"
    assert dialog.signers.edits["head_title"].placeholderText() == "để trống: «Trưởng Công an xã»"
    assert dialog.signers.preview.text() == "TRƯỞNG CÔNG AN XÃ\n(để trống, ký tay)"
    select_data(dialog.signers.form, SignerForm.KT)
    _type_signers(dialog, head_name="Nguyễn Văn Tâm", deputy_name="Trần  Văn Hải")
    assert dialog.signers.preview.text() == "KT. TRƯỞNG CÔNG AN XÃ\nPHÓ TRƯỞNG CÔNG AN XÃ\nTrần  Văn Hải"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    saved = admin_ctx.read(signer_settings)
    assert saved == SignerSettings(form=SignerForm.KT, head_name="Nguyễn Văn Tâm", deputy_name="Trần Văn Hải")
    again = _dialog(admin_ctx, qtbot)
    assert again.signers.chosen() == saved and again.chosen() == admin_ctx.read(load_settings)


@pytest.mark.parametrize(("field", "value", "said"), [
    ("deputy_name", "Trần\x07Văn Hải", "ký tự điều khiển ẩn"),
    ("head_name", "N" * 61, "quá dài (tối đa 60 ký tự)"),
    ("body_title", "TM. Trưởng ban", "không ghi «KT.», «Q.», «TM.» ở đầu"),
    ("head_name", "Nguyễn Văn An\ue000", "ký tự ẩn (U+E000)"),  # a private-use character
])
def test_a_bad_signer_is_refused_under_its_field_and_nothing_is_saved(admin_ctx, qtbot, field, value, said):
    before = admin_ctx.read(load_settings)
    dialog = _dialog(admin_ctx, qtbot)
    dialog.idle_minutes.setValue(30)  # saved together or not at all
    _type_signers(dialog, **{field: value})
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.errors.message(f"signer.{field}")), timeout=5000)
    assert said in dialog.errors.message(f"signer.{field}")
    assert dialog.isVisible() and dialog.tabs.currentWidget() is dialog.signers_tab
    admin_ctx.tasks.wait()
    assert admin_ctx.read(load_settings) == before


def test_a_name_pasted_with_invisible_characters_is_saved_without_them(admin_ctx, qtbot):
    dialog = _dialog(admin_ctx, qtbot)
    _type_signers(dialog, head_name="Nguyễn\u200bVăn\u00ad Tâm\ufeff")  # copied from Word or a web page
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert admin_ctx.read(signer_settings).head_name == "Nguyễn Văn Tâm"


def test_tm_needs_the_collective_body(admin_ctx, qtbot):
    dialog = _dialog(admin_ctx, qtbot)
    select_data(dialog.signers.form, SignerForm.TM)
    assert dialog.signers.preview.text().startswith("Chưa cài đặt tên tập thể để ký «TM.»")
    _type_signers(dialog, body="Ban Chỉ đạo xã", body_title="Trưởng ban", body_name="Phan Văn Sáu")
    assert dialog.signers.preview.text() == "TM. BAN CHỈ ĐẠO XÃ\nTRƯỞNG BAN\nPhan Văn Sáu"


def test_reports_page_prints_this_print_s_signer_and_keeps_the_settings(seeded, qtbot, tmp_path, monkeypatch):
    with seeded.db.session() as s:
        save_signer_settings(s, SignerSettings(form=SignerForm.KT, deputy_name="Trần Văn Hải",
                                               acting_name="Lê Văn Tư"))
    create_app()
    ctx = make_context(seeded.db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(tmp_path / "bc.pdf"), "")))
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle(page)
    picker = page.signer
    assert (picker.chosen_form(), picker.name.text()) == (SignerForm.KT, "Trần Văn Hải")
    select_data(picker.form, SignerForm.Q)
    assert picker.name.text() == "Lê Văn Tư"  # the acting head's name of the settings
    picker.name.setText("Võ Thành Nam")
    select_data(page.review_period.choice, "H1")
    page.review_period.year.setValue(2024)
    page.review_pdf_button.click()
    qtbot.waitUntil(lambda: "bc.pdf" in page.status_label.text(), timeout=8000)
    lines = [line.strip() for p in PdfReader(tmp_path / "bc.pdf").pages for line in p.extract_text().splitlines()]
    assert lines[-3:] == ["Q. TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)", "Võ Thành Nam"]
    ctx.tasks.wait()
    assert ctx.read(signer_settings).form is SignerForm.KT
    page.refresh()  # a refresh with the settings unchanged keeps this print's choice
    settle(page)
    assert (picker.chosen_form(), picker.name.text()) == (SignerForm.Q, "Võ Thành Nam")
