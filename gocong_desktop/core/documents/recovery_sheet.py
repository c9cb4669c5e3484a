"""The recovery sheet (phiếu mã khôi phục): an administrator's recovery code on one
A4 page, to print and keep — the entry used by the GUI and the CLI."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gocong_desktop.core.text import nfc, slug_ascii


def office_label(unit_type: str | None, unit_name: str) -> str:
    """"xã Bình Tân": how the sheet names the office (just the name when its type is unknown)."""
    return " ".join(filter(None, (nfc(unit_type), nfc(unit_name))))


def recovery_sheet_file_name(office_name: str, made_at: datetime) -> str:
    """"phieu-ma-khoi-phuc-xa-binh-tan-20250503.pdf"."""
    slug = slug_ascii(office_name)
    return f"phieu-ma-khoi-phuc-{slug + '-' if slug else ''}{made_at:%Y%m%d}.pdf"


def write_recovery_sheet(out: str | Path, *, office_name: str, code: str, username: str,
                         made_at: datetime, data_file: str | Path | None = None) -> Path:
    """Written atomically (temporary file, then replace)."""
    from gocong_desktop.core.documents.pdf.recovery_sheet import recovery_sheet_pdf

    return recovery_sheet_pdf(out, office_name=office_name, code=code, username=username, made_at=made_at,
                              data_file=data_file)
