"""Showing, saving and printing a PDF the program made.

The PDF is built on the worker. "Xem" writes it to the program's temporary
folder and shows it in the app's own preview (pdf_view.py), with Print and
Save; "Lưu" asks where to keep a copy.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable

from PySide6.QtWidgets import QWidget

from gocong_desktop.core.text import slug_ascii
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.documents.pdf_view import PdfPreviewDialog
from gocong_desktop.gui.widgets import last_folders
from gocong_desktop.gui.widgets.last_folders import ask_save_path

PDF_FILTER = "Tệp PDF (*.pdf)"
# build(session, out_path): reads what the PDF needs and writes it.
Build = Callable[[Any, Path], None]


def for_record(write: Callable[[Any, str, Path], Any], record_id: str) -> Build:
    """The build of a document entry taking ``(session, record id, path)``
    (``core.documents.minutes.write_minutes``…)."""
    return lambda session, path: write(session, record_id, path)


def minutes_file_name(group_name: str, day: Any) -> str:
    """"bien-ban-to-5-2024-03-15.pdf"."""
    return f"bien-ban-{_group_slug(group_name)}-{day:%Y-%m-%d}.pdf"


def blank_file_name(group_name: str) -> str:
    return f"mau-bien-ban-{_group_slug(group_name)}.pdf"


def _group_slug(group_name: str) -> str:
    return slug_ascii(group_name).replace("to-ndtq-so-", "to-") or "to"


def preview_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "gocong_desktop_pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(session: Any, build: Build, path: Path) -> Path:
    build(session, path)
    return path


def open_pdf(ctx: AppContext, parent: QWidget, build: Build, file_name: str,
             on_opened: Callable[[Path], None] | None = None, *, title: str = "Xem trước") -> None:
    """Build the PDF into the temporary folder and show it in the preview."""
    def opened(path: Path) -> None:
        PdfPreviewDialog(path, title=title, file_name=file_name, settings=ctx.settings,
                         parent=parent).open()
        if on_opened is not None:
            on_opened(path)

    ctx.write(_write, build, preview_folder() / file_name, on_done=opened, parent=parent)


WORD_FILTER = "Tài liệu Word (*.docx)"


def save_pdf_or_word(ctx: AppContext, parent: QWidget, build: Build, file_name: str,
                     on_saved: Callable[[Path], None] | None = None) -> None:
    """Ask where to save and in which form (PDF, the signed one; or an editable Word
    copy), then build it there: ``build`` chooses the form by the path's suffix."""
    chosen = ask_save_path(parent, ctx.settings, last_folders.PDFS, title="Lưu tệp PDF hoặc Word", name=file_name,
                           filters=f"{PDF_FILTER};;{WORD_FILTER}")
    if chosen is not None:
        path, chosen_filter = chosen
        if path.suffix.lower() not in (".pdf", ".docx"):
            path = path.with_name(path.name + (".docx" if chosen_filter == WORD_FILTER else ".pdf"))
        ctx.write(_write, build, path, on_done=on_saved, parent=parent)


def save_pdf(ctx: AppContext, parent: QWidget, build: Build, file_name: str,
             on_saved: Callable[[Path], None] | None = None) -> None:
    """Ask where to save, then build the PDF there."""
    chosen = ask_save_path(parent, ctx.settings, last_folders.PDFS, title="Lưu tệp PDF", name=file_name,
                           filters=PDF_FILTER, suffix=".pdf")
    if chosen is not None:
        ctx.write(_write, build, chosen[0], on_done=on_saved, parent=parent)
