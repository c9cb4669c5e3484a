"""Meeting minutes: the minutes of one meeting (a draft is marked so) and a group's
blank form to fill in by hand — the entry used by the GUI and the CLI.

A path's suffix chooses the form of the minutes: .pdf (the signed, verifiable
form) or .docx (an editable Word copy); a stream gets the PDF."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from gocong_desktop.core.documents.output import refuse_database
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.minutes_data import (BlankMinutesDocument, MinutesDocument,
                                                       blank_minutes_document, minutes_document,
                                                       superseded_minutes_document)

MINUTES_FORMATS = (".pdf", ".docx")


def minutes_format(out: str | Path | BinaryIO) -> str:
    """".pdf" or ".docx" for a path (refused otherwise, before anything is read); ".pdf" for a stream."""
    if not isinstance(out, (str, os.PathLike)):
        return ".pdf"
    refuse_database(Path(out).expanduser())
    suffix = Path(out).suffix.lower()
    if suffix not in MINUTES_FORMATS:
        raise ValidationError(f"Tệp «{Path(out).name}» phải có đuôi .pdf (bản in có mã kiểm tra) "
                              "hoặc .docx (bản Word để chỉnh sửa).", field="out")
    return suffix


def write_minutes(session: Session, meeting_id: str, out: str | Path | BinaryIO) -> MinutesDocument:
    from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf

    suffix = minutes_format(out)
    doc = minutes_document(session, meeting_id)
    if suffix == ".docx":
        from gocong_desktop.core.documents.docx.minutes import write_minutes_docx

        write_minutes_docx(doc, out)
    else:
        write_minutes_pdf(doc, out)
    return doc


def write_superseded_minutes(session: Session, amendment_id: str, out: str | Path | BinaryIO) -> MinutesDocument:
    """The version an amendment replaced, reprinted with its own code and marked as superseded."""
    from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf

    doc = superseded_minutes_document(session, amendment_id)
    write_minutes_pdf(doc, out)
    return doc


def blank_format(out: str | Path | BinaryIO) -> str:
    """The blank form is printed to be filled in by hand: PDF only."""
    if not isinstance(out, (str, os.PathLike)):
        return ".pdf"
    refuse_database(Path(out).expanduser())
    if Path(out).suffix.lower() != ".pdf":
        raise ValidationError("Mẫu biên bản trống chỉ xuất ra tệp PDF (.pdf).", field="out")
    return ".pdf"


def write_blank_minutes(session: Session, group_id: str, out: str | Path | BinaryIO) -> BlankMinutesDocument:
    from gocong_desktop.core.documents.pdf.blank import write_blank_minutes_pdf

    blank_format(out)
    doc = blank_minutes_document(session, group_id)
    write_blank_minutes_pdf(doc, out)
    return doc
