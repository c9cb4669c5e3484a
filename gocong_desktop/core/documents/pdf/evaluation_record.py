"""The one-page evaluation record of a model (biên bản đánh giá mô hình), from an
``EvaluationRecord``: the model, the evidence of the period, the score per
criterion, the rating and the recommendation. Shrunk to fit one page."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table

from gocong_desktop.core.services.evaluation_record import EvaluationRecord
from gocong_desktop.core.text import date_words, format_date, place_date_line
from gocong_desktop.core.documents.pdf.decree30 import FRAME_HEIGHT, FRAME_WIDTH, SERIF, Decree30Template, Signer, Styles, grid_table, national_header, number_text, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.output import write_to

RECORD_SYMBOL = "BB-ĐGMH"  # biên bản đánh giá mô hình
CELL_SIZE = 11


@lru_cache(maxsize=1)
def compact() -> Styles:
    """The shared styles a little tighter (12 pt body, 11 pt tables) so that a
    record with a few sites fits one page without being scaled down."""
    base = styles()
    body = ParagraphStyle("record_body", parent=base.body, fontSize=12, leading=14.5, spaceAfter=3)
    cell = ParagraphStyle("record_cell", parent=base.cell, fontSize=CELL_SIZE, leading=13)
    return replace(base, body=body, plain=ParagraphStyle("record_plain", parent=body, alignment=0),
                   section=ParagraphStyle("record_section", parent=base.section, fontSize=12, leading=14.5,
                                          spaceBefore=3, spaceAfter=3),
                   cell=cell, cell_centre=ParagraphStyle("record_cc", parent=cell, alignment=1),
                   cell_head=ParagraphStyle("record_ch", parent=base.cell_head, fontSize=CELL_SIZE, leading=13))


def _table(rows: list[list], widths: Sequence[float], **kwargs) -> Table:
    table = grid_table(rows, widths, vpad=1.5, **kwargs)
    table.setStyle([("FONT", (0, 0), (-1, -1), SERIF, CELL_SIZE, 13)])
    return table


def write_evaluation_record_pdf(record: EvaluationRecord, out: str | Path | BinaryIO) -> None:
    """The record as a PDF; a path is written atomically (temporary file, then replace)."""
    def build(stream: BinaryIO) -> None:
        template = Decree30Template(stream, title=f"Biên bản đánh giá mô hình {record.model_name}")
        template.build([KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT, record_story(record), mode="shrink")])
    write_to(out, build)


class FitWidth(Flowable):
    """A table laid out at whatever width it is offered: inside KeepInFrame's shrink
    the text is re-wrapped wider before scaling, and a fixed-width table would
    end up narrower than the text around it."""

    def __init__(self, make: Callable[[Sequence[float]], Table], fractions: Sequence[float]) -> None:
        super().__init__()
        self.make, self.fractions = make, fractions
        self.table: Table | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.table = self.make([avail_width * f for f in self.fractions])
        return self.table.wrap(avail_width, avail_height)

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",")


def record_story(r: EvaluationRecord) -> list[Flowable]:
    s = compact()
    story: list[Flowable] = [
        national_header(r.header.parent_body, r.header.issuing_body,
                        [Paragraph(text(number_text(None, RECORD_SYMBOL)), s.centre)],
                        place_date_line(r.header.place, r.evaluated_on)),
        *title_block("Biên bản", f"Đánh giá mô hình “{r.model_name}”, {r.period.label}"),
        Paragraph(text(f"Hôm nay, {date_words(r.evaluated_on)}, Công an {r.commune} tiến hành đánh giá "
                       f"mô hình “{r.model_name}” trong kỳ {r.period.label} ({r.period.dates_text})."),
                  s.body)]
    story += _model_section(r) + _evidence_section(r) + _scores_section(r) + _conclusion_section(r)
    story += [Spacer(1, 2 * mm),
              signature_blocks(Signer(f"Đại diện {r.lead_organisation}", None),
                               Signer("Người đánh giá", signature_name(r.evaluator)))]
    return story


def _model_section(r: EvaluationRecord) -> list[Flowable]:
    s = compact()
    start = f", bắt đầu từ ngày {format_date(r.model_start)}" if r.model_start else ""
    sites = "; ".join(f"({n}) {site}" for n, site in enumerate(r.sites, 1)) or "chưa có"
    lines = [f"Loại mô hình: {r.type_name}; đơn vị chủ trì: {r.lead_organisation}{start}; "
             f"trạng thái: {r.status_label.lower()}.", f"Điểm triển khai: {sites}."]
    return [Paragraph("I. THÔNG TIN MÔ HÌNH", s.section)] + [Paragraph(text(t), s.plain) for t in lines]


def _evidence_section(r: EvaluationRecord) -> list[Flowable]:
    s = compact()
    # The sites are listed above; the rest is what the registers show for the period.
    rows = [[Paragraph(text(label), s.cell), Paragraph(text(value), s.cell)]
            for label, value in r.evidence if label != "Điểm triển khai"]
    table = FitWidth(lambda widths: _table(rows, widths, header_rows=0), (0.3, 0.7))
    out: list[Flowable] = [Paragraph("II. KẾT QUẢ HOẠT ĐỘNG TRONG KỲ (số liệu của phần mềm)", s.section),
                           table]
    out += [Paragraph(f"<i>Lưu ý: {text(w)}</i>", s.plain) for w in r.warnings]
    return out


def _scores_section(r: EvaluationRecord) -> list[Flowable]:
    s = compact()
    head = ["TT", "Tiêu chí", "Trọng số", "Tối đa", "Điểm"]
    rows: list[list] = [[Paragraph(h, s.cell_head) for h in head]]
    for n, line in enumerate(r.scores, 1):
        rows.append([str(n), Paragraph(text(line.name), s.cell), _number(line.weight),
                     _number(line.max_score), _number(line.score)])
    rows.append(["", Paragraph("<b>Tổng điểm (quy về thang 100)</b>", s.cell), "", "",
                 _number(r.total_score)])

    def make(widths: Sequence[float]) -> Table:
        table = _table(rows, widths, centred=(0, 2, 3, 4))
        table.setStyle([("FONT", (4, -1), (4, -1), "LiberationSerif-Bold", CELL_SIZE, 13)])
        return table
    return [Paragraph("III. CHẤM ĐIỂM THEO TIÊU CHÍ", s.section),
            Paragraph(text(f"Bộ tiêu chí: {r.criteria_name} (phiên bản {r.criteria_version})."), s.plain),
            FitWidth(make, (0.06, 0.64, 0.11, 0.09, 0.10))]


def _conclusion_section(r: EvaluationRecord) -> list[Flowable]:
    s = compact()
    out: list[Flowable] = [
        Paragraph("IV. KẾT LUẬN VÀ KIẾN NGHỊ", s.section),
        Paragraph(f"Xếp loại: <b>{text(r.rating)}</b> ({_number(r.total_score)} điểm). "
                  f"Kiến nghị: <b>{text(r.recommendation.lower())}</b> mô hình.", s.body)]
    if r.notes:
        out += [Paragraph(text(line), s.body) for line in r.notes.split("\n") if line.strip()]
    out.append(Paragraph(text("Biên bản kết thúc cùng ngày, đã thông qua những người tham gia đánh giá./."),
                         s.body))
    return out


def signature_name(evaluator: str | None) -> str | None:
    """"Đ/c Nguyễn Văn Tâm – Trưởng Công an xã" signs as "Nguyễn Văn Tâm"."""
    if not evaluator:
        return None
    name = evaluator.split(" – ")[0].split(" - ")[0].strip()
    return name[4:].strip() if name.lower().startswith("đ/c ") else name
