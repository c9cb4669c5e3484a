"""Meeting minutes: the minutes of one meeting (a draft is marked so) and a group's
blank form to fill in by hand — the entry used by the GUI and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from gocong_desktop.core.services.minutes_data import (BlankMinutesDocument, MinutesDocument,
                                                       blank_minutes_document, minutes_document,
                                                       superseded_minutes_document)


def write_minutes(session: Session, meeting_id: str, out: str | Path | BinaryIO) -> MinutesDocument:
    from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf

    doc = minutes_document(session, meeting_id)
    write_minutes_pdf(doc, out)
    return doc


def write_superseded_minutes(session: Session, amendment_id: str, out: str | Path | BinaryIO) -> MinutesDocument:
    """The version an amendment replaced, reprinted with its own code and marked as superseded."""
    from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf

    doc = superseded_minutes_document(session, amendment_id)
    write_minutes_pdf(doc, out)
    return doc


def write_blank_minutes(session: Session, group_id: str, out: str | Path | BinaryIO) -> BlankMinutesDocument:
    from gocong_desktop.core.documents.pdf.blank import write_blank_minutes_pdf

    doc = blank_minutes_document(session, group_id)
    write_blank_minutes_pdf(doc, out)
    return doc
