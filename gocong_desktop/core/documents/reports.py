"""The period reports and the evaluation record: one entry per document, for the
GUI and the CLI alike. The file's suffix chooses the writer (.pdf or .xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from sqlmodel import Session

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.evaluation_record import EvaluationRecord, evaluation_record
from gocong_desktop.core.services.review import ReviewFigures, review_figures
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.core.upper.aggregate import AggregateFigures, aggregate_figures

FORMATS = (".pdf", ".xlsx")


def _write(figures: Any, path: Path, *, pdf: Callable[[Any, Path], Any], xlsx: Callable[[Any, Path], Any]) -> None:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(f"Tệp «{path.name}» phải có đuôi .pdf hoặc .xlsx.")
    (xlsx if suffix == ".xlsx" else pdf)(figures, path)


def write_review_report(session: Session, period: ReviewPeriod, path: Path) -> ReviewFigures:
    """The commune's review (sơ kết, tổng kết) of ``period``."""
    from gocong_desktop.core.documents.excel.review_workbook import write_review_workbook
    from gocong_desktop.core.documents.pdf.review_report import write_review_pdf

    figures = review_figures(session, period)
    _write(figures, path, pdf=write_review_pdf, xlsx=write_review_workbook)
    return figures


def write_aggregate_report(session: Session, period: ReviewPeriod, path: Path) -> AggregateFigures:
    """The upper office's report of its communes in ``period`` (refused at a commune)."""
    from gocong_desktop.core.documents.excel.aggregate_workbook import write_aggregate_workbook
    from gocong_desktop.core.documents.pdf.aggregate_report import write_aggregate_pdf

    figures = aggregate_figures(session, period)
    _write(figures, path, pdf=write_aggregate_pdf, xlsx=write_aggregate_workbook)
    return figures


def write_evaluation_record(session: Session, evaluation_id: str, path: Path) -> EvaluationRecord:
    """The record of one model evaluation (PDF only)."""
    from gocong_desktop.core.documents.pdf.evaluation_record import write_evaluation_record_pdf

    if path.suffix.lower() != ".pdf":
        raise ValidationError("Biên bản đánh giá chỉ xuất ra tệp PDF (.pdf).")
    record = evaluation_record(session, evaluation_id)
    write_evaluation_record_pdf(record, path)
    return record
