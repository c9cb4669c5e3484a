"""Saving the pledge PDFs from the GUI: ask where (remembering the folder), then
read and lay out on the worker (forms for a whole commune take seconds), the
file written atomically by the PDF code."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtWidgets import QWidget

from gocong_desktop.core.documents import pledges
from gocong_desktop.core.services.signers import SignerChoice
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets import last_folders
from gocong_desktop.gui.documents.report_files import run_save, safe_name
from gocong_desktop.gui.widgets.last_folders import ask_save_path

PDF_FILTER = "Tệp PDF (*.pdf)"


def suggested_name(*parts: str) -> str:
    """"Bản cam kết 2025 – Tổ NDTQ số 1.pdf": readable, safe on Windows."""
    return safe_name(" – ".join(p for p in parts if p), ".pdf")


def save_pdf(parent: QWidget, ctx: AppContext, name: str, write: Callable[[Any, Path], Any],
             on_saved: Callable[[Path], None]) -> None:
    """Ask for a file (starting where the last pledge PDF went), then ``write(session, path)``
    on the worker (forms for a whole commune take seconds)."""
    chosen = ask_save_path(parent, ctx.settings, last_folders.PLEDGE_PDFS, title="Lưu tệp PDF", name=name,
                           filters=PDF_FILTER, suffix=".pdf")
    if chosen is not None:
        run_save(parent, ctx, chosen[0], write, on_saved, busy_text="Đang tạo tệp PDF…")


# ---- the three documents ----------------------------------------------------

def print_forms(parent: QWidget, ctx: AppContext, year: int, label: str, on_saved: Callable[[Path], None],
                **scope: str | None) -> None:
    """Pre-filled forms for one household, a group, a hamlet or (no scope) the commune."""
    save_pdf(parent, ctx, suggested_name(f"Bản cam kết {year}", label),
             lambda s, path: pledges.write_pledge_forms(s, year, path, **scope), on_saved)


def print_register(parent: QWidget, ctx: AppContext, year: int, label: str, group_id: str,
                   on_saved: Callable[[Path], None]) -> None:
    save_pdf(parent, ctx, suggested_name(f"Sổ theo dõi cam kết {year}", label),
             lambda s, path: pledges.write_register(s, year, group_id, path), on_saved)


def print_not_signed(parent: QWidget, ctx: AppContext, year: int, label: str,
                     on_saved: Callable[[Path], None], *, signer: SignerChoice | None = None,
                     **scope: str | None) -> None:
    """``signer``: this print's, for the commune-wide list (the settings' when None)."""
    save_pdf(parent, ctx, suggested_name(f"Hộ chưa ký cam kết {year}", label),
             lambda s, path: pledges.write_not_signed(s, year, path, signer=signer, **scope), on_saved)
