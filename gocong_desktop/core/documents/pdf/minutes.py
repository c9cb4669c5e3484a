"""The minutes of a group meeting (Mẫu 1.9 Nghị định 30/2020 with Mẫu 03 Nghị
định 59/2023), from a ``MinutesDocument``.

Final minutes carry the verification footer on every page; drafts a "BẢN NHÁP"
mark and no code. Long content flows over pages; table rows are split to fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from gocong_desktop.core.documents.minutes_text import (DOTS, MINUTES_SYMBOL, amendment_lines, attached_to, closing,
                                                        counts_line, document_title, guest_list, minutes_number,
                                                        opening, opinion_line, person_line, votes_line)
from gocong_desktop.core.services.minutes_data import AgendaLine, MinutesDocument, Person
from gocong_desktop.core.text import format_date, place_date_line
from gocong_desktop.core.documents.pdf.attendance import attendance_section
from gocong_desktop.core.documents.pdf.decree30 import Decree30Template, Signer, heading, italic_note, national_header, number_text, recipients_block, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.verification import SupersededFooter, VerificationFooter, draw_draft_mark



def write_minutes_pdf(doc: MinutesDocument, out: str | Path | BinaryIO) -> None:
    """The minutes as a PDF; a path is written atomically (temporary file, then replace)."""
    write_to(out, lambda stream: build_minutes(doc, stream))


def build_minutes(doc: MinutesDocument, stream: BinaryIO) -> None:
    footer = SupersededFooter if doc.superseded_on else VerificationFooter
    decorate = (footer("minutes", doc.id, doc.content_hash, _footer_caption(doc))
                if doc.is_final else draw_draft_mark)
    template = Decree30Template(stream, title=document_title(doc), decorate=decorate)
    template.build(minutes_story(doc))


def _footer_caption(doc: MinutesDocument) -> str:
    if doc.superseded_on:
        return (f"Bản này đã được thay bằng bản đính chính ngày {format_date(doc.superseded_on)}, không còn "
                "giá trị; tra mã trên để biết mã của bản hiện hành.")
    return (f"Biên bản số {minutes_number(doc)} – quét mã QR hoặc tra mã trên để đối chiếu "
            "với bản ghi đã hoàn tất gửi cấp trên.")


def minutes_story(doc: MinutesDocument) -> list[Flowable]:
    issuer = doc.issuer
    number_line: list[Flowable] = [Paragraph(text(number_text(
        doc.minutes_number if doc.is_final else None, MINUTES_SYMBOL)), styles().centre)]
    if doc.is_final and doc.superseded_on:
        number_line.append(italic_note("(bản đã được thay thế)"))
    elif doc.is_final and doc.amendments:
        number_line.append(italic_note("(đã đính chính)"))
    story: list[Flowable] = [
        national_header(issuer.parent_body, issuer.issuing_body, number_line,
                        place_date_line(issuer.unit_name, doc.starts_at.date())),
        *title_block("Biên bản", doc.title),
        *amendment_statement(doc),
        Paragraph(text(opening(doc)), styles().body)]
    story += _participants(doc) + _contents(doc) + _conclusions(doc)
    story.append(KeepTogether([Paragraph(text(closing(doc)), styles().body),
                               signature_blocks(_signer("Thư ký", doc.secretary), _signer("Chủ trì", doc.chair)),
                               *recipients_block(doc.recipients)]))
    rows = [(a.head_name, a.representative, a.status, a.reason) for a in doc.attendance]
    story += attendance_section(rows, attached_to=attached_to(doc))
    return story


def amendment_statement(doc: MinutesDocument) -> list[Flowable]:
    """The amendment statements as paragraphs, each statement in italics."""
    return [Paragraph(f"<i>{text(line)}</i>" if statement else text(line), styles().body)
            for line, statement in amendment_lines(doc)]


def _participants(doc: MinutesDocument) -> list[Flowable]:
    body = styles().body
    lines = [f"1. Chủ trì: {person_line(doc.chair)}.", f"2. Thư ký: {person_line(doc.secretary)}.",
             f"3. Khách mời: {guest_list(doc)}.", f"4. {counts_line(doc)}"]
    return heading("I. THÀNH PHẦN THAM DỰ") + [Paragraph(text(t), body) for t in lines]


def _paragraphs(value: str | None, prefix: str = "") -> list[Flowable]:
    """One Paragraph per typed line (a Paragraph itself flows over pages); ``prefix``
    is markup put before the first."""
    lines = [line for line in (value or "").split("\n") if line.strip()]
    body = styles().body
    return [Paragraph((prefix if i == 0 else "") + text(line), body) for i, line in enumerate(lines)]


def _item(number: int, item: AgendaLine) -> list[Flowable]:
    s = styles()
    out = heading(f"{number}. {text(item.title)}")
    out += _paragraphs(item.content)
    if item.opinions:
        out += heading("<i>Ý kiến tham gia:</i>", s.body)
        out += [Paragraph(text(opinion_line(o)), s.body) for o in item.opinions]
    return out


def _contents(doc: MinutesDocument) -> list[Flowable]:
    out = heading("II. NỘI DUNG")
    for number, item in enumerate(doc.agenda, start=1):
        out += _item(number, item)
    if not doc.agenda:
        out.append(Paragraph(DOTS, styles().body))
    return out


def _conclusions(doc: MinutesDocument) -> list[Flowable]:
    out = heading("III. KẾT LUẬN")
    for number, item in enumerate(doc.agenda, start=1):
        if not item.conclusion and item.votes is None:
            continue
        out += _paragraphs(item.conclusion, f"{number}. <i>{text(item.title)}:</i> ") or [
            Paragraph(f"{number}. <i>{text(item.title)}.</i>", styles().body)]
        if item.votes is not None:
            out.append(Paragraph(text(votes_line(item.votes, doc.present)), styles().body))
    out += _paragraphs(doc.closing_conclusion)
    return out


def _signer(title: str, person: Person | None) -> Signer:
    return Signer(title, person.name if person else None)
