"""Pre-filled household pledge forms (bản cam kết, DOMAIN.md §2), each starting
on a new page.

Built on the shared Decree-30 layout: national header, "BẢN CAM KẾT" and its
summary line, the household, the numbered items of the household's own template
version, the place-date line, TỔ TRƯỞNG (xác nhận) left and CHỦ HỘ right. Never
scaled: a long template flows onto a second page (printed on the back).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, FrameBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table

from gocong_desktop.core.services.pledge_print import PledgeForm
from gocong_desktop.core.text import date_words, fold, nfc
from gocong_desktop.core.documents.pdf.decree30 import BODY_SIZE, FRAME_WIDTH, MARGIN_LEFT, PAGE_NUMBER_Y, Decree30Template, Signer, italic_note, national_header, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.pdf.flowables import balanced_split
from gocong_desktop.core.documents.pdf.fonts import SERIF, SERIF_BOLD
from gocong_desktop.core.documents.output import write_to

DOTS = "……"
TITLE_SIZE = 14  # as title_block draws it
BLANK_DATE = f"ngày {DOTS} tháng {DOTS} năm"
ITEM_INDENT = 9 * mm  # "99." at 13 pt plus the 0.6 em reportlab puts after a bullet


class FrontSide(Flowable):
    """In a two-sided batch, moves a form that would start on a back (an even page)
    to the next front, leaving that back blank (and unnumbered)."""

    def __init__(self, template: FormsTemplate) -> None:
        super().__init__()
        self.template = template

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame, page = self._doctemplateAttr("frame"), self.canv.getPageNumber()
        if page % 2 == 0 and frame is not None:
            self.template.blank_pages.add(page)
            frame.add_generated_content(FrameBreak)  # runs before the next flowable
        return 0, 0

    def draw(self) -> None:
        return None


class FormStart(Flowable):
    """Drawn first on a form's first page: tells the template where the form starts."""

    def __init__(self, template: FormsTemplate) -> None:
        super().__init__()
        self.template = template

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.template.form_start = self.canv.getPageNumber()


class FormsTemplate(Decree30Template):
    """Each form is a document of its own: its pages are numbered from its own
    page 2 (a one-page form has no number), not through the batch."""

    form_start = 1

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.blank_pages: set[int] = set()

    def _on_page(self, canvas, _doc) -> None:
        return None

    def afterPage(self) -> None:
        # After the page's flowables: a form starting on this page has told us so.
        page = self.canv.getPageNumber()
        if page > self.form_start and page not in self.blank_pages:
            self.canv.saveState()
            self.canv.setFont(SERIF, BODY_SIZE)
            self.canv.drawCentredString(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_NUMBER_Y, str(page - self.form_start + 1))
            self.canv.restoreState()


def write_pledge_forms_pdf(forms: Sequence[PledgeForm], out: str | Path | BinaryIO, *,
                           title: str = "Bản cam kết") -> None:
    """The forms as one PDF; a path is written atomically (temporary file, then replace).
    When a form takes two pages (a long template), the batch is laid out again so
    that every form starts on a front side, to print on both sides of the paper."""
    def build(stream: BinaryIO) -> None:
        pages, data = _render(forms, title, two_sided=False)
        if pages > len(forms) > 1:
            pages, data = _render(forms, title, two_sided=True)
        stream.write(data)
    write_to(out, build)


def _render(forms: Sequence[PledgeForm], title: str, *, two_sided: bool) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    template = FormsTemplate(buffer, title=title)
    template.build(forms_story(forms, template, two_sided=two_sided))
    return template.page, buffer.getvalue()


def forms_story(forms: Sequence[PledgeForm], template: FormsTemplate, *, two_sided: bool = False) -> list[Flowable]:
    story: list[Flowable] = []
    for i, form in enumerate(forms):
        if i:
            story.append(PageBreak())
        story += [FrontSide(template)] if two_sided else []
        story += [FormStart(template), *form_page(form)]
    if not story:
        story.append(Paragraph("Không có hộ nào cần in bản cam kết.", styles().plain))
    return story


