"""The key registration sheet (phiếu đăng ký khóa) printed, signed and sent with
the office's key card — the entry used by the GUI and the CLI."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.sync import KeyCard, office_card


def write_key_sheet(session: Session, out: str | Path) -> KeyCard:
    from gocong_desktop.core.documents.pdf.sync_sheet import write_key_sheet_pdf

    office, card = get_office(session), office_card(session)
    write_key_sheet_pdf(card, out, parent_body=office.upper_office_name or "")
    return card
