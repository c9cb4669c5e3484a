"""The Nghị định 30/2020 layout in Word (.docx), for offices that finish documents there.

The same rules as the PDFs (pdf/decree30.py): A4, margins top/bottom 20 mm, left
30 mm, right 20 mm; Times New Roman, body 13 pt justified with a 1 cm first-line
indent; page numbers centred at the top from page 2; the national header as a
two-column borderless table; headings kept with what follows. Word lays the
pages out itself, so nothing is ever scaled.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, BinaryIO, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

if TYPE_CHECKING:
    from gocong_desktop.core.services.signers import SignatureBlock

FONT = "Times New Roman"
BODY_SIZE, CELL_SIZE = 13, 12
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM = MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 30, 20
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
HEADER_LEFT_MM = 64  # as the PDF: the national name needs the other 96 mm
INDENT = Mm(10)
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

def nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "")


def _set_font(element_rpr) -> None:
    """Times New Roman for every script slot: Word picks the East Asian or complex
    slot for some Vietnamese letters when only the Latin one is set."""
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element_rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def new_document(title: str) -> DocxDocument:
    """An empty A4 document with the Decree-30 margins, fonts and page numbers."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_SIZE)
    _set_font(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    _page_numbers(section)
    props = doc.core_properties
    props.title, props.author = nfc(title), "gocong_desktop"
    props.created = props.modified = datetime.now(timezone.utc).replace(microsecond=0)
    return doc


def _page_numbers(section) -> None:
    """Centred in the top margin, none on page 1 (its own, empty, first-page header)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind in ("begin", "instr", "separate", "number", "end"):  # a PAGE field, one part a run
        run = paragraph.add_run("1" if kind == "number" else None)
        run.font.size = Pt(BODY_SIZE)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
            run._r.append(element)
        elif kind != "number":
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def add_text(container, value: str, *, size: float = BODY_SIZE, bold: bool = False, italic: bool = False,
             align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, after: float = 0,
             indent: bool = False, keep: bool = False) -> Paragraph:
    """One paragraph of one run in a document or a table cell."""
    paragraph = container.add_paragraph()
    run = paragraph.add_run(nfc(value))
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    fmt = paragraph.paragraph_format
    paragraph.alignment = align
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = INDENT
    fmt.keep_with_next = keep
    return paragraph


def body(doc: DocxDocument, value: str, *, keep: bool = False) -> Paragraph:
    """A body paragraph: 13 pt, justified, 1 cm first-line indent, 6 pt after."""
    return add_text(doc, value, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=True, keep=keep)


def heading(doc: DocxDocument, value: str, *, indent: bool = False) -> Paragraph:
    """A section heading, bold, on the page of the text that follows it."""
    paragraph = add_text(doc, value, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6, indent=indent, keep=True)
    paragraph.paragraph_format.space_before = Pt(6)
    return paragraph


def _rule(container, width_mm: float, cell_mm: float) -> None:
    """A short centred rule: an empty paragraph's bottom border, its width set by indents."""
    paragraph = container.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    # First, into the empty properties: python-docx then puts the spacing and indents
    # after it, in the order Word requires.
    paragraph._p.get_or_add_pPr().append(borders)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(max(cell_mm - width_mm, 0) / 2)
    fmt.space_after = Pt(0)
    paragraph.add_run().font.size = Pt(2)


def text_width_mm(value: str, size: float, *, bold: bool = False) -> float:
    """The printed width of ``value`` (Liberation Serif: Times New Roman's metrics)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from gocong_desktop.core.documents.pdf.fonts import SERIF, SERIF_BOLD, register_fonts

    register_fonts()
    return stringWidth(nfc(value), SERIF_BOLD if bold else SERIF, size) * 25.4 / 72


def borderless_table(doc: DocxDocument, widths_mm: Sequence[float]) -> Table:
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_mm)
    _no_split(table.rows[0])
    return table


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths, on the grid (LibreOffice reads it) and on every cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _clear(cell: _Cell) -> _Cell:
    """A new cell holds one empty paragraph: drop it so ``add_paragraph`` starts the cell."""
    for paragraph in list(cell.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    return cell


def national_header(doc: DocxDocument, parent_body: str, issuing_body: str, number_lines: Sequence[str],
                    place_date: str | None) -> Table:
    """Left: parent body, issuing body and its short rule, the number; right: the
    national name, the motto with a rule as long as itself, the place-and-date line."""
    right_mm = TEXT_WIDTH_MM - HEADER_LEFT_MM
    table = borderless_table(doc, (HEADER_LEFT_MM, right_mm))
    left, right = (_clear(c) for c in table.rows[0].cells)
    add_text(left, parent_body.upper(), size=12)
    add_text(left, issuing_body.upper(), size=12, bold=True)
    _rule(left, min(text_width_mm(issuing_body.upper(), 12, bold=True), HEADER_LEFT_MM) * 0.4, HEADER_LEFT_MM)
    for i, line in enumerate(number_lines):
        paragraph = add_text(left, line, italic=i > 0)
        paragraph.paragraph_format.space_before = Pt(6 if i == 0 else 0)
    add_text(right, NATIONAL_NAME, size=12, bold=True)
    add_text(right, MOTTO, bold=True)
    _rule(right, text_width_mm(MOTTO, BODY_SIZE, bold=True), right_mm)
    if place_date:
        add_text(right, place_date, italic=True).paragraph_format.space_before = Pt(6)
    return table


def title_block(doc: DocxDocument, kind: str, summary: str | None) -> None:
    """"BÁO CÁO" and its bold summary line, with a short rule under it."""
    add_text(doc, kind.upper(), size=14, bold=True, keep=True).paragraph_format.space_before = Pt(24)
    if summary:
        add_text(doc, summary, size=14, bold=True, keep=True)
        _rule(doc, min(text_width_mm(summary, 14, bold=True), TEXT_WIDTH_MM) / 3, TEXT_WIDTH_MM)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(18)


@dataclass(frozen=True)
class Signer:
    title: str  # printed in capitals: "KT. TRƯỞNG CÔNG AN XÃ"
    name: str | None  # None leaves the line empty
    note: str = "(Ký, ghi rõ họ tên)"
    position: str = ""  # the signer's own title under a KT./TM. line: "PHÓ TRƯỞNG CÔNG AN XÃ"


STAMPED = "(Ký, ghi rõ họ tên, đóng dấu)"


def office_signer(block: SignatureBlock | None, default_title: str) -> Signer:
    """As the PDF's (decree30.office_signer): the chosen block, or the title over a blank line."""
    if block is None:
        return Signer(default_title, None, STAMPED)
    return Signer(block.title, block.name, STAMPED, block.position)


def _signature(cell: _Cell, signer: Signer) -> None:
    add_text(cell, signer.title.upper(), bold=True, keep=True)
    if signer.position:
        add_text(cell, signer.position.upper(), bold=True, keep=True)
    add_text(cell, signer.note, italic=True, keep=True).paragraph_format.space_after = Pt(60)
    add_text(cell, signer.name or "", bold=True)


def _recipients(cell: _Cell, lines: Sequence[str]) -> None:
    add_text(cell, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, keep=True)
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        add_text(cell, f"- {line.rstrip('.;')}{'.' if last else ';'}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT,
                 keep=not last)


def signature_row(doc: DocxDocument, left: Signer | None, right: Signer | None,
                  recipients: Sequence[str] = ()) -> Table:
    """Two signers side by side; with one signer on the right, "Nơi nhận" stands on the
    left, level with the signer's title (ND30, Phụ lục I, 9b). The row never splits."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    half = TEXT_WIDTH_MM / 2
    table = borderless_table(doc, (half, half))
    left_cell, right_cell = (_clear(c) for c in table.rows[0].cells)
    if left is not None:
        _signature(left_cell, left)
    elif recipients:
        _recipients(left_cell, recipients)
    if right is not None:
        _signature(right_cell, right)
    for cell in (left_cell, right_cell):
        if not cell.paragraphs:
            cell.add_paragraph()
    if left is not None and recipients:
        doc.add_paragraph().paragraph_format.space_after = Pt(12)
        _recipients(doc, recipients)
    return table


CELL_MARGIN_TWIPS = "60"  # about 1 mm, as the PDF's tables: Word's 1.9 mm split "STT" in narrow columns


def _narrow_cell_margins(table: Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        element = OxmlElement(side)
        element.set(qn("w:w"), CELL_MARGIN_TWIPS)
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is not None:  # tblCellMar comes before tblLook in Word's order
        look.addprevious(margins)
    else:
        properties.append(margins)


def grid_table(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]],
               widths_mm: Sequence[float], *, right_aligned: Sequence[int] = (),
               centred: Sequence[int] = (), bold_last: bool = False) -> Table:
    """A ruled table in 12 pt whose header row repeats on every page."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(table)
    _widths(table, widths_mm)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(OxmlElement("w:tblHeader"))
    for r, values in enumerate([header, *rows]):
        for c, (cell, value) in enumerate(zip(table.rows[r].cells, values)):
            align = (WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c in centred else
                     WD_ALIGN_PARAGRAPH.RIGHT if c in right_aligned else WD_ALIGN_PARAGRAPH.LEFT)
            bold = r == 0 or (bold_last and r == len(rows))
            add_text(_clear(cell), value, size=CELL_SIZE, bold=bold, align=align)
    return table


def save(doc: DocxDocument, stream: BinaryIO) -> None:
    doc.save(stream)
