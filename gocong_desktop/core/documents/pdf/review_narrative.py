"""The written part of the review report: the officer's sections as headed
paragraphs in the body size (13 pt, never shrunk), each heading kept on the
page of the text that follows it."""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from gocong_desktop.core.documents.pdf.decree30 import heading, styles, text
from gocong_desktop.core.services.review_narrative import narrative_outline

FIGURES_TITLE = "SỐ LIỆU KÈM THEO"


@lru_cache(maxsize=2)
def _heading_style(level: int) -> ParagraphStyle:
    point = {"firstLineIndent": 10 * mm, "spaceBefore": 2} if level == 2 else {}
    return ParagraphStyle(f"narrative_{level}", parent=styles().section, keepWithNext=0, **point)


def narrative_part(sections: Mapping[str, str]) -> list[Flowable]:
    """The sections that hold text, numbered. Every heading is one the template guards
    (decree30.heading): never left at a page foot without the first lines of its text;
    a part's heading with no text of its own (ĐÁNH GIÁ CHUNG) stays with its first point's."""
    out: list[Flowable] = []
    for part in narrative_outline(sections):
        out += heading(text(part.heading), _heading_style(part.level))
        out += [Paragraph(text(line), styles().body) for line in part.paragraphs]
    return out


def figures_title() -> list[Flowable]:
    """Before the tables of figures, when written sections precede them: room for the
    title and the first table's heading and rows, else a new page."""
    return [CondPageBreak(60 * mm), Spacer(1, 4 * mm), Paragraph(FIGURES_TITLE, styles().centre_bold)]
