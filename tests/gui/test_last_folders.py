"""The "save as" dialogs start in the folder last used for their kind of file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from gocong_desktop.gui.widgets import last_folders  # noqa: E402


def test_the_dialog_starts_in_the_folder_remembered_for_its_kind(qtbot, tmp_path, monkeypatch):
    settings = QSettings(str(tmp_path / "qt.ini"), QSettings.Format.IniFormat)
    asked = []

    def answer(_parent, _title, start, _filters):
        asked.append(start)
        return str(tmp_path / "Báo cáo" / "tháng 3"), "Tệp PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    path, _filter = last_folders.ask_save_path(None, settings, last_folders.REPORTS, title="Lưu tệp",
                                               name="bc.pdf", filters="Tệp PDF (*.pdf)", suffix=".pdf")
    assert path == tmp_path / "Báo cáo" / "tháng 3.pdf"
    last_folders.remember(settings, last_folders.REPORTS, path)
    last_folders.ask_save_path(None, settings, last_folders.REPORTS, title="Lưu tệp", name="bc.pdf",
                               filters="Tệp PDF (*.pdf)")
    assert asked[1] == str(tmp_path / "Báo cáo" / "bc.pdf")
    assert last_folders.last_folder(settings, last_folders.PDFS) != tmp_path / "Báo cáo"  # another kind
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert last_folders.ask_save_path(None, settings, last_folders.PDFS, title="Lưu", name="a.pdf",
                                      filters="") is None
