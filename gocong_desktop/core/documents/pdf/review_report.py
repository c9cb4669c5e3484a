"""The review report (báo cáo sơ kết / tổng kết) for a period, from ``ReviewFigures``.

Decree-30 layout; the summary table prints ``summary_items`` — the same list the
Excel workbook stores — and the tables per hamlet and per model follow.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO, Mapping

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from gocong_desktop.core.db.models import ModelStatus
from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.document_header import police_head_title
from gocong_desktop.core.services.signers import SignatureBlock
from gocong_desktop.core.services.review import (ReviewFigures, SummaryItem, counting_note, rates_sentence, report_header,
                                                 report_recipients, summary_items)
from gocong_desktop.core.text import format_int, format_percent, place_date_line
from gocong_desktop.core.documents.pdf.decree30 import FRAME_WIDTH, Decree30Template, grid_table, national_header, number_text, closing_block, office_signer, styles, text, title_block
from gocong_desktop.core.documents.pdf.charts import PRINT_SIZE, attendance_chart, has_figures, meetings_chart, \
    pledge_chart, ratings_chart
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.review_narrative import figures_title, narrative_part
from gocong_desktop.core.documents.pdf import decree30

REPORT_SYMBOL = "BC-CAX"
NO_DATA = "–"
BOLD_ROW = "LiberationSerif-Bold"
# The charts across the text frame, in 12 pt, in the document's serif (Nghị định 30).
PRINTED = {"width": FRAME_WIDTH, "size": PRINT_SIZE, "serif": True}


def write_review_pdf(figures: ReviewFigures, out: str | Path | BinaryIO, *, issued_on: date | None = None,
                     narrative: Mapping[str, str] | None = None, signer: SignatureBlock | None = None) -> None:
    """The report as a PDF; a path is written atomically (temporary file, then replace).
    ``narrative``: the written sections (services/review_narrative.py), before the figures;
    ``signer``: who signs (services/signers.py), None for the head's title over a blank line."""
    def build(stream: BinaryIO) -> None:
        Decree30Template(stream, title=report_title(figures)).build(
            review_story(figures, issued_on or date.today(), narrative, signer))
    write_to(out, build)


def report_title(f: ReviewFigures) -> str:
    return f"Báo cáo {f.period.review_word} {f.period.label} – Công an {f.office.display_name}"


def summary_line(f: ReviewFigures) -> str:
    return (f"{f.period.review_word.capitalize()} {f.period.label} phong trào Toàn dân bảo vệ an ninh "
            "Tổ quốc và các mô hình phòng, chống tội phạm")


def value_text(value: int | float | None, *, percent: bool = False) -> str:
    if value is None:
        return NO_DATA
    return format_percent(value) if percent else format_int(int(value))


def review_story(f: ReviewFigures, issued_on: date, narrative: Mapping[str, str] | None = None,
                 block: SignatureBlock | None = None) -> list[Flowable]:
    s, header = styles(), report_header(f.office, issued_on)
    story: list[Flowable] = [
        national_header(header.parent_body, header.issuing_body,
                        [Paragraph(text(number_text(None, REPORT_SYMBOL)), s.centre)],
                        place_date_line(header.place, issued_on)),
        *title_block("Báo cáo", summary_line(f)),
        Paragraph(text(f"Công an {f.office.display_name} báo cáo kết quả thực hiện phong trào Toàn dân "
                       f"bảo vệ an ninh Tổ quốc và hoạt động của các mô hình phòng, chống tội phạm "
                       f"{f.period.label} ({f.period.dates_text}) như sau:"), s.body)]
    written = narrative_part(narrative or {})
    story += written + (figures_title() if written else [])
    story += _summary_section(f) + _hamlet_section(f) + _models_section(f)
    closing = Paragraph(text(f"Trên đây là báo cáo {f.period.review_word} {f.period.label} của "
                             f"Công an {f.office.display_name}./."), s.body)
    signer = office_signer(block, police_head_title(f.office))
    story += [Spacer(1, 3 * mm), closing_block(closing, signer, report_recipients(f.office, issued_on))]
    return story


def heading(title: str) -> list[Flowable]:
    """A section heading (plain text), kept with what follows it."""
    return decree30.heading(text(title))


def _bold_last_row(table: Table) -> Table:
    table.setStyle([("FONT", (0, -1), (-1, -1), BOLD_ROW)])
    return table


def _last_rows_together(table: Table) -> Table:
    """A page break never just before the last row: alone at the top of a page (under the
    repeated header) it reads as a table of its own, a total as a total of nothing."""
    table.setStyle([("NOSPLIT", (0, -2), (-1, -1))])
    return table


def _summary_section(f: ReviewFigures) -> list[Flowable]:
    s = styles()
    widths = (12 * mm, FRAME_WIDTH - 42 * mm, 30 * mm)
    rows: list[list] = [[Paragraph("TT", s.cell_head), Paragraph("Chỉ tiêu", s.cell_head),
                         Paragraph("Số liệu", s.cell_head)]]
    for n, item in enumerate(summary_items(f), 1):
        rows.append([str(n), Paragraph(text(item.label), s.cell), _value(item)])
    table = _last_rows_together(grid_table(rows, widths, centred=(0,)))
    table.setStyle([("ALIGN", (2, 1), (2, -1), "RIGHT")])
    # What the figures count, said once, where they are first counted: table II counts
    # meetings, households and pledges the same way.
    return [*heading("I. SỐ LIỆU TỔNG HỢP"), table, _note(counting_note(f.total, f.period))]


