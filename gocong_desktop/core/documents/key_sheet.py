"""The key registration sheet (phiếu đăng ký khóa) printed, signed and sent with
the office's key card — the entry used by the GUI and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.services.document_header import police_head_title, police_header
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.signers import SignerChoice, signature_block
from gocong_desktop.core.sync import KeyCard, office_card


def write_key_sheet(session: Session, out: str | Path, *, signer: SignerChoice | None = None) -> KeyCard:
    """``signer``: this print's form and name instead of the settings' (services/signers.py)."""
    from gocong_desktop.core.documents.pdf.sync_sheet import write_key_sheet_pdf

    office, card, today = get_office(session), office_card(session), date.today()
    title = police_head_title(office)
    write_key_sheet_pdf(card, out, header=police_header(office, today), signer_title=title, today=today,
                        signer=signature_block(session, title, signer))
    return card
