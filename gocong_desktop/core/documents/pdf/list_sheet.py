"""A list as shown on screen, printed on the Decree-30 layout: the office
police's header, the title and the filters, a ruled table numbered row by row
whose header repeats on every page. Column widths follow what the columns hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from gocong_desktop.core.documents.list_data import ListSheet
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.decree30 import (FRAME_WIDTH, Decree30Template, grid_table, national_header,
                                                        styles, text, title_block)
from gocong_desktop.core.services.document_header import DocumentHeader
from gocong_desktop.core.text import format_int, place_date_line

NUMBER_WIDTH = 10 * mm
MIN_SHARE = 6  # characters: a narrow column still holds its header's words
MAX_SHARE = 40  # a long column (an address) wraps rather than squeezing the others


def write_list_pdf(sheet: ListSheet, header: DocumentHeader, out: str | Path | BinaryIO, today: date) -> None:
    write_to(out, lambda stream: Decree30Template(stream, title=sheet.title).build(_story(sheet, header, today)))


def _cell_style() -> ParagraphStyle:
    return ParagraphStyle("list_cell", parent=styles().cell, fontSize=10.5, leading=12.5)


def _story(sheet: ListSheet, header: DocumentHeader, today: date) -> list[Flowable]:
    s = styles()
    summary = "; ".join(p for p in (sheet.scope, f"{format_int(len(sheet.rows))} dòng") if p)
    story: list[Flowable] = [national_header(header.parent_body, header.issuing_body, [],
                                             place_date_line(header.place, today)),
                             *title_block(sheet.title, summary)]
    if not sheet.rows:
        return [*story, Paragraph("Danh sách không có dòng nào.", s.plain)]
    cell, head = _cell_style(), ParagraphStyle("list_head", parent=s.cell_head, fontSize=10.5, leading=12.5)
    rows = [[Paragraph("STT", head), *(Paragraph(text(h), head) for h in sheet.headers)]]
    for number, values in enumerate(sheet.rows, 1):
        rows.append([str(number), *(Paragraph(text(_shown(v)), cell) for v in values)])
    return [*story, grid_table(rows, [NUMBER_WIDTH, *widths(sheet.headers, sheet.rows)], vpad=3, centred=(0,))]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return format_int(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """The text width shared by the columns in proportion to their longest text (bounded)."""
    shares = []
    for index, header in enumerate(headers):
        longest = max((len(_shown(row[index])) for row in rows[:2000] if index < len(row)), default=0)
        words = max((len(w) for w in header.split()), default=0)
        shares.append(min(MAX_SHARE, max(MIN_SHARE, words, longest)))
    room = FRAME_WIDTH - NUMBER_WIDTH
    return [room * share / sum(shares) for share in shares]