def _note(value: str) -> Flowable:
    """What a table counts, in italics under it, 6 pt off its bottom rule."""
    return Paragraph(f"<i>{text(value)}</i>", ParagraphStyle("note", parent=styles().plain, spaceBefore=6))


def _value(item: SummaryItem) -> str:
    return value_text(item.value, percent=item.percent)


HAMLET_HEADERS = ["Ấp", "Số tổ", "Số hộ", "Buổi sinh hoạt", "Tổ có sinh hoạt", "Tỷ lệ dự họp",
                  "Hộ ký cam kết", "Tỷ lệ ký"]


def hamlet_values(counts: AreaCounts) -> list[str]:
    return [format_int(counts.groups), format_int(counts.households), format_int(counts.meetings),
            format_int(counts.groups_met), value_text(counts.attendance_rate, percent=True),
            f"{format_int(counts.pledges_signed)}/{format_int(counts.pledges_total)}",
            value_text(counts.pledge_coverage, percent=True)]


def _hamlet_section(f: ReviewFigures) -> list[Flowable]:
    s = styles()
    widths = (34 * mm, 13 * mm, 15 * mm, 19 * mm, 19 * mm, 19 * mm, 23 * mm, 18 * mm)
    rows: list[list] = [[Paragraph(h, s.cell_head) for h in HAMLET_HEADERS]]
    rows += [[Paragraph(text(h.name), s.cell), *hamlet_values(h.counts)] for h in f.hamlets]
    rows.append(["Tổng cộng", *hamlet_values(f.total)])
    table = _last_rows_together(_bold_last_row(grid_table(rows, widths)))
    table.setStyle([("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    intro = rates_sentence(f.pledge_year)
    return [*heading("II. KẾT QUẢ THEO ẤP"), Paragraph(text(intro), s.body), table, *_spaced(hamlet_charts(f))]


def hamlet_charts(f: ReviewFigures) -> list[Drawing]:
    """Pledge coverage and attendance by hamlet, meetings per month: under the table per
    hamlet (the Word copy prints them as pictures). Each only with figures to show: the
    table already prints "–", and an empty chart took half a page to say «Chưa có số liệu»
    (the start page keeps that drawing)."""
    charts = [(pledge_chart, f.pledge_year, [(h.name, h.counts.pledge_coverage) for h in f.hamlets]),
              (attendance_chart, f.period.label, [(h.name, h.counts.attendance_rate) for h in f.hamlets]),
              (meetings_chart, f.period.label, f.meetings_by_month)]
    return [chart(label, rows, **PRINTED) for chart, label, rows in charts if has_figures(rows)]


def models_charts(f: ReviewFigures) -> list[Drawing]:
    """Models per rating, none without an evaluation (the intro says «xếp loại – chưa có»)."""
    rows = f.rating_counts()
    return [ratings_chart(f"đánh giá trong {f.period.label}", rows, **PRINTED)] if has_figures(rows) else []


def _spaced(charts: list[Drawing]) -> list[Flowable]:
    """Each chart whole on a page, a line apart."""
    return [KeepTogether([Spacer(1, 4 * mm), chart]) for chart in charts]


MODEL_HEADERS = ["TT", "Mô hình", "Đơn vị chủ trì", "Số điểm", "Xếp loại", "Kiến nghị"]


def _models_section(f: ReviewFigures) -> list[Flowable]:
    s = styles()
    ratings = "; ".join(f"{label}: {n}" for label, n in f.rating_counts()) or "chưa có"
    intro = (f"Trong kỳ có {len(f.models)} mô hình, {f.models_evaluated} mô hình được đánh giá "
             f"(xếp loại – {ratings}).")
    widths = (9 * mm, 60 * mm, 30 * mm, 14 * mm, 22 * mm, 25 * mm)
    rows: list[list] = [[Paragraph(h, s.cell_head) for h in MODEL_HEADERS]]
    for n, m in enumerate(f.models, 1):
        name = m.name if m.status == ModelStatus.ACTIVE else f"{m.name} ({m.status_label.lower()})"
        rows.append([str(n), Paragraph(text(name), s.cell), Paragraph(text(m.lead_organisation), s.cell),
                     str(m.sites), m.rating or Paragraph("Chưa đánh giá", s.cell_centre),
                     m.recommendation_label])
    rows.append(["", "Tổng cộng", "", str(sum(m.sites for m in f.models)), "", ""])
    table = _last_rows_together(_bold_last_row(grid_table(rows, widths, centred=(0, 3, 4, 5))))
    return [*heading("III. CÁC MÔ HÌNH PHÒNG, CHỐNG TỘI PHẠM"), Paragraph(text(intro), s.body), table,
            *_spaced(models_charts(f))]
