"""The attendance list that follows the minutes, with a column to sign in.

Shared by the filled minutes and the blank form (where only names are printed)."""

from __future__ import annotations

from typing import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from gocong_desktop.core.db.models import AttendanceStatus
from gocong_desktop.core.documents.pdf.decree30 import RuledLines, cell, grid_table, italic_note, styles
from gocong_desktop.core.documents.pdf.fonts import SERIF_BOLD

# (attendance, reason when none was typed)
STATUS_LABELS = {AttendanceStatus.UNMARKED: ("", None),  # a draft printed before the roll call: filled by hand
                 AttendanceStatus.PRESENT: ("Có mặt", None),
                 AttendanceStatus.ABSENT_EXCUSED: ("Vắng", "Có lý do"),
                 AttendanceStatus.ABSENT_UNEXCUSED: ("Vắng", "Không có lý do")}
HEADINGS = ("STT", "Chủ hộ", "Người dự họp", "Tham dự", "Lý do vắng", "Ký tên")
WIDTHS = (11 * mm, 42 * mm, 38 * mm, 18 * mm, 27 * mm, 24 * mm)  # 160 mm, the text width
ROW = tuple[str, str | None, str | None, str | None]  # head, representative, status, reason


def attendance_section(rows: Sequence[ROW], *, attached_to: str) -> list[Flowable]:
    """Heading, "(Kèm theo …)" and the table; starts a new page unless the
    heading and a few rows still fit on this one."""
    s = styles()
    cells = [[Paragraph(h, s.cell_head) for h in HEADINGS]]
    for number, (head, representative, status, reason) in enumerate(rows, start=1):
        shown, default_reason = STATUS_LABELS.get(status, (status or "", None))
        cells.append([str(number), cell(head, s.cell, WIDTHS[1]), cell(representative, s.cell, WIDTHS[2]),
                      shown, cell(reason or default_reason, s.cell, WIDTHS[4]), ""])
    return [CondPageBreak(80 * mm), Spacer(1, 6 * mm),
            RuledLines("DANH SÁCH HỘ THAM DỰ CUỘC HỌP", SERIF_BOLD, 13, leading=17),
            italic_note(f"({attached_to})"), Spacer(1, 4 * mm),
            grid_table(cells, WIDTHS, vpad=6, centred=(0, 3))]
