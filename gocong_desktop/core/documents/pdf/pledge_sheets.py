"""Pledge lists on the Decree-30 layout: a group's register sheet (every
household, its status and date signed) and the list of households not yet
signed. Long lists flow over pages with the table header repeated."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from gocong_desktop.core.services.pledge_print import PledgeSheet, SheetRow
from gocong_desktop.core.text import format_date, format_percent, place_date_line
from gocong_desktop.core.documents.pdf.decree30 import Decree30Template, Signer, grid_table, national_header, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.output import write_to

# (heading, width, value of a row); the widths add up to the 160 mm text width.
REGISTER_COLUMNS = [("STT", 11), ("Chủ hộ", 40), ("Năm sinh", 14), ("Địa chỉ", 30),
                    ("Trạng thái", 18), ("Ngày ký", 22), ("Ghi chú", 25)]
NOT_SIGNED_COLUMNS = [("STT", 11), ("Chủ hộ", 40), ("Địa chỉ", 34), ("Tổ", 30),
                      ("Trạng thái", 18), ("Lý do", 27)]


def write_register_pdf(sheet: PledgeSheet, out: str | Path | BinaryIO, *, today: date | None = None) -> None:
    """A group's register sheet; a path is written atomically."""
    write_to(out, lambda stream: _build(sheet, stream, REGISTER_COLUMNS, _register_cells, today))


def write_not_signed_pdf(sheet: PledgeSheet, out: str | Path | BinaryIO, *,
                         today: date | None = None) -> None:
    """The households not yet signed; a path is written atomically."""
    write_to(out, lambda stream: _build(sheet, stream, NOT_SIGNED_COLUMNS, _not_signed_cells, today))


def _register_cells(row: SheetRow) -> list[str]:
    return [row.head_name, str(row.birth_year or ""), row.address or "", _capital(row.status_label),
            format_date(row.signed_date), row.note or ""]


def _not_signed_cells(row: SheetRow) -> list[str]:
    return [row.head_name, row.address or "", row.group_name or "", _capital(row.status_label),
            row.note or ""]


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _build(sheet: PledgeSheet, stream: BinaryIO, columns, cells_of, today: date | None) -> None:
    template = Decree30Template(stream, title=f"{sheet.title.capitalize()} – {sheet.scope}")
    template.build(sheet_story(sheet, columns, cells_of, today or date.today()))


def sheet_story(sheet: PledgeSheet, columns, cells_of, today: date) -> list[Flowable]:
    s = styles()
    header = national_header(sheet.header.parent_body, sheet.header.issuing_body, [],
                             place_date_line(sheet.header.place, today))
    rows = [[Paragraph(h, s.cell_head) for h, _w in columns]]
    for number, row in enumerate(sheet.rows, start=1):
        rows.append([Paragraph(str(number), s.cell_centre)]
                    + [Paragraph(text(v), s.cell) for v in cells_of(row)])
    story: list[Flowable] = [header, *title_block(sheet.title, f"Năm {sheet.year} – {sheet.scope}")]
    if sheet.rows:
        story.append(grid_table(rows, [w * mm for _h, w in columns], vpad=4))
    else:
        story.append(Paragraph("Không có hộ nào trong danh sách.", s.plain))
    story.append(Spacer(1, 4 * mm))
    maker = Signer("Người lập", None)
    signers = (maker, Signer("Tổ trưởng", sheet.leader_name)) if sheet.leader_name else (None, maker)
    story.append(KeepTogether([Paragraph(text(_summary(sheet)), s.body), signature_blocks(*signers)]))
    return story


def _summary(sheet: PledgeSheet) -> str:
    percent = 100.0 * sheet.signed / sheet.total if sheet.total else 0.0
    return (f"Tổng số hộ phải ký: {sheet.total} hộ; đã ký: {sheet.signed} hộ "
            f"({format_percent(percent)}); chưa ký: {sheet.total - sheet.signed} hộ.")
