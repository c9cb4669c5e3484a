"""The written part of the review report: the officer's sections as headed
paragraphs in the body size (13 pt, never shrunk), each heading kept on the
page of the text that follows it."""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from gocong_desktop.core.documents.pdf.decree30 import styles, text
from gocong_desktop.core.services.review_narrative import narrative_outline

FIGURES_TITLE = "SỐ LIỆU KÈM THEO"
ROOM = {1: 40 * mm, 2: 30 * mm}  # a heading, a few lines of its text (and a point's heading)


@lru_cache(maxsize=4)
def _heading_style(level: int, keep: bool) -> ParagraphStyle:
    point = {"firstLineIndent": 10 * mm, "spaceBefore": 2} if level == 2 else {}
    return ParagraphStyle(f"narrative_{level}_{keep}", parent=styles().section, keepWithNext=int(keep), **point)


def narrative_part(sections: Mapping[str, str]) -> list[Flowable]:
    """The sections that hold text, numbered. A heading starts a new page unless
    it and a few lines fit (not keepWithNext: that would carry a page-long paragraph
    whole to the next page); a part's heading with no text of its own (ĐÁNH GIÁ
    CHUNG) is kept with its first point's heading."""
    out: list[Flowable] = []
    follows_heading = False
    for part in narrative_outline(sections):
        if not follows_heading:
            out.append(CondPageBreak(ROOM[part.level]))
        follows_heading = not part.paragraphs
        out.append(Paragraph(text(part.heading), _heading_style(part.level, follows_heading)))
        out += [Paragraph(text(line), styles().body) for line in part.paragraphs]
    return out


def figures_title() -> list[Flowable]:
    """Before the tables of figures, when written sections precede them: room for the
    title and the first table's heading and rows, else a new page."""
    return [CondPageBreak(60 * mm), Spacer(1, 4 * mm), Paragraph(FIGURES_TITLE, styles().centre_bold)]
