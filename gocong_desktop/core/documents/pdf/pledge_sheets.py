"""Pledge lists on the Decree-30 layout: a group's register sheet (every
household, its status and date signed, a cell for the household to sign) and
the list of households not yet signed, group by group under a heading when it
spans several groups. Long lists flow over pages with the table header repeated."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from gocong_desktop.core.services.pledge_print import PledgeSheet, SheetRow
from gocong_desktop.core.text import format_date, format_percent, place_date_line
from gocong_desktop.core.documents.pdf.decree30 import (Decree30Template, Signer, grid_table, heading, national_header,
                                                        office_signer, signature_blocks, styles, text, title_block)
from gocong_desktop.core.services.signers import SignatureBlock
from gocong_desktop.core.documents.output import write_to

# (heading, width, value of a row); the widths add up to the 160 mm text width.
# The register: the date says a household signed; the note says who witnessed it, or why not.
REGISTER_COLUMNS = [("STT", 12), ("Chủ hộ", 33), ("Năm sinh", 14), ("Địa chỉ", 27),
                    ("Ngày ký", 23), ("Hộ ký tên", 21), ("Ghi chú", 30)]
NOT_SIGNED_COLUMNS = [("STT", 12), ("Chủ hộ", 44), ("Địa chỉ", 42), ("Trạng thái", 22), ("Lý do", 40)]


def write_register_pdf(sheet: PledgeSheet, out: str | Path | BinaryIO, *, today: date | None = None) -> None:
    """A group's register sheet; a path is written atomically."""
    write_to(out, lambda stream: _build(sheet, stream, REGISTER_COLUMNS, _register_cells, today))


def write_not_signed_pdf(sheet: PledgeSheet, out: str | Path | BinaryIO, *,
                         today: date | None = None, signer: SignatureBlock | None = None) -> None:
    """The households not yet signed; a path is written atomically. ``signer``: the
    office's, for the commune-wide list (it signs on the right, the maker on the left)."""
    write_to(out, lambda stream: _build(sheet, stream, NOT_SIGNED_COLUMNS, _not_signed_cells, today, signer))


def _register_cells(row: SheetRow) -> list[str]:
    return [row.head_name, str(row.birth_year or ""), row.address or "", format_date(row.signed_date), "",
            _register_note(row)]


def _register_note(row: SheetRow) -> str:
    """"Chứng kiến: Lê Chí Đạt" for a signature; otherwise the status and its reason."""
    if row.signed_date is not None:
        return f"Chứng kiến: {row.witness}" if row.witness else ""
    return _capital(row.status_label) + (f": {row.reason}" if row.reason else "")


def _not_signed_cells(row: SheetRow) -> list[str]:
    return [row.head_name, row.address or "", _capital(row.status_label), row.reason or ""]


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _build(sheet: PledgeSheet, stream: BinaryIO, columns, cells_of, today: date | None,
           signer: SignatureBlock | None = None) -> None:
    template = Decree30Template(stream, title=f"{sheet.title.capitalize()} – {sheet.scope}")
    template.build(sheet_story(sheet, columns, cells_of, today or date.today(), signer))


def _signers(sheet: PledgeSheet, block: SignatureBlock | None) -> tuple[Signer | None, Signer]:
    """The maker, then who confirms: the office's signer, the group leader, or nobody."""
    maker = Signer("Người lập", None)
    if block is not None:
        return maker, office_signer(block, block.title)
    return (maker, Signer("Tổ trưởng", sheet.leader_name)) if sheet.leader_name else (None, maker)


def sheet_story(sheet: PledgeSheet, columns, cells_of, today: date,
                block: SignatureBlock | None = None) -> list[Flowable]:
    s = styles()
    header = national_header(sheet.header.parent_body, sheet.header.issuing_body, [],
                             place_date_line(sheet.header.place, today))
    story: list[Flowable] = [header, *title_block(sheet.title, f"Năm {sheet.year} – {sheet.scope}")]
    sections = _sections(sheet.rows)
    first = 1
    for title, rows in sections:
        if len(sections) > 1:
            story += heading(text(f"{title} ({len(rows)} hộ)"))
        story.append(_table(rows, first, columns, cells_of))
        first += len(rows)
    if not sheet.rows:
        story.append(Paragraph("Không có hộ nào trong danh sách.", s.plain))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([Paragraph(text(_summary(sheet)), s.body), signature_blocks(*_signers(sheet, block))]))
    return story


def _sections(rows: list[SheetRow]) -> list[tuple[str, list[SheetRow]]]:
    """Consecutive rows of one hamlet and group under their heading ("Ấp Lợi An – Tổ NDTQ số 1")."""
    sections: list[tuple[str, list[SheetRow]]] = []
    for row in rows:
        heading = " – ".join(p for p in (_capital(f"{row.hamlet_type} {row.hamlet_name}") if row.hamlet_name else "",
                                         row.group_name or "Chưa thuộc tổ nào") if p)
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        sections[-1][1].append(row)
    return sections


def _table(rows: list[SheetRow], first: int, columns, cells_of) -> Flowable:
    s = styles()
    cells = [[Paragraph(h, s.cell_head) for h, _w in columns]]
    for number, row in enumerate(rows, start=first):
        cells.append([Paragraph(str(number), s.cell_centre)] + [Paragraph(text(v), s.cell) for v in cells_of(row)])
    return grid_table(cells, [w * mm for _h, w in columns], vpad=4)


def _summary(sheet: PledgeSheet) -> str:
    if not sheet.total:
        return "Tổng số hộ phải ký: 0 hộ."
    percent = 100.0 * sheet.signed / sheet.total
    return (f"Tổng số hộ phải ký: {sheet.total} hộ; đã ký: {sheet.signed} hộ "
            f"({format_percent(percent)}); chưa ký: {sheet.total - sheet.signed} hộ.")
