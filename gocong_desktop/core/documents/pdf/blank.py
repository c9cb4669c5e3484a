"""A blank minutes form for a group: printed before the meeting, filled in by
hand, typed into the program afterwards. The attendance list is pre-filled
with the group's households."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from gocong_desktop.core.services.minutes_data import BlankMinutesDocument
from gocong_desktop.core.documents.pdf.attendance import attendance_section
from gocong_desktop.core.documents.pdf.decree30 import Decree30Template, Signer, heading, national_header, recipients_block, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.pdf.flowables import WritingLines
from gocong_desktop.core.documents.minutes_text import MINUTES_SYMBOL
from gocong_desktop.core.documents.output import write_to

D = "……"  # a short field to fill in
NAME = "…" * 14  # a name: with "Chức vụ" it fills one line
BLANK_ROWS = 15  # a group with no households typed in yet: rows to write them in by hand


def write_blank_minutes_pdf(doc: BlankMinutesDocument, out: str | Path | BinaryIO) -> None:
    write_to(out, lambda stream: build_blank_minutes(doc, stream))


def build_blank_minutes(doc: BlankMinutesDocument, stream: BinaryIO) -> None:
    title = f"Mẫu biên bản sinh hoạt – {doc.issuer.issuing_body}"
    Decree30Template(stream, title=title).build(blank_story(doc))


def _lines(*texts: str) -> list[Flowable]:
    return [Paragraph(text(t), styles().plain) for t in texts]


def _section(title: str) -> Flowable:
    return heading(text(title))[0]


def _writing_space(title: str, lines: int) -> list[Flowable]:
    """A heading kept with its first lines; the rest may run onto the next page."""
    return [KeepTogether([_section(title), WritingLines(2)]), WritingLines(lines - 2)]


def blank_story(doc: BlankMinutesDocument) -> list[Flowable]:
    issuer, n = doc.issuer, len(doc.households)
    number = [Paragraph(text(f"Số: {D}/{MINUTES_SYMBOL}"), styles().centre)]
    place_date = f"{issuer.unit_name}, ngày {D} tháng {D} năm 20{D}"
    story: list[Flowable] = [
        national_header(issuer.parent_body, issuer.issuing_body, number, place_date),
        *title_block("Biên bản", f"Sinh hoạt {issuer.group_full_name}"),
        *_lines(f"Hôm nay, vào hồi {D} giờ {D} phút, ngày {D} tháng {D} năm 20{D}, tại {NAME}, "
                f"{issuer.hamlet_display}, {issuer.commune_display}, {issuer.group_full_name} "
                f"tổ chức sinh hoạt {D}{D}."),
        _section("I. THÀNH PHẦN THAM DỰ"),
        *_lines(f"1. Chủ trì: {NAME} Chức vụ: {D}{D}{D}", f"2. Thư ký: {NAME} Chức vụ: {D}{D}{D}",
                "3. Khách mời:"),
        WritingLines(2),
        *_lines(f"4. Số hộ có đại diện tham dự: {D}/{n or D} hộ. Vắng: {D} hộ "
                f"(có lý do: {D}; không lý do: {D}) (danh sách kèm theo)."),
        *_writing_space("II. NỘI DUNG", 20),
        *_writing_space("III. KẾT LUẬN", 8),
        *_lines(f"Kết quả biểu quyết: {D} hộ tán thành; {D} hộ không tán thành; {D} hộ có ý kiến khác."),
        KeepTogether([*_lines(f"Cuộc họp kết thúc vào {D} giờ {D} phút cùng ngày. Biên bản đã được đọc lại cho mọi "
                             f"người dự họp cùng nghe, nhất trí thông qua lúc {D} giờ {D} phút và được lập "
                             f"thành {D} bản có giá trị như nhau./."),
                      signature_blocks(Signer("Thư ký", None), Signer("Chủ trì", None)),
                      *recipients_block(doc.recipients)])]
    rows = [(h.head_name, None, None, None) for h in doc.households] or [("", None, None, None)] * BLANK_ROWS
    attached = f"Kèm theo Biên bản số {D}/{MINUTES_SYMBOL} ngày {D}/{D}/20{D} của {issuer.issuing_body}"
    return story + attendance_section(rows, attached_to=attached)
