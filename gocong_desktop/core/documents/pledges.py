"""The pledge documents of a year — pre-filled forms, a group's register, the
households not signed yet — the entry used by the GUI and the CLI. Each returns
how many households it lists."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from gocong_desktop.core.services import pledge_print
from gocong_desktop.core.services.document_header import police_head_title, police_header
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.signers import SignerChoice, signature_block

Out = str | Path | BinaryIO


def write_pledge_forms(session: Session, year: int, out: Out, *, household_id: str | None = None,
                       group_id: str | None = None, hamlet_id: str | None = None) -> int:
    """One form per household of the scope (none: the whole commune)."""
    from gocong_desktop.core.documents.pdf.pledge_forms import write_pledge_forms_pdf

    forms = pledge_print.pledge_forms(session, year, household_id=household_id, group_id=group_id,
                                      hamlet_id=hamlet_id)
    write_pledge_forms_pdf(forms, out)
    return len(forms)


def write_register(session: Session, year: int, group_id: str, out: Out) -> int:
    from gocong_desktop.core.documents.pdf.pledge_sheets import write_register_pdf

    sheet = pledge_print.register_sheet(session, year, group_id)
    write_register_pdf(sheet, out)
    return len(sheet.rows)


def write_not_signed(session: Session, year: int, out: Out, *, group_id: str | None = None,
                     hamlet_id: str | None = None, signer: SignerChoice | None = None) -> int:
    """The commune-wide list is confirmed by the office's signer (``signer``: this
    print's form and name instead of the settings'); a group's or hamlet's by its own."""
    from gocong_desktop.core.documents.pdf.pledge_sheets import write_not_signed_pdf

    sheet = pledge_print.not_signed_sheet(session, year, group_id=group_id, hamlet_id=hamlet_id)
    block = None
    if group_id is None and hamlet_id is None:  # issued and signed by the commune's police
        office = get_office(session)
        sheet = dataclasses.replace(sheet, header=police_header(office, date.today()))
        block = signature_block(session, police_head_title(office), signer)
    write_not_signed_pdf(sheet, out, signer=block)
    return len(sheet.rows)
