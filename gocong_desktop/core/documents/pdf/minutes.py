"""The minutes of a group meeting (Mẫu 1.9 Nghị định 30/2020 with Mẫu 03 Nghị
định 59/2023), from a ``MinutesDocument``.

Final minutes carry the verification footer on every page; drafts a "BẢN NHÁP"
mark and no code. Long content flows over pages; table rows are split to fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from gocong_desktop.core.db.models import AttendanceStatus, MeetingKind
from gocong_desktop.core.services.minutes_data import AgendaLine, AmendmentLine, Issuer, MinutesDocument, Opinion, Person
from gocong_desktop.core.text import date_words, fold, format_date, place_date_line, time_words
from gocong_desktop.core.documents.pdf.attendance import attendance_section
from gocong_desktop.core.documents.pdf.decree30 import Decree30Template, Signer, heading, italic_note, national_header, number_text, recipients_block, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.verification import SupersededFooter, VerificationFooter, draw_draft_mark

MINUTES_SYMBOL = "BB-TNDTQ"  # biên bản of a Tổ nhân dân tự quản
DOTS = "……"
# A place starting with a generic word is written in lower case inside a sentence
# ("tại nhà ông Ba"); a name ("tại Bình Tân") is not.
_GENERIC_PLACES = tuple(f"{w} " for w in ("nha", "tru so", "hoi truong", "van phong", "san", "diem",
                                            "chua", "dinh", "truong"))  # folded


def write_minutes_pdf(doc: MinutesDocument, out: str | Path | BinaryIO) -> None:
    """The minutes as a PDF; a path is written atomically (temporary file, then replace)."""
    write_to(out, lambda stream: build_minutes(doc, stream))


def build_minutes(doc: MinutesDocument, stream: BinaryIO) -> None:
    footer = SupersededFooter if doc.superseded_on else VerificationFooter
    decorate = (footer("minutes", doc.id, doc.content_hash, _footer_caption(doc))
                if doc.is_final else draw_draft_mark)
    template = Decree30Template(stream, title=_pdf_title(doc), decorate=decorate)
    template.build(minutes_story(doc))


def minutes_number(doc: MinutesDocument) -> str:
    """"07/BB-TNDTQ", or dots while a draft has no number."""
    return number_text(doc.minutes_number if doc.is_final else None, MINUTES_SYMBOL)[len("Số: "):]


def _pdf_title(doc: MinutesDocument) -> str:
    return f"Biên bản số {minutes_number(doc)} – {doc.issuer.issuing_body}"


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
        Paragraph(text(_opening(doc)), styles().body)]
    story += _participants(doc) + _contents(doc) + _conclusions(doc)
    story.append(KeepTogether([Paragraph(text(_closing(doc)), styles().body),
                               signature_blocks(_signer("Thư ký", doc.secretary), _signer("Chủ trì", doc.chair)),
                               *recipients_block(doc.recipients)]))
    rows = [(a.head_name, a.representative, a.status, a.reason) for a in doc.attendance]
    story += attendance_section(rows, attached_to=_attached_to(doc))
    return story


def amendment_statement(doc: MinutesDocument) -> list[Flowable]:
    """The amendment statements as paragraphs, each statement in italics."""
    return [Paragraph(f"<i>{text(line)}</i>" if statement else text(line), styles().body)
            for line, statement in amendment_lines(doc)]


def amendment_lines(doc: MinutesDocument) -> list[tuple[str, bool]]:
    """(line, is the statement) of every amendment of final minutes: "Biên bản này đính
    chính biên bản số … ngày …; lý do: …; người đính chính: …", then each change
    "- field: old → new." (plain text: the Word copy prints them too)."""
    if not doc.is_final:
        return []
    out: list[tuple[str, bool]] = []
    for amendment in doc.amendments:
        out.append((_statement(amendment), True))
        out += [(f"- {change.line()}.", False) for change in amendment.changes]
    return out


def _statement(amendment: AmendmentLine) -> str:
    number = number_text(amendment.replaced_number, MINUTES_SYMBOL)[len("Số: "):]
    said = (f"Biên bản này đính chính biên bản số {number} ngày {format_date(amendment.replaced_date)}; "
            f"lý do: {amendment.reason.rstrip('.')}; người đính chính: {amendment.amended_by or DOTS}; "
            f"ngày đính chính: {format_date(amendment.amended_on)}")
    return said + (". Nội dung đính chính:" if amendment.changes else "; nội dung không thay đổi.")


def _place_phrase(place: str | None, issuer: Issuer) -> str:
    """"nhà ông Nguyễn Văn Ba, ấp Lợi An, xã Bình Tân", without repeating what the place names."""
    parts = []
    if place:
        lowered = place[0].lower() + place[1:]
        parts.append(lowered if f"{fold(place)} ".startswith(_GENERIC_PLACES) else place)
    for name, shown in ((issuer.hamlet_name, issuer.hamlet_display),
                        (issuer.unit_name, issuer.commune_display)):
        if not place or fold(name) not in fold(place):
            parts.append(shown)
    return ", ".join(parts)


def _opening(doc: MinutesDocument) -> str:
    held = "họp đột xuất" if doc.kind == MeetingKind.EXTRA else "sinh hoạt định kỳ"
    start = doc.starts_at
    return (f"Hôm nay, vào hồi {time_words(start.time())}, {date_words(start.date())}, tại "
            f"{_place_phrase(doc.place, doc.issuer)}, {doc.issuer.group_full_name} tổ chức {held}.")


def _person(person: Person | None) -> str:
    if person is None:
        return DOTS
    name = f"{person.title} {person.name}" if person.title else person.name
    return f"{name} – {person.role}" if person.role else name


def _guest_list(doc: MinutesDocument) -> str:
    if not doc.guests:
        return "không có"
    shown = []
    for g in doc.guests:
        about = ", ".join(x for x in (g.role, g.organisation) if x)
        shown.append(f"{g.name} – {about}" if about else g.name)
    return "; ".join(shown)


def _counts(doc: MinutesDocument) -> str:
    total, present = len(doc.attendance), doc.present
    excused = doc.count(AttendanceStatus.ABSENT_EXCUSED)
    unexcused = doc.count(AttendanceStatus.ABSENT_UNEXCUSED)
    absent = (f"Vắng: {excused + unexcused} hộ (có lý do: {excused}; không lý do: {unexcused})"
              if excused + unexcused else "Không có hộ vắng")
    return f"Số hộ có đại diện tham dự: {present}/{total} hộ. {absent} (danh sách kèm theo)."


def _participants(doc: MinutesDocument) -> list[Flowable]:
    body = styles().body
    lines = [f"1. Chủ trì: {_person(doc.chair)}.", f"2. Thư ký: {_person(doc.secretary)}.",
             f"3. Khách mời: {_guest_list(doc)}.", f"4. {_counts(doc)}"]
    return heading("I. THÀNH PHẦN THAM DỰ") + [Paragraph(text(t), body) for t in lines]


def _paragraphs(value: str | None, prefix: str = "") -> list[Flowable]:
    """One Paragraph per typed line (a Paragraph itself flows over pages); ``prefix``
    is markup put before the first."""
    lines = [line for line in (value or "").split("\n") if line.strip()]
    body = styles().body
    return [Paragraph((prefix if i == 0 else "") + text(line), body) for i, line in enumerate(lines)]


def _opinion(opinion: Opinion) -> str:
    """"- Hộ ông Ba: …", unless what was written already starts with the speaker."""
    if fold(opinion.text).startswith(fold(opinion.speaker)):
        return f"- {text(opinion.text)}"
    return f"- {text(opinion.speaker)}: {text(opinion.text)}"


def _item(number: int, item: AgendaLine) -> list[Flowable]:
    s = styles()
    out = heading(f"{number}. {text(item.title)}")
    out += _paragraphs(item.content)
    if item.opinions:
        out += heading("<i>Ý kiến tham gia:</i>", s.body)
        out += [Paragraph(_opinion(o), s.body) for o in item.opinions]
    return out


def _contents(doc: MinutesDocument) -> list[Flowable]:
    out = heading("II. NỘI DUNG")
    for number, item in enumerate(doc.agenda, start=1):
        out += _item(number, item)
    if not doc.agenda:
        out.append(Paragraph(DOTS, styles().body))
    return out


def _votes(votes: tuple[int, int, int], present: int) -> str:
    agree, against, other = votes
    of = f"/{present}" if present else ""
    return (f"Kết quả biểu quyết: {agree}{of} hộ dự họp tán thành; {against} hộ không tán thành; "
            f"{other} hộ có ý kiến khác.")


def _conclusions(doc: MinutesDocument) -> list[Flowable]:
    out = heading("III. KẾT LUẬN")
    for number, item in enumerate(doc.agenda, start=1):
        if not item.conclusion and item.votes is None:
            continue
        out += _paragraphs(item.conclusion, f"{number}. <i>{text(item.title)}:</i> ") or [
            Paragraph(f"{number}. <i>{text(item.title)}.</i>", styles().body)]
        if item.votes is not None:
            out.append(Paragraph(text(_votes(item.votes, doc.present)), styles().body))
    out += _paragraphs(doc.closing_conclusion)
    return out


def _closing(doc: MinutesDocument) -> str:
    """The end of the meeting, then how the minutes were adopted, as offices write it: read out to
    everyone and adopted at the end, one copy for each recipient."""
    end = doc.ends_at
    if end is None:
        at = f"{DOTS} giờ {DOTS} phút"
        ended = f"Cuộc họp kết thúc vào {at} cùng ngày."
    else:
        at = time_words(end.time())
        same_day = end.date() == doc.starts_at.date()
        ended = f"Cuộc họp kết thúc vào {at}{' cùng ngày' if same_day else ', ' + date_words(end.date())}."
    copies = max(len(doc.recipients), 1)
    return (f"{ended} Biên bản đã được đọc lại cho mọi người dự họp cùng nghe, nhất trí thông qua lúc {at} "
            f"và được lập thành {copies:02d} bản có giá trị như nhau./.")


def _signer(title: str, person: Person | None) -> Signer:
    return Signer(title, person.name if person else None)


def _attached_to(doc: MinutesDocument) -> str:
    return (f"Kèm theo Biên bản số {minutes_number(doc)} ngày {format_date(doc.starts_at.date())} "
            f"của {doc.issuer.issuing_body}")
