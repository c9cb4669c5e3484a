"""«Soạn báo cáo…» on the Báo cáo page through its real widgets: the sections
start from the figures, Vietnamese typed key by key (and by an input method) is
saved with the period and printed in the PDF and the Word copy; closing with
unsaved changes asks; the dialog fits 1024×768 at 125 %. The minutes are saved
in Word from the Sinh hoạt tổ page's «Lưu PDF/Word…»."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from docx import Document  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QScrollArea  # noqa: E402

from gocong_desktop.core.services.review_narrative import saved_narrative  # noqa: E402
from gocong_desktop.gui.documents.pdf_preview import WORD_FILTER, for_record, save_pdf_or_word  # noqa: E402
from gocong_desktop.gui.reports.narrative_editor import NarrativeEditor  # noqa: E402
from gocong_desktop.gui.reports.page import ReportsPage  # noqa: E402
from gocong_desktop.gui.widgets.form_parts import select_data  # noqa: E402
from tests.conftest import file_digest  # noqa: E402
from tests.core.prevention_scenario import H1, build_scenario  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402

SITUATION = "Địa bàn ổn định; người dân đồng thuận."
PROPOSAL = "Đề nghị hỗ trợ kinh phí lắp đèn đường."


@pytest.fixture
def page(qtbot, seeded, seeded_ctx) -> ReportsPage:
    build_scenario(seeded)
    page = ReportsPage(seeded_ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    settle(page)
    select_data(page.review_period.choice, "H1")
    page.review_period.year.setValue(2024)
    return page


def _editor(qtbot, page: ReportsPage) -> NarrativeEditor:
    page.compose_button.click()
    editor = page.narrative_editor
    qtbot.waitUntil(lambda: editor.loaded is not None, timeout=8000)
    return editor


def _answer(button_text: str) -> None:
    when_shown(QMessageBox, lambda box: next(b for b in box.buttons() if b.text() == button_text).click())


def test_compose_save_and_print(qtbot, page, seeded, monkeypatch, tmp_path) -> None:
    editor = _editor(qtbot, page)
    assert editor.windowTitle() == "Soạn báo cáo sơ kết 6 tháng đầu năm 2024"
    assert "Toàn xã Bình Tân có 3 Tổ nhân dân tự quản" in editor.edits["results"].toPlainText()
    assert "điền sẵn từ số liệu" in editor.note.text() and not editor.is_dirty()
    type_text(editor.edits["situation"], SITUATION)
    type_text(editor.edits["proposals"], PROPOSAL, input_method=True)
    assert editor.is_dirty()
    editor.save_button.click()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=8000)
    assert "Đã lưu nội dung báo cáo sơ kết" in page.status_label.text()
    with seeded.db.session() as s:
        saved = saved_narrative(s, H1)
    assert saved.sections["situation"] == SITUATION and saved.sections["proposals"] == PROPOSAL

    names = iter([tmp_path / "bc.pdf", tmp_path / "bc.docx"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(next(names)), "")))
    page.review_pdf_button.click()
    qtbot.waitUntil(lambda: "bc.pdf" in page.status_label.text(), timeout=8000)
    page.review_docx_button.click()
    qtbot.waitUntil(lambda: "bc.docx" in page.status_label.text(), timeout=8000)
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "bc.pdf").pages).split())
    assert "I. ĐẶC ĐIỂM TÌNH HÌNH" in pdf and SITUATION in pdf and PROPOSAL in pdf
    texts = [p.text for p in Document(str(tmp_path / "bc.docx")).paragraphs]
    assert SITUATION in texts and PROPOSAL in texts and "III. KIẾN NGHỊ, ĐỀ XUẤT" in texts  # blank sections left out

    again = _editor(qtbot, page)  # the saved text comes back
    assert again.edits["situation"].toPlainText() == SITUATION and "đã lưu" in again.note.text()
    again.reject()


def test_unsaved_changes_are_asked_about(qtbot, page, seeded) -> None:
    editor = _editor(qtbot, page)
    type_text(editor.edits["causes"], "Do thiếu kinh phí.")
    before = file_digest(seeded.db.path)
    _answer("Hủy")
    editor.reject()  # «Hủy» of the dialog, or Esc
    assert editor.isVisible()  # the question was answered «Hủy»: still open
    _answer("Không lưu")
    editor.close()  # the window's close button
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=8000)
    settle(page)
    assert file_digest(seeded.db.path) == before
    with seeded.db.session() as s:
        assert saved_narrative(s, H1) is None

    editor = _editor(qtbot, page)
    type_text(editor.edits["causes"], "Do thiếu người.")
    _answer("Lưu")
    editor.close()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=8000)
    with seeded.db.session() as s:
        assert saved_narrative(s, H1).sections["causes"] == "Do thiếu người."


def test_editor_fits_a_small_screen_and_scrolls(qtbot, page) -> None:
    editor = _editor(qtbot, page)
    assert editor.width() <= 819 and editor.height() <= 614  # 1024×768 at 125 %, less the taskbar
    scroll = editor.findChild(QScrollArea)
    assert scroll.widgetResizable() and all(scroll.widget().isAncestorOf(e) for e in editor.edits.values())
    editor.edits["proposals"].setFocus()
    scroll.ensureWidgetVisible(editor.edits["proposals"])
    QApplication.processEvents()
    assert scroll.verticalScrollBar().value() > 0  # seven boxes do not fit: the column scrolls
    editor.reject()


def test_minutes_are_saved_in_word(qtbot, seeded, seeded_ctx, monkeypatch, tmp_path) -> None:
    from gocong_desktop.core.documents.minutes import write_minutes
    from tests.core.test_minutes_pdf import _meeting

    meeting_id = _meeting(seeded)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "biên bản"), WORD_FILTER)))
    saved: list[Path] = []
    save_pdf_or_word(seeded_ctx, None, for_record(write_minutes, meeting_id), "bien-ban.pdf", on_saved=saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=8000)
    assert saved == [tmp_path / "biên bản.docx"]
    assert "BIÊN BẢN" in [p.text for p in Document(str(saved[0])).paragraphs]
