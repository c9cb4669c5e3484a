"""The period reports and the evaluation record: one entry per document, for the
GUI and the CLI alike. The file's suffix chooses the writer (.pdf, .xlsx, and
.docx for the review report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from sqlmodel import Session

from gocong_desktop.core.documents.output import refuse_database
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.evaluation_record import EvaluationRecord, evaluation_record
from gocong_desktop.core.services.review import ReviewFigures, review_figures
from gocong_desktop.core.services.review_narrative import saved_narrative
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.core.services.document_header import police_head_title
from gocong_desktop.core.services.signers import SignerChoice, signature_block
from gocong_desktop.core.upper.aggregate import AggregateFigures, aggregate_figures

FORMATS = (".pdf", ".xlsx")
REVIEW_FORMATS = (".pdf", ".xlsx", ".docx")


def check_suffix(path: Path, formats: tuple[str, ...]) -> str:
    """The file's suffix, lower case, when it is one of ``formats``; refused before anything is read."""
    refuse_database(path.expanduser())
    suffix = path.suffix.lower()
    if suffix not in formats:
        allowed = ", ".join(formats[:-1]) + f" hoặc {formats[-1]}" if len(formats) > 1 else formats[0]
        raise ValidationError(f"Tệp «{path.name}» phải có đuôi {allowed}.")
    return suffix


def _write(figures: Any, path: Path, *, pdf: Callable[[Any, Path], Any], xlsx: Callable[[Any, Path], Any]) -> None:
    suffix = check_suffix(path, FORMATS)
    (xlsx if suffix == ".xlsx" else pdf)(figures, path)


def write_review_report(session: Session, period: ReviewPeriod, path: Path, *,
                        signer: SignerChoice | None = None) -> ReviewFigures:
    """The commune's review (sơ kết, tổng kết) of ``period``, with the sections written
    for it (PDF and Word; the workbook holds the figures). ``signer``: this print's
    form and name instead of the settings' (services/signers.py)."""
    from gocong_desktop.core.documents.docx.review_report import write_review_docx
    from gocong_desktop.core.documents.excel.review_workbook import write_review_workbook
    from gocong_desktop.core.documents.pdf.review_report import write_review_pdf

    suffix = check_suffix(path, REVIEW_FORMATS)
    figures = review_figures(session, period)
    if suffix == ".xlsx":
        write_review_workbook(figures, path)
        return figures
    saved = saved_narrative(session, period)
    block = signature_block(session, police_head_title(figures.office), signer)
    writer = write_review_docx if suffix == ".docx" else write_review_pdf
    writer(figures, path, narrative=saved.sections if saved else None, signer=block)
    return figures


def write_aggregate_report(session: Session, period: ReviewPeriod, path: Path, *,
                           signer: SignerChoice | None = None) -> AggregateFigures:
    """The upper office's report of its communes in ``period`` (refused at a commune);
    ``signer`` as for the review report."""
    from gocong_desktop.core.documents.excel.aggregate_workbook import write_aggregate_workbook
    from gocong_desktop.core.documents.pdf.aggregate_report import head_title, write_aggregate_pdf

    check_suffix(path, FORMATS)
    figures = aggregate_figures(session, period)
    block = signature_block(session, head_title(figures), signer)
    _write(figures, path, pdf=lambda f, p: write_aggregate_pdf(f, p, signer=block), xlsx=write_aggregate_workbook)
    return figures


def write_evaluation_record(session: Session, evaluation_id: str, path: Path) -> EvaluationRecord:
    """The record of one model evaluation (PDF only)."""
    from gocong_desktop.core.documents.pdf.evaluation_record import write_evaluation_record_pdf

    if path.suffix.lower() != ".pdf":
        raise ValidationError("Biên bản đánh giá chỉ xuất ra tệp PDF (.pdf).")
    record = evaluation_record(session, evaluation_id)
    write_evaluation_record_pdf(record, path)
    return record
