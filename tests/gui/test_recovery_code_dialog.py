"""The recovery-code box: the code shown once, «In phiếu khôi phục (PDF)…» writes the
sheet where the user chose and shows it for printing, «Xóa tệp phiếu» removes it
again; the box fits a 1024×768 screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QFileDialog  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from gocong_desktop.gui.security import recovery_code_dialog  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog  # noqa: E402
from gocong_desktop.gui.security.recovery_code_dialog import PRINT_TEXT, RecoveryCodeDialog  # noqa: E402
from gocong_desktop.gui import message_box

CODE = "WXYZ-MMWW-2345-6789-ABCD"


@pytest.fixture
def box(qtbot, settings, tmp_path):
    create_app()
    dialog = RecoveryCodeDialog("quantri", CODE, office_name="xã Bình Tân", data_file=tmp_path / "gocong.db",
                                settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _answer_save(monkeypatch, path: Path | None) -> list[str]:
    """The file dialog answers ``path`` (None: cancelled); returns the names it suggested."""
    suggested: list[str] = []

    def answer(_parent, _title, start, _filter):
        suggested.append(Path(start).name)
        return (str(path) if path else "", "")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return suggested


def _preview() -> PdfPreviewDialog | None:
    from PySide6.QtWidgets import QApplication
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()),
                None)


def test_the_sheet_is_saved_previewed_and_deleted(box, monkeypatch, tmp_path):
    target = tmp_path / "Phiếu" / "phieu"  # no .pdf: added
    target.parent.mkdir()
    suggested = _answer_save(monkeypatch, target)
    assert box.print_button.text().replace("&", "") == PRINT_TEXT and box.print_button.isVisible()
    box.print_button.click()
    saved = target.with_name("phieu.pdf")
    assert suggested[0].startswith("phieu-ma-khoi-phuc-xa-binh-tan-") and suggested[0].endswith(".pdf")
    text = " ".join(PdfReader(saved).pages[0].extract_text().split())
    assert CODE in text and "xã Bình Tân" in text and "quantri" in text and "gocong.db" in text
    preview = _preview()
    assert preview is not None and preview.page_count == 1
    preview.accept()
    assert box.saved.isVisible() and str(saved) in box.saved.text() and "xóa tệp" in box.saved.text()
    box.delete_button.click()
    assert not saved.exists() and not box.delete_button.isVisible()
    assert list(target.parent.iterdir()) == []


def test_cancelled_or_refused_save_writes_nothing(box, monkeypatch, tmp_path):
    _answer_save(monkeypatch, None)
    box.print_button.click()
    assert _preview() is None and not box.saved.isVisible()
    warnings = []
    monkeypatch.setattr(message_box, "warning", lambda _p, _t, message: warnings.append(message))
    _answer_save(monkeypatch, tmp_path / "khong-co" / "phieu.pdf")
    box.print_button.click()
    assert warnings and "thư mục không tồn tại" in warnings[0]
    assert _preview() is None and not box.saved.isVisible() and box.sheet_path is None


def test_closing_needs_the_code_kept_and_says_it_is_shown_once(box):
    assert "chỉ hiện một lần" in box.windowTitle()
    words = " ".join(label.text() for label in box.findChildren(recovery_code_dialog.QLabel))
    assert "chỉ hiện một lần này" in words and "không ai mở được dữ liệu" in words
    assert not box.close_button.isEnabled()
    box.reject()
    assert box.isVisible()
    box.confirmed.setChecked(True)
    box.close_button.click()
    assert not box.isVisible()


def test_without_an_office_there_is_no_sheet_button(qtbot):
    create_app()
    dialog = RecoveryCodeDialog("quantri", CODE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.print_button.isVisible()


def test_fits_1024_by_768_at_125_percent(box):
    """QT_SCALE_FACTOR=1.25 on 1024×768 leaves 819×614 device-independent pixels."""
    box._saved(Path("C:/Users/Cán bộ/Documents/phieu-ma-khoi-phuc-xa-binh-tan-20250305.pdf"))
    hint = box.minimumSizeHint()
    assert hint.width() <= 819 and hint.height() <= 600
    assert box.width() <= 819 and box.height() <= 600
