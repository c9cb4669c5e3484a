"""Xem › Kiểm tra biên bản: a typed code or an opened scan, answered in the window
(genuine and current, superseded by an amendment, unknown) with the meeting."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMenuBar  # noqa: E402

from gocong_desktop.core.db.models import Meeting  # noqa: E402
from gocong_desktop.core.documents.minutes import write_minutes  # noqa: E402
from gocong_desktop.core.services import meeting_drafts, meetings  # noqa: E402
from gocong_desktop.core.services.minutes_codes import AMENDING, CURRENT, SUPERSEDED, short_code  # noqa: E402
from gocong_desktop.gui.documents import pdf_preview  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from gocong_desktop.gui.meetings.history import HistoryTab  # noqa: E402
from gocong_desktop.gui.meetings.verify_dialog import NO_CODE, VerifyMinutesDialog  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402
from tests.meeting_edits import edit_meeting  # noqa: E402


@pytest.fixture
def minutes(seeded, tmp_path: Path) -> tuple[str, str, Path]:
    """(meeting id, its first hash, a 150 dpi PNG scan of that version); then reopened for amendment."""
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        meetings.finalise_meeting(s, mid)
        write_minutes(s, mid, tmp_path / "bb.pdf")
        first = s.get(Meeting, mid).content_hash
    pdf = pdfium.PdfDocument(str(tmp_path / "bb.pdf"))
    pdf[0].render(scale=150 / 72).to_pil().save(tmp_path / "quet.png")
    pdf.close()
    return mid, first, tmp_path / "quet.png"


def _dialog(qtbot, ctx) -> VerifyMinutesDialog:
    dialog = VerifyMinutesDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def test_typed_codes_get_each_verdict(qtbot, seeded, seeded_ctx, minutes) -> None:
    mid, first, _scan = minutes
    dialog = _dialog(qtbot, seeded_ctx)
    dialog.check_button.click()
    assert dialog.verdicts == [] and NO_CODE in dialog.answer.text()
    dialog.code.setText(short_code(first).lower().replace("-", " "))
    dialog.check_button.click()
    settle(seeded_ctx)
    assert [v.status for v in dialog.verdicts] == [CURRENT]
    assert "Đúng: mã" in dialog.answer.text() and "Tổ NDTQ số 1 – ấp Lợi An" in dialog.answer.text()
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Sai tên thư ký")
    dialog.code.returnPressed.emit()
    settle(seeded_ctx)
    assert [v.status for v in dialog.verdicts] == [AMENDING]
    dialog.code.setText("0000-0000-00")
    dialog.check_button.click()
    settle(seeded_ctx)
    assert "Không tìm thấy biên bản" in dialog.answer.text()
    dialog.code.setText("12")
    dialog.check_button.click()
    settle(seeded_ctx)
    assert dialog.verdicts == [] and "10 chữ số" in dialog.answer.text()  # said in the window, no box


def test_an_opened_scan_of_a_superseded_version(qtbot, seeded, seeded_ctx, minutes, tmp_path, monkeypatch) -> None:
    mid, _first, scan = minutes
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Sai tên thư ký")
    with seeded.db.session() as s:
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hòa")
        meetings.finalise_meeting(s, mid)
    dialog = _dialog(qtbot, seeded_ctx)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(scan), ""))
    dialog.open_button.click()
    settle(seeded_ctx)
    assert [v.status for v in dialog.verdicts] == [SUPERSEDED]
    assert "đã được đính chính ngày" in dialog.answer.text() and "Bản hiện hành có mã" in dialog.answer.text()
    (tmp_path / "chu.png").write_text("không phải ảnh", encoding="utf-8")
    dialog.check_scan(tmp_path / "chu.png")
    settle(seeded_ctx)
    assert dialog.verdicts == [] and "không phải là ảnh đọc được" in dialog.answer.text()


def test_the_menu_opens_it(qtbot, seeded_ctx) -> None:
    window = MainWindow(seeded_ctx)
    qtbot.addWidget(window)
    bar: QMenuBar = window.menuBar()
    actions = {a.text(): a for menu in bar.actions() if menu.menu() for a in menu.menu().actions()}
    when_shown(VerifyMinutesDialog, lambda d: d.reject())
    actions["&Kiểm tra biên bản…"].trigger()


def test_the_history_tab_prints_an_earlier_version_marked_superseded(qtbot, seeded, seeded_ctx, minutes,
                                                                    monkeypatch, tmp_path) -> None:
    mid, first, _scan = minutes
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Sai tên thư ký")
    opened: list[Path] = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "open", lambda dialog: opened.append(dialog.path))
    monkeypatch.setattr(pdf_preview, "preview_folder", lambda: tmp_path)
    tab = HistoryTab(seeded_ctx)
    qtbot.addWidget(tab)
    tab.load(seeded_ctx.read(meeting_drafts.meeting_history, mid))
    assert tab.print_button.isEnabled()
    tab.print_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10_000)
    text = " ".join(p.extract_text() for p in PdfReader(opened[0]).pages)
    assert "(bản đã được thay thế)" in text and f"Mã đối chiếu: {short_code(first)}" in text
