"""The evaluation record of a model (biên bản đánh giá mô hình), from an
``EvaluationRecord``: when the team sat and who it was, the model, the evidence
of the period, the score per criterion, the rating and the recommendation. At the sizes of Nghị định 30
(body 13 pt, tables 12 pt), flowing onto a second page when it needs one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from gocong_desktop.core.services.evaluation_record import EvaluationRecord
from gocong_desktop.core.text import date_words, format_date, place_date_line, time_words
from gocong_desktop.core.documents.pdf.decree30 import FRAME_WIDTH, Decree30Template, Signer, grid_table, heading, national_header, number_text, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.documents.pdf.fonts import SERIF_BOLD

RECORD_SYMBOL = "BB-ĐGMH"  # biên bản đánh giá mô hình
DOTS = "……"  # left to be filled by hand: evaluations recorded before hours and teams were


def _widths(*fractions: float) -> list[float]:
    return [FRAME_WIDTH * f for f in fractions]


def write_evaluation_record_pdf(record: EvaluationRecord, out: str | Path | BinaryIO) -> None:
    """The record as a PDF; a path is written atomically (temporary file, then replace).
    Never scaled: a record with many sites or notes flows onto a second page."""
    def build(stream: BinaryIO) -> None:
        Decree30Template(stream, title=f"Biên bản đánh giá mô hình {record.model_name}").build(record_story(record))
    write_to(out, build)


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",")


def record_story(r: EvaluationRecord) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        national_header(r.header.parent_body, r.header.issuing_body,
                        [Paragraph(text(number_text(None, RECORD_SYMBOL)), s.centre)],
                        place_date_line(r.header.place, r.evaluated_on)),
        *title_block("Biên bản", f"Đánh giá mô hình “{r.model_name}”, {r.period.label}"),
        Paragraph(text(f"Hôm nay, {date_words(r.evaluated_on)}, Công an {r.commune} tiến hành đánh giá "
                       f"mô hình “{r.model_name}” trong kỳ {r.period.label} ({r.period.dates_text})."),
                  s.body),
        Paragraph(text(time_line(r)), s.body), *_team(r)]
    story += _model_section(r) + _evidence_section(r) + _scores_section(r) + _conclusion_section(r)
    closing = Paragraph(text("Biên bản kết thúc cùng ngày, đã thông qua những người tham gia đánh giá./."),
                        s.body)
    signers = signature_blocks(Signer(f"Đại diện {r.lead_organisation}", None),
                               Signer("Người đánh giá", signature_name(r.evaluator)))
    return story + [KeepTogether([closing, signers])]


def time_line(r: EvaluationRecord) -> str:
    """"Thời gian: bắt đầu lúc 08 giờ 00 phút, ngày 15 tháng 7 năm 2026; kết thúc lúc 10 giờ 30
    phút cùng ngày." Hours an older evaluation lacks are left as dots to fill by hand."""
    def at(moment: datetime | None) -> str:
        return time_words(moment.time()) if moment else f"{DOTS} giờ {DOTS} phút"
    start_day = r.started_at.date() if r.started_at else r.evaluated_on
    if r.ended_at is None or r.ended_at.date() == start_day:
        end = f"{at(r.ended_at)} cùng ngày"
    else:
        end = f"{at(r.ended_at)}, {date_words(r.ended_at.date())}"
    return f"Thời gian: bắt đầu lúc {at(r.started_at)}, {date_words(start_day)}; kết thúc lúc {end}."


def team_lines(r: EvaluationRecord) -> list[str]:
    """The team, one member a line; an older evaluation names its evaluator, or leaves dots."""
    if r.team:
        return [f"{n}. {member.line}" for n, member in enumerate(r.team, 1)]
    return [r.evaluator or DOTS]


def _team(r: EvaluationRecord) -> list[Flowable]:
    s = styles()
    lines = [Paragraph(text(line), s.plain) for line in team_lines(r)]
    # The label never ends a page alone: it keeps its first member with it.
    return [KeepTogether([Paragraph(text("Thành phần đoàn đánh giá:"), s.body), lines[0]]), *lines[1:]]


def _model_section(r: EvaluationRecord) -> list[Flowable]:
    s = styles()
    start = f", bắt đầu từ ngày {format_date(r.model_start)}" if r.model_start else ""
    sites = "; ".join(f"({n}) {site}" for n, site in enumerate(r.sites, 1)) or "chưa có"
    lines = [f"Loại mô hình: {r.type_name}; đơn vị chủ trì: {r.lead_organisation}{start}; "
             f"trạng thái: {r.status_label.lower()}.", f"Điểm triển khai: {sites}."]
    return heading("I. THÔNG TIN MÔ HÌNH") + [Paragraph(text(t), s.plain) for t in lines]


def _evidence_section(r: EvaluationRecord) -> list[Flowable]:
    s = styles()
    # The sites are listed above; the rest is what the registers show for the period.
    rows = [[Paragraph(text(label), s.cell), Paragraph(text(value), s.cell)]
            for label, value in r.evidence if label != "Điểm triển khai"]
    table = grid_table(rows, _widths(0.3, 0.7), header_rows=0)
    out: list[Flowable] = [*heading("II. KẾT QUẢ HOẠT ĐỘNG TRONG KỲ (số liệu của phần mềm)"),
                           table]
    out += [Paragraph(f"<i>Lưu ý: {text(w)}</i>", s.plain) for w in r.warnings]
    return out


def _scores_section(r: EvaluationRecord) -> list[Flowable]:
    s = styles()
    head = ["TT", "Tiêu chí", "Trọng số", "Tối đa", "Điểm"]
    rows: list[list] = [[Paragraph(h, s.cell_head) for h in head]]
    for n, line in enumerate(r.scores, 1):
        rows.append([str(n), Paragraph(text(line.name), s.cell), _number(line.weight),
                     _number(line.max_score), _number(line.score)])
    rows.append(["", Paragraph("<b>Tổng điểm (quy về thang 100)</b>", s.cell), "", "",
                 _number(r.total_score)])

    table = grid_table(rows, _widths(0.07, 0.59, 0.12, 0.10, 0.12), centred=(0, 2, 3, 4))
    table.setStyle([("FONT", (4, -1), (4, -1), SERIF_BOLD, s.cell.fontSize, s.cell.leading)])
    return [*heading("III. CHẤM ĐIỂM THEO TIÊU CHÍ"),
            Paragraph(text(f"Bộ tiêu chí: {r.criteria_name} (phiên bản {r.criteria_version})."), s.plain),
            table]


def _conclusion_section(r: EvaluationRecord) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [
        *heading("IV. KẾT LUẬN VÀ KIẾN NGHỊ"),
        Paragraph(f"Xếp loại: <b>{text(r.rating)}</b> ({_number(r.total_score)} điểm). "
                  f"Kiến nghị: <b>{text(r.recommendation.lower())}</b> mô hình.", s.body)]
    if r.notes:
        out += [Paragraph(text(line), s.body) for line in r.notes.split("\n") if line.strip()]
    return out


def signature_name(evaluator: str | None) -> str | None:
    """"Đ/c Nguyễn Văn Tâm – Trưởng Công an xã" signs as "Nguyễn Văn Tâm"."""
    if not evaluator:
        return None
    name = evaluator.split(" – ")[0].split(" - ")[0].strip()
    return name[4:].strip() if name.lower().startswith("đ/c ") else name
