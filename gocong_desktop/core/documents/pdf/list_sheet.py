"""A list as shown on screen, printed on the Decree-30 layout: the office
police's header, the title and the filters, a ruled table numbered row by row
whose header repeats on every page, in the tables' 12 pt (never smaller: issue 17).
Column widths are measured in the fonts printed: every column holds its longest
word whole, and the room left goes to the columns whose texts are longest."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from gocong_desktop.core.documents.list_data import ListSheet
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.decree30 import (CELL_HPAD, FRAME_WIDTH, Decree30Template, grid_table,
                                                        national_header, register_fonts, styles, text,
                                                        title_block)
from gocong_desktop.core.services.document_header import DocumentHeader
from gocong_desktop.core.text import format_int, place_date_line

NUMBER_WIDTH = 12 * mm  # "STT" in bold at 12 pt, whole
WIDEST = 60 * mm  # a long column (an address) wraps rather than squeezing the others
MEASURED_ROWS = 2000  # enough to see what a column holds


def write_list_pdf(sheet: ListSheet, header: DocumentHeader, out: str | Path | BinaryIO, today: date) -> None:
    write_to(out, lambda stream: Decree30Template(stream, title=sheet.title).build(_story(sheet, header, today)))


def _story(sheet: ListSheet, header: DocumentHeader, today: date) -> list[Flowable]:
    s = styles()
    summary = "; ".join(p for p in (sheet.scope, f"{format_int(len(sheet.rows))} dòng") if p)
    story: list[Flowable] = [national_header(header.parent_body, header.issuing_body, [],
                                             place_date_line(header.place, today)),
                             *title_block(sheet.title, summary)]
    if not sheet.rows:
        return [*story, Paragraph("Danh sách không có dòng nào.", s.plain)]
    cell, head = s.cell, s.cell_head
    rows = [[Paragraph("STT", head), *(Paragraph(text(h), head) for h in sheet.headers)]]
    for number, values in enumerate(sheet.rows, 1):
        rows.append([str(number), *(Paragraph(text(_shown(v, h)), cell) for v, h in zip(values, sheet.headers))])
    return [*story, grid_table(rows, [NUMBER_WIDTH, *widths(sheet.headers, sheet.rows)], vpad=3, centred=(0,))]


def _shown(value: Any, header: str = "") -> str:
    """Counts grouped by thousands (1.800); a year never is (1952)."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if header.lower().startswith("năm") else format_int(value)
    return str(value)


def _width(texts: list[str], font: str, size: float) -> tuple[float, float]:
    """(longest word, longest text) of ``texts`` in points, padding included."""
    word = max((stringWidth(w, font, size) for t in texts for w in t.split()), default=0)
    whole = max((stringWidth(t, font, size) for t in texts), default=0)
    return word + 2 * CELL_HPAD + 1, whole + 2 * CELL_HPAD + 1


def widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column at least its longest word (the header's in bold); the room left
    shared in proportion to what each column's longest text still lacks."""
    register_fonts()  # measured before the document registers them, when called on its own
    s = styles()
    least, wanted = [], []
    for index, header in enumerate(headers):
        cells = [_shown(row[index], header) for row in rows[:MEASURED_ROWS] if index < len(row)]
        head_word, head_whole = _width([header], s.cell_head.fontName, s.cell_head.fontSize)
        cell_word, cell_whole = _width(cells, s.cell.fontName, s.cell.fontSize)
        least.append(max(head_word, cell_word))
        wanted.append(max(least[-1], min(WIDEST, max(cell_whole, head_word))))
    room = FRAME_WIDTH - NUMBER_WIDTH
    if sum(least) >= room:  # more columns than the page holds whole: shrink them alike
        return [room * w / sum(least) for w in least]
    lacking = [w - m for w, m in zip(wanted, least)]
    spare = room - sum(least)
    if sum(lacking) <= spare:  # everything whole on one line: the rest in proportion
        return [w + (room - sum(wanted)) * w / sum(wanted) for w in wanted]
    return [m + spare * gap / sum(lacking) for m, gap in zip(least, lacking)]
