"""The minutes of a group meeting in Word, to be finished there.

The sentences are the PDF's (minutes_text.py builds them for both); the layout is the
Decree-30 one of docx/layout.py. A Word copy can be changed by anyone, so it
carries no verification code or QR: final minutes say that the signed,
verifiable form is the PDF, and drafts are marked as such.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from docx.enum.text import WD_ALIGN_PARAGRAPH

from gocong_desktop.core.documents.docx import layout
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents import minutes_text
from gocong_desktop.core.documents.pdf.attendance import HEADINGS as ATTENDANCE_HEADINGS
from gocong_desktop.core.documents.pdf.attendance import STATUS_LABELS
from gocong_desktop.core.documents.pdf.decree30 import number_text
from gocong_desktop.core.documents.pdf.verification import DRAFT_WORD, short_code
from gocong_desktop.core.services.minutes_data import AgendaLine, MinutesDocument
from gocong_desktop.core.text import place_date_line

ATTENDANCE_WIDTHS = (11, 42, 38, 18, 27, 24)  # mm, as the PDF's list


def editable_copy_note(doc: MinutesDocument) -> str:
    """What the Word copy of final minutes says about itself."""
    return (f"Bản Word để chỉnh sửa, không dùng để đối chiếu. Bản chính thức là bản PDF có mã kiểm tra "
            f"{short_code(doc.content_hash)} và mã QR.")


def write_minutes_docx(doc: MinutesDocument, out: str | Path | BinaryIO) -> None:
    """The minutes as a .docx; a path is written atomically."""
    document = minutes_document_docx(doc)
    write_to(out, lambda stream: layout.save(document, stream))


def minutes_document_docx(doc: MinutesDocument):
    issuer = doc.issuer
    number = number_text(doc.minutes_number if doc.is_final else None, minutes_text.MINUTES_SYMBOL)
    out = layout.new_document(minutes_text.document_title(doc))
    layout.national_header(out, issuer.parent_body, issuer.issuing_body,
                           [number, *(["(đã đính chính)"] if doc.is_final and doc.amendments else [])],
                           place_date_line(issuer.unit_name, doc.starts_at.date()))
    layout.title_block(out, "Biên bản", doc.title)
    if doc.is_final:
        layout.add_text(out, editable_copy_note(doc), size=13, italic=True, after=6)
    else:
        layout.add_text(out, f"{DRAFT_WORD} – chưa hoàn tất", bold=True, after=6)
    for line, statement in minutes_text.amendment_lines(doc):  # the same statement as the PDF's
        if statement:
            layout.add_text(out, line, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=True)
        else:
            layout.body(out, line)
    layout.body(out, minutes_text.opening(doc))
    _participants(out, doc)
    _contents(out, doc)
    _conclusions(out, doc)
    layout.body(out, minutes_text.closing(doc), keep=True)
    layout.signature_row(out, layout.Signer("Thư ký", doc.secretary.name if doc.secretary else None),
                         layout.Signer("Chủ trì", doc.chair.name if doc.chair else None), doc.recipients)
    _attendance(out, doc)
    return out


def _participants(out, doc: MinutesDocument) -> None:
    layout.heading(out, "I. THÀNH PHẦN THAM DỰ")
    for line in (f"1. Chủ trì: {minutes_text.person_line(doc.chair)}.",
                 f"2. Thư ký: {minutes_text.person_line(doc.secretary)}.",
                 f"3. Khách mời: {minutes_text.guest_list(doc)}.", f"4. {minutes_text.counts_line(doc)}"):
        layout.body(out, line)


def _lines(value: str | None) -> list[str]:
    return [line for line in (value or "").split("\n") if line.strip()]


def _item(out, number: int, item: AgendaLine) -> None:
    layout.heading(out, f"{number}. {item.title}")
    for line in _lines(item.content):
        layout.body(out, line)
    if item.opinions:
        layout.body(out, "Ý kiến tham gia:", keep=True).runs[0].font.italic = True
        for opinion in item.opinions:
            layout.body(out, minutes_text.opinion_line(opinion))


def _contents(out, doc: MinutesDocument) -> None:
    layout.heading(out, "II. NỘI DUNG")
    for number, item in enumerate(doc.agenda, start=1):
        _item(out, number, item)
    if not doc.agenda:
        layout.body(out, minutes_text.DOTS)


def _conclusions(out, doc: MinutesDocument) -> None:
    layout.heading(out, "III. KẾT LUẬN")
    for number, item in enumerate(doc.agenda, start=1):
        if not item.conclusion and item.votes is None:
            continue
        lines = _lines(item.conclusion)
        paragraph = layout.body(out, f"{number}. ")  # "1. <i>Title:</i> conclusion", as the PDF
        paragraph.add_run(layout.nfc(f"{item.title}{':' if lines else '.'}")).font.italic = True
        if lines:
            paragraph.add_run(" " + layout.nfc(lines[0]))
        for line in lines[1:]:
            layout.body(out, line)
        if item.votes is not None:
            layout.body(out, minutes_text.votes_line(item.votes, doc.present))
    for line in _lines(doc.closing_conclusion):
        layout.body(out, line)


def _attendance(out, doc: MinutesDocument) -> None:
    out.add_page_break()
    layout.add_text(out, "DANH SÁCH HỘ THAM DỰ CUỘC HỌP", bold=True, keep=True)
    layout.add_text(out, f"({minutes_text.attached_to(doc)})", italic=True, keep=True, after=12)
    rows = []
    for number, line in enumerate(doc.attendance, start=1):
        shown, default_reason = STATUS_LABELS.get(line.status, (line.status or "", None))
        rows.append([str(number), line.head_name, line.representative or "", shown,
                     line.reason or default_reason or "", ""])
    layout.grid_table(out, ATTENDANCE_HEADINGS, rows, ATTENDANCE_WIDTHS, centred=(0, 3))
