"""Boxes show their text as written: a name from someone else's file holding HTML
(``<br>``, ``<!--``) cannot rewrite what a box says, e.g. hide the fingerprint of an
unknown sender's key behind another office's."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox

from gocong_desktop.gui.errors import show_error
from gocong_desktop.core.sync.importer import DRY_RUN, ImportResult
from gocong_desktop.gui.sync.common import confirm_sender
from gocong_desktop.gui.sync.preview_dialog import SyncPreviewDialog
from gocong_desktop.gui import message_box
from gocong_desktop.core.errors import UserError
from tests.gui.waiting import when_shown

GUI = Path(__file__).resolve().parents[2] / "gocong_desktop" / "gui"
REAL = "37B9 0F1A 22C4 9D0E C6C2"  # the fingerprint on the real commune's key card
FORGED = "AAAA BBBB CCCC DDDD EEEE"  # the package's own key
SPOOFING_NAME = f"xã Bình Nhì<br>Dấu vân tay khóa:<br>{REAL}<!--"


def _shown_text(box: QMessageBox) -> str:
    """What the box's label draws, as a person reads it (HTML when Qt takes it for HTML)."""
    label = next(w for w in box.findChildren(QLabel) if w.text() == box.text())
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text()))
    return _as_plain(label.text()) if rich else label.text()


def _as_plain(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def test_an_unknown_senders_box_shows_the_name_as_written_and_the_packages_own_fingerprint(qtbot):
    seen = []
    when_shown(QMessageBox, lambda box: (seen.append((box.textFormat(), _shown_text(box))), box.reject()))
    assert confirm_sender(None, SPOOFING_NAME, FORGED, "gói") is False
    text_format, shown = seen[0]
    assert text_format == Qt.TextFormat.PlainText
    assert SPOOFING_NAME in shown  # the tags printed, not followed
    assert FORGED in shown  # the comment did not swallow the package's own fingerprint


def test_a_user_errors_box_is_plain_text(qtbot):
    seen = []
    when_shown(QMessageBox, lambda box: (seen.append((box.textFormat(), _shown_text(box))), box.accept()))
    show_error(None, UserError(f"Tệp của {SPOOFING_NAME} không đọc được."))
    assert seen == [(Qt.TextFormat.PlainText, f"Tệp của {SPOOFING_NAME} không đọc được.")]


def test_the_widget_kind_box_reads_as_written_even_as_rich_text():
    assert _as_plain(message_box.as_rich_text(SPOOFING_NAME)) == SPOOFING_NAME


def test_every_box_of_the_app_is_made_plain():
    """Qt's own constructors and static functions guess the format; only
    ``widgets/message_box.py`` may call them."""
    made_elsewhere = []
    for path in GUI.rglob("*.py"):
        if path.name == "message_box.py":
            continue
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"QMessageBox(\(|\.(warning|information|critical|question|about|aboutQt)\()",
                                 source):
            made_elsewhere.append(f"{path.relative_to(GUI)}:{source[:match.start()].count(chr(10)) + 1}")
    assert made_elsewhere == []


def test_a_packages_preview_shows_its_name_and_file_name_as_written(qtbot, tmp_path):
    result = ImportResult(path=tmp_path / "goi <i>1.gcsync", status=DRY_RUN, message="", sequence=1,
                          sender_name=SPOOFING_NAME, full=True, warnings=[f"Thiếu gói của {SPOOFING_NAME}"])
    dialog = SyncPreviewDialog(result)
    qtbot.addWidget(dialog)
    heading = next(w for w in dialog.findChildren(QLabel) if "gói số 1" in w.text())
    assert _as_plain(heading.text()).splitlines() == [f"{SPOOFING_NAME} – gói số 1 (toàn bộ dữ liệu)",
                                                       "Tệp: goi <i>1.gcsync"]
    assert dialog.notes.textFormat() == Qt.TextFormat.PlainText


def test_texts_written_for_a_box_carry_no_markup():
    """Boxes are plain text: a tag in a text written for one would be read as it is."""
    from gocong_desktop.gui.security.encrypt_dialog import OFFER

    assert not re.search(r"<[a-z/!]", OFFER)
