"""The key registration sheet (phiếu đăng ký khóa) printed, signed and sent with
the office's key card — the entry used by the GUI and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.services.document_header import police_head_title, police_header
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.sync import KeyCard, office_card


def write_key_sheet(session: Session, out: str | Path) -> KeyCard:
    from gocong_desktop.core.documents.pdf.sync_sheet import write_key_sheet_pdf

    office, card, today = get_office(session), office_card(session), date.today()
    write_key_sheet_pdf(card, out, header=police_header(office, today), signer_title=police_head_title(office),
                        today=today)
    return card
