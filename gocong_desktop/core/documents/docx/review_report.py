"""The review report (báo cáo sơ kết / tổng kết) in Word: the same header, title,
written sections, tables, charts (as pictures) and signature as the PDF
(pdf/review_report.py), to be finished in Word."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import BinaryIO, Mapping

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from gocong_desktop.core.db.models import ModelStatus
from gocong_desktop.core.documents.docx import layout
from gocong_desktop.core.documents.docx.chart_png import drawing_png
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.review_narrative import FIGURES_TITLE
from gocong_desktop.core.documents.pdf.review_report import (HAMLET_HEADERS, MODEL_HEADERS, REPORT_SYMBOL,
                                                             hamlet_charts, hamlet_values, models_charts,
                                                             report_title, summary_line, value_text)
from gocong_desktop.core.documents.pdf.decree30 import number_text
from gocong_desktop.core.services.review import (ReviewFigures, counting_note, rates_sentence, report_header, report_recipients,
                                                 summary_items)
from gocong_desktop.core.services.document_header import police_head_title
from gocong_desktop.core.services.review_narrative import narrative_outline
from gocong_desktop.core.services.signers import SignatureBlock
from gocong_desktop.core.text import place_date_line


def write_review_docx(figures: ReviewFigures, out: str | Path | BinaryIO, *, issued_on: date | None = None,
                      narrative: Mapping[str, str] | None = None, signer: SignatureBlock | None = None) -> None:
    """The report as a .docx; a path is written atomically. ``signer``: who signs
    (services/signers.py); None prints the head's title over a blank name line."""
    doc = review_document(figures, issued_on or date.today(), narrative, signer)
    write_to(out, lambda stream: layout.save(doc, stream))


def review_document(f: ReviewFigures, issued_on: date, narrative: Mapping[str, str] | None,
                    block: SignatureBlock | None = None):
    header = report_header(f.office, issued_on)
    doc = layout.new_document(report_title(f))
    layout.national_header(doc, header.parent_body, header.issuing_body, [number_text(None, REPORT_SYMBOL)],
                           place_date_line(header.place, issued_on))
    layout.title_block(doc, "Báo cáo", summary_line(f))
    layout.body(doc, f"Công an {f.office.display_name} báo cáo kết quả thực hiện phong trào Toàn dân bảo vệ an "
                     f"ninh Tổ quốc và hoạt động của các mô hình phòng, chống tội phạm {f.period.label} "
                     f"({f.period.dates_text}) như sau:")
    if _narrative(doc, narrative or {}):
        layout.add_text(doc, FIGURES_TITLE, bold=True, keep=True, after=6).paragraph_format.space_before = Pt(12)
    _summary(doc, f)
    _hamlets(doc, f)
    _models(doc, f)
    layout.body(doc, f"Trên đây là báo cáo {f.period.review_word} {f.period.label} của "
                     f"Công an {f.office.display_name}./.", keep=True)
    signer = layout.office_signer(block, police_head_title(f.office))
    layout.signature_row(doc, None, signer, report_recipients(f.office, issued_on))
    return doc


def _narrative(doc, sections: Mapping[str, str]) -> bool:
    """The written sections, numbered as in the PDF; whether any was written."""
    outline = narrative_outline(sections)
    for part in outline:
        layout.heading(doc, part.heading, indent=part.level == 2)
        for line in part.paragraphs:
            layout.body(doc, line)
    return bool(outline)


def _summary(doc, f: ReviewFigures) -> None:
    layout.heading(doc, "I. SỐ LIỆU TỔNG HỢP")
    rows = [[str(n), item.label, value_text(item.value, percent=item.percent)]
            for n, item in enumerate(summary_items(f), 1)]
    layout.grid_table(doc, ["TT", "Chỉ tiêu", "Số liệu"], rows, (12, layout.TEXT_WIDTH_MM - 42, 30),
                      right_aligned=(2,), centred=(0,))
    _note(doc, f)  # once, as in the PDF: table II counts the same way


def _note(doc, f: ReviewFigures) -> None:
    """What the table above counts, in italics, off its bottom rule (as the PDF)."""
    note = layout.add_text(doc, counting_note(f.total, f.period), italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
    note.paragraph_format.space_before = Pt(6)


def _hamlets(doc, f: ReviewFigures) -> None:
    layout.heading(doc, "II. KẾT QUẢ THEO ẤP")
    layout.body(doc, rates_sentence(f.pledge_year), keep=True)
    rows = [[h.name, *hamlet_values(h.counts)] for h in f.hamlets]
    rows.append(["Tổng cộng", *hamlet_values(f.total)])
    layout.grid_table(doc, HAMLET_HEADERS, rows, (34, 13, 15, 19, 19, 19, 23, 18),
                      right_aligned=range(1, 8), bold_last=True)
    _pictures(doc, hamlet_charts(f))


def _pictures(doc, charts: list[Drawing]) -> None:
    """Each chart as a PNG, as wide as in the PDF (at most the text's width)."""
    for chart in charts:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.add_run().add_picture(io.BytesIO(drawing_png(chart)),
                                        width=Mm(min(chart.width / mm, layout.TEXT_WIDTH_MM)))


def _models(doc, f: ReviewFigures) -> None:
    layout.heading(doc, "III. CÁC MÔ HÌNH PHÒNG, CHỐNG TỘI PHẠM")
    ratings = "; ".join(f"{label}: {n}" for label, n in f.rating_counts()) or "chưa có"
    layout.body(doc, f"Trong kỳ có {len(f.models)} mô hình, {f.models_evaluated} mô hình được đánh giá "
                     f"(xếp loại – {ratings}).", keep=True)
    rows = []
    for n, m in enumerate(f.models, 1):
        name = m.name if m.status == ModelStatus.ACTIVE else f"{m.name} ({m.status_label.lower()})"
        rows.append([str(n), name, m.lead_organisation, str(m.sites), m.rating or "Chưa đánh giá",
                     m.recommendation_label])
    rows.append(["", "Tổng cộng", "", str(sum(m.sites for m in f.models)), "", ""])
    layout.grid_table(doc, MODEL_HEADERS, rows, (11, 58, 30, 14, 22, 25), centred=(0, 3, 4, 5), bold_last=True)
    _pictures(doc, models_charts(f))
