"""The upper office's aggregate report across communes for a period, from
``AggregateFigures``: Decree-30 layout (A4 portrait: the figures are split into two
tables of at most eight columns), issued by the upper office.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from gocong_desktop.core.services.review import counting_note, rates_sentence
from gocong_desktop.core.upper.aggregate import AggregateFigures, CommuneFigures
from gocong_desktop.core.services.document_header import police_parent_name
from gocong_desktop.core.services.signers import SignatureBlock
from gocong_desktop.core.text import format_date, format_int, place_date_line
from gocong_desktop.core.documents.pdf.decree30 import Decree30Template, grid_table, national_header, number_text, closing_block, office_signer, styles, text, title_block, with_last_section
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.review_report import HAMLET_HEADERS, _bold_last_row, hamlet_values, heading

REPORT_SYMBOL = "BC-TH"
NO_DATA = "–"


def report_title(f: AggregateFigures) -> str:
    return f"Báo cáo tổng hợp các xã {f.period.label} – {f.issuer}"


def write_aggregate_pdf(figures: AggregateFigures, out: str | Path | BinaryIO, *,
                        issued_on: date | None = None, signer: SignatureBlock | None = None) -> None:
    """Written atomically to a path (temporary file, then replace). ``signer``: who signs
    (services/signers.py), None for "Trưởng Công an huyện …" over a blank line."""
    def build(stream: BinaryIO) -> None:
        Decree30Template(stream, title=report_title(figures)).build(
            aggregate_story(figures, issued_on or date.today(), signer))
    write_to(out, build)


def head_title(f: AggregateFigures) -> str:
    """The upper office's head, named with the unit: "Trưởng Công an huyện Gò Công Tây"."""
    return f"Trưởng {f.issuer}"


def aggregate_story(f: AggregateFigures, issued_on: date, block: SignatureBlock | None = None) -> list[Flowable]:
    s, issuer = styles(), f.issuer
    parent = police_parent_name(f.office, issued_on)
    story: list[Flowable] = [
        national_header(parent, issuer, [Paragraph(text(number_text(None, REPORT_SYMBOL)), s.centre)],
                        place_date_line(f.office.unit_name, issued_on)),
        *title_block("Báo cáo", f"Tổng hợp kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc "
                                f"của các xã {f.period.label}"),
        Paragraph(text(f"{issuer} tổng hợp số liệu của {len(f.communes)} xã theo các gói đồng bộ đã nhận, "
                       f"{f.period.label} ({f.period.dates_text}), như sau:"), s.body)]
    story += _activity_section(f)
    closing = Paragraph(text(f"Trên đây là báo cáo tổng hợp các xã {f.period.label} của {issuer}./."), s.body)
    signer = office_signer(block, head_title(f))
    above = parent or "Cơ quan cấp trên"
    recipients = (f"{above} (để báo cáo)", "Công an các xã", "Lưu: VT, Hồ sơ")
    return story + with_last_section(_models_section(f), [Spacer(1, 3 * mm), closing_block(closing, signer, recipients)])


def _activity_section(f: AggregateFigures) -> list[Flowable]:
    s = styles()
    headers = ["Xã", *HAMLET_HEADERS[1:4], "Buổi/tổ", *HAMLET_HEADERS[5:]]
    widths = (34 * mm, 13 * mm, 15 * mm, 19 * mm, 16 * mm, 19 * mm, 25 * mm, 19 * mm)

    def values(counts, per_group: float | None) -> list[str]:
        v = hamlet_values(counts)  # groups, households, meetings, groups met, attendance, pledges, coverage
        return [*v[:3], NO_DATA if per_group is None else f"{per_group:.1f}".replace(".", ","), *v[4:]]

    rows: list[list] = [[Paragraph(h, s.cell_head) for h in headers]]
    rows += [[Paragraph(text(c.name), s.cell), *values(c.counts, c.meetings_per_group)] for c in f.communes]
    rows.append(["Tổng cộng", *values(f.total, f.meetings_per_group)])
    table = _bold_last_row(grid_table(rows, widths))
    table.setStyle([("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    intro = rates_sentence(f.pledge_year)
    note = Paragraph(f"<i>{text(counting_note(f.total, f.period))}</i>", s.plain)  # what is counted
    return [*heading("I. KẾT QUẢ THEO XÃ"), Paragraph(text(intro), s.body), table, note]


def ratings_text(models_by_rating: dict[str, int]) -> str:
    return "; ".join(f"{label}: {format_int(n)}" for label, n in sorted(models_by_rating.items())) or NO_DATA


def _package(c: CommuneFigures) -> list[str]:
    if c.last_sequence is None:
        return [NO_DATA, NO_DATA]
    return [str(c.last_sequence), format_date(c.last_package_at.date()) if c.last_package_at else NO_DATA]


def _models_section(f: AggregateFigures) -> list[Flowable]:
    s = styles()
    headers = ["Xã", "Số mô hình", "Xếp loại", "Gói mới nhất", "Ngày lập gói"]
    widths = (34 * mm, 20 * mm, 60 * mm, 20 * mm, 26 * mm)
    rows: list[list] = [[Paragraph(h, s.cell_head) for h in headers]]
    rows += [[Paragraph(text(c.name), s.cell), format_int(c.models),
              Paragraph(text(ratings_text(c.models_by_rating)), s.cell), *_package(c)] for c in f.communes]
    rows.append(["Tổng cộng", format_int(f.models), Paragraph(text(ratings_text(f.models_by_rating)), s.cell),
                 "", ""])
    table = _bold_last_row(grid_table(rows, widths, centred=(1, 3, 4)))
    intro = "Mô hình đang hoạt động, xếp loại theo lần đánh giá gần nhất; gói đồng bộ mới nhất đã nhận của xã."
    return [*heading("II. MÔ HÌNH VÀ GÓI ĐỒNG BỘ"), Paragraph(text(intro), s.body), table]

