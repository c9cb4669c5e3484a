"""The page layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), shared by every document.

A4 portrait, margins top/bottom 20 mm, left 30 mm, right 20 mm; page numbers
centred in the top margin from page 2; the two-column national header; the
title with its summary line; signature blocks; "Nơi nhận". Documents (minutes,
later pledge forms and reports) build their story from these pieces and pass
a per-page ``decorate`` callback for marks of their own (verification, draft).
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO, Callable, Sequence

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)

from gocong_desktop.core.documents.numbering import number_text  # noqa: F401 (documents import it from here)
from gocong_desktop.core.documents.pdf.flowables import RuledLines, balanced_split
from gocong_desktop.core.documents.pdf.fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, register_fonts

if TYPE_CHECKING:
    from gocong_desktop.core.services.signers import SignatureBlock

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT, MARGIN_RIGHT = 30 * mm, 20 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BODY_SIZE = 13
HEADER_LEFT_WIDTH = 64 * mm  # the national name (12 pt bold) needs the other 96 mm
PAGE_NUMBER_Y = PAGE_HEIGHT - 12 * mm
CELL_HPAD = 3

Decorate = Callable[[Canvas, int], None]


def text(value: str | None) -> str:
    """User text for Paragraph markup: NFC (reportlab does no shaping) and escaped."""
    # &, < and > (xml.sax.saxutils.escape's own, without its import of urllib.request)
    return html.escape(unicodedata.normalize("NFC", value or ""), quote=False)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle  # justified, first-line indent 1 cm
    plain: ParagraphStyle  # left aligned, indented like body (forms, lists)
    section: ParagraphStyle  # "I. THÀNH PHẦN THAM DỰ"
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle
    recipients_head: ParagraphStyle
    recipients: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=BODY_SIZE, leading=16,
                          alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName=SERIF, fontSize=12, leading=14, alignment=TA_LEFT)
    return Styles(
        body=body,
        plain=ParagraphStyle("plain", parent=body, alignment=TA_LEFT),
        section=ParagraphStyle("section", parent=body, fontName=SERIF_BOLD, alignment=TA_LEFT,
                               spaceBefore=6, keepWithNext=1),
        centre=ParagraphStyle("centre", parent=body, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        centre_bold=ParagraphStyle("centre_bold", parent=body, fontName=SERIF_BOLD, alignment=TA_CENTER,
                                   firstLineIndent=0, spaceAfter=0),
        cell=cell,
        cell_centre=ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=SERIF_BOLD, alignment=TA_CENTER),
        recipients_head=ParagraphStyle("recipients_head", fontName=SERIF_BOLD_ITALIC, fontSize=12, leading=14),
        recipients=ParagraphStyle("recipients", fontName=SERIF, fontSize=11, leading=13),
    )


@lru_cache(maxsize=1)
def _heading_style() -> ParagraphStyle:
    return ParagraphStyle("heading", parent=styles().section, keepWithNext=0)


class Heading(Paragraph):
    """A heading: ``guard_headings`` keeps it with the first lines of what follows."""


def heading(markup: str, style: ParagraphStyle | None = None) -> list[Flowable]:
    """A section heading (markup, already escaped), never left alone at a page foot
    (the template guards every ``Heading``)."""
    return [Heading(markup, style or _heading_style())]


FOLLOWING_LINES = 2  # lines of the next paragraph a heading keeps (reportlab splits no fewer)
FOLLOWING_BLOCK = 30 * mm  # of a table or a block: its head and a few rows


def _first_part(flowable: Flowable, canvas: Canvas, width: float) -> float:
    """Height of what must stand under a heading: the first lines of a paragraph,
    the first rows of anything else."""
    height = flowable.wrapOn(canvas, width, FRAME_HEIGHT * 10)[1]
    if isinstance(flowable, Paragraph):
        height = min(height, FOLLOWING_LINES * flowable.style.leading)
    else:
        height = min(height, FOLLOWING_BLOCK)
    return height + flowable.getSpaceBefore()


class HeadingGuard(CondPageBreak):
    """Breaks the page unless the headings after it and the first lines of what
    follows them fit. (keepWithNext would carry the whole next paragraph, however
    long, to the next page and leave this one half empty; a fixed CondPageBreak
    misses two-line headings.)"""

    def __init__(self, after: Sequence[Flowable]) -> None:
        super().__init__(0)
        self.after = list(after)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        need = 0.0
        for flowable in self.after:
            if not isinstance(flowable, Heading):
                need += _first_part(flowable, self.canv, avail_width)
                break
            need += (flowable.wrapOn(self.canv, avail_width, FRAME_HEIGHT)[1] + flowable.getSpaceBefore()
                     + flowable.getSpaceAfter())
        self.height = min(need, FRAME_HEIGHT / 2)
        return super().wrap(avail_width, avail_height)


def guard_headings(story: Sequence[Flowable]) -> list[Flowable]:
    """``story`` with a ``HeadingGuard`` before each run of headings."""
    out: list[Flowable] = []
    for i, flowable in enumerate(story):
        if isinstance(flowable, Heading) and not (i and isinstance(story[i - 1], Heading)):
            out.append(HeadingGuard(story[i:i + 6]))
        out.append(flowable)
    return out


def _header_table(rows: list[list], widths: Sequence[float]) -> Table:
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 1), (-1, 1), 6)]))
    return table


def national_header(parent_body: str, issuing_body: str, number_line: Sequence[Flowable],
                    place_date: str) -> Table:
    """The one header of every document. Left: parent body (none when empty), issuing
    body with its short rule, the number; right: the national name, the motto with a
    rule as long as itself, the place-and-date line (none when empty). Lines break
    between words, balanced (flowables.balanced_split)."""
    s = styles()
    left = [RuledLines(parent_body.upper(), SERIF, 12, leading=15)] if parent_body.strip() else []
    left.append(RuledLines(issuing_body.upper(), SERIF_BOLD, 12, leading=15, rule=0.4))
    right = [RuledLines("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SERIF_BOLD, 12, leading=15),
             RuledLines("Độc lập - Tự do - Hạnh phúc", SERIF_BOLD, 13, leading=15, rule=1.0)]
    rows = [[left, right]]
    if number_line or place_date:
        rows.append([list(number_line), Paragraph(f"<i>{text(place_date)}</i>", s.centre) if place_date else ""])
    return _header_table(rows, (HEADER_LEFT_WIDTH, FRAME_WIDTH - HEADER_LEFT_WIDTH))


SUMMARY_RULE = 0.4  # Nghị định 30: the rule under the summary is 1/3 to 1/2 of the line


def title_block(kind: str, summary: str | None) -> list[Flowable]:
    """"BIÊN BẢN" and its bold summary line with a short rule under it."""
    out: list[Flowable] = [Spacer(1, 10 * mm), RuledLines(kind.upper(), SERIF_BOLD, 14, leading=18)]
    if summary:
        out.append(RuledLines(summary, SERIF_BOLD, 14, leading=18, rule=SUMMARY_RULE, gap=9))
    out.append(Spacer(1, 6 * mm))
    return out


@dataclass(frozen=True)
class Signer:
    title: str  # "CHỦ TRÌ", "KT. TRƯỞNG CÔNG AN XÃ": printed in capitals
    name: str | None  # None leaves the line empty (forms filled by hand)
    note: str = "(Ký, ghi rõ họ tên)"
    position: str = ""  # the signer's own title under a KT./TM. line: "PHÓ TRƯỞNG CÔNG AN XÃ"


STAMPED = "(Ký, ghi rõ họ tên, đóng dấu)"


def office_signer(block: SignatureBlock | None, default_title: str) -> Signer:
    """Who signs and stamps for the office: the block the settings (or the print) chose,
    or ``default_title`` over a blank line for a name written by hand."""
    if block is None:
        return Signer(default_title, None, STAMPED)
    return Signer(block.title, block.name, STAMPED, block.position)


def _title_lines(value: str) -> list[str]:
    return balanced_split(unicodedata.normalize("NFC", value.upper()), SERIF_BOLD, BODY_SIZE,
                          FRAME_WIDTH / 2 - 2 * CELL_HPAD) if value.strip() else []


def _signature_cell(signer: Signer | None) -> list[Flowable]:
    if signer is None:
        return []
    s = styles()
    lines = _title_lines(signer.title) + _title_lines(signer.position)
    return [Paragraph("<br/>".join(text(line) for line in lines), s.centre_bold),
            Paragraph(f"<i>{text(signer.note)}</i>", s.centre), Spacer(1, 24 * mm),
            Paragraph(text(signer.name or ""), s.centre_bold)]


def signature_blocks(left: Signer | None, right: Signer | None) -> Table:
    """Two signers side by side (e.g. THƯ KÝ left, CHỦ TRÌ right)."""
    half = FRAME_WIDTH / 2
    table = _header_table([[_signature_cell(left), _signature_cell(right)]], (half, half))
    table.spaceBefore = 4 * mm
    return table


def _recipient_lines(lines: Sequence[str]) -> list[Flowable]:
    """"Nơi nhận:" then "- …;" lines, the last ending with a full stop."""
    s = styles()
    out: list[Flowable] = [Paragraph("Nơi nhận:", s.recipients_head)]
    for i, line in enumerate(lines):
        end = "." if i == len(lines) - 1 else ";"
        out.append(Paragraph(f"- {text(line.rstrip('.;'))}{end}", s.recipients))
    return out


def recipients_block(lines: Sequence[str]) -> list[Flowable]:
    """"Nơi nhận" under two signers (Mẫu 1.9, biên bản: THƯ KÝ and CHỦ TỌA fill the row)."""
    return [Spacer(1, 6 * mm), *_recipient_lines(lines)]


def _height(flowables: Sequence[Flowable]) -> float:
    return sum(f.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def closing_block(closing: Flowable, signer: Signer, recipients: Sequence[str]) -> KeepTogether:
    """The last sentence, then "Nơi nhận" at the left level with the signer's title
    at the right (Nghị định 30, ô 9b and 7a), kept together so that the end of a
    document never stands alone on a page."""
    half = FRAME_WIDTH / 2
    table = _header_table([[_recipient_lines(recipients), _signature_cell(signer)]], (half, half))
    table.spaceBefore = 4 * mm
    return KeepTogether([closing, table])


def with_last_section(last_section: Sequence[Flowable], ending: Sequence[Flowable]) -> list[Flowable]:
    """The last section kept with the ``ending`` (closing_block) when it takes less
    than half a page, so that the last page never holds the closing alone; a longer
    one flows on, filling its pages."""
    if _height(last_section) < FRAME_HEIGHT / 2:
        return [KeepTogether([*last_section, *ending])]
    return [*last_section, *ending]


def _cell_height(value: object, width: float, limit: float) -> float:
    """Height of a Paragraph cell, 0 when it surely fits: no more lines than
    characters, so short cells are not laid out twice (tables are the slow part)."""
    if not isinstance(value, Paragraph):
        return 0
    if value.text is not None and len(value.text) * value.style.leading <= limit:  # (split parts have none)
        return 0
    return value.wrap(width, FRAME_HEIGHT * 10)[1]


def _split_row(row: list, widths: Sequence[float], limit: float) -> list[list]:
    parts, pending = [], list(row)
    while max(_cell_height(c, w, limit) for c, w in zip(pending, widths)) > limit:
        head, tail = [], []
        for value, width in zip(pending, widths):
            pieces = value.split(width, limit) if _cell_height(value, width, limit) > limit else []
            if len(pieces) == 2:
                head.append(pieces[0])
                tail.append(pieces[1])
            else:
                head.append(value)
                tail.append("")
        if all(t == "" for t in tail):
            break  # nothing splits (a single huge word): let the table report it
        parts.append(head)
        pending = tail
    return parts + [pending]


def split_tall_rows(rows: list[list], widths: Sequence[float], *, padding: float,
                    max_height: float = FRAME_HEIGHT / 4) -> tuple[list[list], list[int]]:
    """Rows no taller than ``max_height``: a long cell continues in a row below
    (a row taller than a page makes reportlab fail with LayoutError). A quarter
    of a page wastes little: a row that does not fit moves whole to the next page.
    Also the indices of the rows that continue the one above."""
    out: list[list] = []
    continued: list[int] = []
    for row in rows:
        parts = _split_row(row, widths, max_height - padding)
        continued += range(len(out) + 1, len(out) + len(parts))
        out.extend(parts)
    return out, continued


def _row_rules(first: int, count: int, continued: Sequence[int]) -> list[tuple]:
    """A rule above each row of ``first``..``count - 1`` but those continuing the one above."""
    continuing = set(continued)
    starts = [r for r in range(first, count) if r not in continuing]
    runs: list[list[int]] = []
    for r in starts:
        if runs and runs[-1][1] == r - 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return [("LINEABOVE", (0, a), (-1, b), 0.5, "black") for a, b in runs]


def cell(value: str | None, style: ParagraphStyle, width: float) -> Paragraph | str:
    """A table cell: plain text when it fits on one line (a Paragraph costs a
    layout each time the table is measured), else a wrapping Paragraph."""
    value = unicodedata.normalize("NFC", value or "")
    if "\n" not in value and stringWidth(value, style.fontName, style.fontSize) <= width - 2 * CELL_HPAD:
        return value
    return Paragraph(text(value), style)


def grid_table(rows: list[list], widths: Sequence[float], *, header_rows: int = 1,
               vpad: float = 3, centred: Sequence[int] = ()) -> Table:
    """A ruled table whose header repeats on every page and whose rows are split
    to fit; ``centred`` columns centre their plain-text cells."""
    body, continued = split_tall_rows(rows[header_rows:], widths, padding=2 * vpad)
    # Not splitInRow=1: with repeatRows, reportlab 5.1 then draws the header mid-page.
    table = Table(rows[:header_rows] + body, colWidths=list(widths), repeatRows=header_rows)
    # The grid's rules, but none between a row and its continuation (it is one row).
    rules = _row_rules(1, header_rows + len(body), [header_rows + r for r in continued])
    if header_rows:  # under the header on every page, whatever row follows it there
        rules.append(("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.5, "black"))
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, "black"),
                               ("LINEAFTER", (0, 0), (-2, -1), 0.5, "black"), *rules,
                               ("FONT", (0, 0), (-1, -1), SERIF, styles().cell.fontSize,
                                styles().cell.leading),  # for plain-string cells
                               *(("ALIGN", (c, 0), (c, -1), "CENTER") for c in centred),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), vpad),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), vpad),
                               ("LEFTPADDING", (0, 0), (-1, -1), CELL_HPAD),
                               ("RIGHTPADDING", (0, 0), (-1, -1), CELL_HPAD)]))
    return table


class Decree30Template(BaseDocTemplate):
    """One frame inside the Decree-30 margins; page numbers from page 2; ``decorate``
    draws a document's own marks on every page, under the text."""

    def __init__(self, out: str | BinaryIO, *, title: str, decorate: Decorate | None = None) -> None:
        register_fonts()
        super().__init__(out, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         title=unicodedata.normalize("NFC", title),
                         author="gocong_desktop", creator="gocong_desktop")
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self._decorate = decorate
        self.addPageTemplates([PageTemplate(id="decree30", frames=[frame], onPage=self._on_page)])

    def build(self, flowables: list[Flowable], **kwargs) -> None:
        super().build(guard_headings(flowables), **kwargs)

    def _on_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        if self._decorate is not None:
            self._decorate(canvas, page)
        if page > 1:  # Nghị định 30: no number on the first page
            canvas.setFont(SERIF, BODY_SIZE)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawCentredString(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_NUMBER_Y, str(page))
        canvas.restoreState()


def italic_note(note: str, style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(f"<i>{text(note)}</i>", style or styles().centre)