@lru_cache(maxsize=1)
def _form_styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    """(household line, paragraph, numbered item): 13 pt, paragraphs and items 6 pt
    apart as Nghị định 30 asks (a nine-item template still fits one page; the default
    twelve go on over the back), the household's lines closer as a form's fields.
    Every item hangs at the same indent, wide enough for "10." and beyond."""
    body = styles().body
    line = ParagraphStyle("pledge_line", parent=styles().plain, spaceAfter=2)
    para = ParagraphStyle("pledge_para", parent=body, spaceAfter=6)
    item = ParagraphStyle("pledge_item", parent=body, leading=15.5, firstLineIndent=0, leftIndent=ITEM_INDENT,
                          bulletIndent=0, bulletFontName=body.fontName, bulletFontSize=body.fontSize,
                          spaceAfter=6)
    return line, para, item


def form_page(form: PledgeForm) -> list[Flowable]:
    line, para, item = _form_styles()
    # The title's own spacing is for long documents; a form needs the room for its items.
    subtitle = balanced_lines(form.subtitle, SERIF_BOLD, TITLE_SIZE, FRAME_WIDTH) if form.subtitle else None
    title = [f for f in title_block(form.title, subtitle) if not isinstance(f, Spacer)]
    story: list[Flowable] = [national_header(form.header.parent_body, form.header.issuing_body, [], ""),
                             Spacer(1, 6 * mm), *title, italic_note(f"Năm {form.year}"), Spacer(1, 5 * mm)]
    story += [Paragraph(markup, line) for markup in _household_lines(form)]
    if form.intro:
        story.append(Paragraph(text(form.intro), para))
    story += [Paragraph(text(t), item, bulletText=f"{n}.") for n, t in enumerate(form.items, start=1)]
    closing = [Paragraph(text(form.closing), para)] if form.closing else []
    signers = signature_blocks(Signer("Tổ trưởng", form.leader_name, "(Xác nhận, ký, ghi rõ họ tên)"),
                               Signer("Chủ hộ", form.head_name))
    # The signatures never stand alone on a page: the closing pledge goes with them.
    return story + [KeepTogether([*closing, Spacer(1, 2 * mm), _place_date(form), signers])]


def balanced_lines(line: str, font: str, size: float, width: float) -> str:
    """A title too long for one line, broken into lines of similar length ("\n"
    between), so no single word is left alone on the last line."""
    return "\n".join(balanced_split(nfc(line) or "", font, size, width))


def _household_lines(form: PledgeForm) -> list[str]:
    """Markup lines about the household; unknown values become dots to fill by hand."""
    year = str(form.birth_year) if form.birth_year else DOTS
    group = f"Thuộc: {text(form.group_name)}, {text(form.hamlet)}. " if form.group_name else ""
    return [f"Họ và tên chủ hộ: <b>{text(form.head_name)}</b>{'&nbsp;' * 6}Năm sinh: {year}",
            f"Nơi cư trú: {text(_residence(form))}",
            f"{group}Số nhân khẩu trong hộ: {form.members} người."]


def _residence(form: PledgeForm) -> str:
    """"Số 7, đường Lê Lợi, ấp Lợi An, xã Bình Tân", not naming the hamlet or
    the commune twice when the typed address already does."""
    parts = [form.address] if form.address else []
    for unit in (form.hamlet, form.commune):
        if not any(fold(unit) in fold(p) for p in parts):
            parts.append(unit)
    return ", ".join(parts)


def _place_date(form: PledgeForm) -> Flowable:
    """Over the right signature: filled when signed, dots to write in otherwise."""
    place = nfc(form.header.place) or ""
    when = date_words(form.signed_date) if form.signed_date else f"{BLANK_DATE} {form.year}"
    line = italic_note(f"{place}, {when}" if place else when.capitalize())
    table = Table([["", line]], colWidths=[FRAME_WIDTH / 2] * 2)
    table.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return table
