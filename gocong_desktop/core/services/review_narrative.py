"""The written sections of a review report (báo cáo sơ kết / tổng kết), per period.

The officer writes them in the app and they are kept with the period, one record
per office and period. An unsaved period starts from the figures told as
sentences (kết quả) and, for the other sections, the text of the latest
earlier period saved, since most of it carries over from one review to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlmodel import Session, select

from gocong_desktop.core.db.models import NARRATIVE_SECTIONS, ReviewNarrative, live
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.common import field_text
from gocong_desktop.core.services.review import ReviewFigures, review_figures
from gocong_desktop.core.services.review_period import ReviewPeriod, describe_period
from gocong_desktop.core.text import format_int, format_percent

SECTION_KEYS = tuple(key for key, _heading in NARRATIVE_SECTIONS)
HEADINGS = dict(NARRATIVE_SECTIONS)
PREFILLED = "results"  # told from the figures; every other section from the last period


@dataclass(frozen=True)
class Narrative:
    period: ReviewPeriod
    sections: dict[str, str]  # every key of SECTION_KEYS; "" when blank
    saved: bool  # False: a pre-filled proposal, not stored yet
    previous_label: str | None = None  # the earlier period whose text was carried over


def _owned(session: Session):
    return select(ReviewNarrative).where(live(ReviewNarrative),
                                         ReviewNarrative.owner_unit_id == session.info.get("owner_unit_id"))


def _stored(session: Session, period: ReviewPeriod) -> ReviewNarrative | None:
    return session.exec(_owned(session).where(ReviewNarrative.period_start == period.start,
                                              ReviewNarrative.period_end == period.end)).first()


def _previous(session: Session, period: ReviewPeriod) -> ReviewNarrative | None:
    """The latest period saved that ended before this one ends (a 9-month review
    follows the first half-year's)."""
    return session.exec(_owned(session).where(ReviewNarrative.period_end < period.end)
                        .order_by(ReviewNarrative.period_end.desc(), ReviewNarrative.updated_at.desc())).first()


def _texts(record: ReviewNarrative) -> dict[str, str]:
    return {key: getattr(record, key) or "" for key in SECTION_KEYS}


def saved_narrative(session: Session, period: ReviewPeriod) -> Narrative | None:
    """What was saved for ``period`` (what the printed report carries), else None."""
    record = _stored(session, period)
    return Narrative(period, _texts(record), saved=True) if record is not None else None


def narrative_for(session: Session, period: ReviewPeriod) -> Narrative:
    """The saved sections of ``period``, or a proposal to start from."""
    if (saved := saved_narrative(session, period)) is not None:
        return saved
    sections = dict.fromkeys(SECTION_KEYS, "")
    previous = _previous(session, period)
    if previous is not None:
        sections.update({k: v for k, v in _texts(previous).items() if k != PREFILLED})
    sections[PREFILLED] = results_text(review_figures(session, period))
    label = describe_period(previous.period_start, previous.period_end).label if previous else None
    return Narrative(period, sections, saved=False, previous_label=label)


def save_narrative(session: Session, period: ReviewPeriod, sections: Mapping[str, str | None]) -> str:
    """Store the sections of ``period`` (NFC, each within its length); returns the record's id."""
    unknown = set(sections) - set(SECTION_KEYS)
    if unknown:
        raise ValidationError(f"Không có mục «{sorted(unknown)[0]}» trong báo cáo.", field="sections")
    cleaned = {key: field_text("review_narrative", key, sections.get(key), field=key) for key in SECTION_KEYS}
    record = _stored(session, period)
    if record is None:
        record = ReviewNarrative(period_kind=period.kind, period_start=period.start, period_end=period.end)
    elif all(getattr(record, key) == value for key, value in cleaned.items()):
        return record.id  # unchanged: no new version, no audit entry
    for key, value in cleaned.items():
        setattr(record, key, value)
    session.add(record)
    session.flush()
    return record.id


def _rate(value: float | None) -> str:
    return format_percent(value) if value is not None else "chưa có số liệu"


def _meetings_sentence(f: ReviewFigures) -> str:
    t = f.total
    return (f"Toàn {f.office.display_name} có {format_int(t.groups)} Tổ nhân dân tự quản với "
            f"{format_int(t.households)} hộ gia đình. Trong kỳ, các tổ đã tổ chức {format_int(t.meetings)} "
            f"buổi sinh hoạt ({format_int(t.groups_met)}/{format_int(t.groups)} tổ có sinh hoạt), "
            f"tỷ lệ hộ dự họp {_rate(t.attendance_rate)}.")


def _pledges_sentence(f: ReviewFigures) -> str:
    t = f.total
    return (f"Năm {f.pledge_year} có {format_int(t.pledges_signed)}/{format_int(t.pledges_total)} hộ "
            f"ký cam kết giữ gìn an ninh, trật tự (tỷ lệ {_rate(t.pledge_coverage)}).")


def _propaganda_sentence(f: ReviewFigures) -> str:
    done = [f"{label.lower()} {format_int(n)} {unit}" for label, unit, n in f.propaganda if n]
    return f"Công tác tuyên truyền: {'; '.join(done)}." if done else "Trong kỳ chưa ghi nhận hoạt động tuyên truyền."


def _models_sentence(f: ReviewFigures) -> str:
    ratings = "; ".join(f"{label}: {n}" for label, n in f.rating_counts())
    rated = f" (xếp loại – {ratings})" if ratings else ""
    return (f"Có {format_int(len(f.models))} mô hình phòng, chống tội phạm, trong đó "
            f"{format_int(f.models_evaluated)} mô hình được đánh giá trong kỳ{rated}.")


def results_text(f: ReviewFigures) -> str:
    """The figures of the period told as sentences, one paragraph each."""
    return "\n".join((_meetings_sentence(f), _pledges_sentence(f), _propaganda_sentence(f), _models_sentence(f)))


@dataclass(frozen=True)
class OutlinePart:
    heading: str  # "I. ĐẶC ĐIỂM TÌNH HÌNH" or "1. Ưu điểm"
    level: int  # 1: a part of the report; 2: a point under "Đánh giá chung"
    paragraphs: tuple[str, ...]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
ASSESSMENT = ("strengths", "shortcomings", "causes")  # under one part, as offices write it


def _lines(value: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (value or "").split("\n") if line.strip())


def _assessment_points(sections: Mapping[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    points = ((HEADINGS[key], _lines(sections.get(key))) for key in ASSESSMENT)
    return [(title, lines) for title, lines in points if lines]


def narrative_outline(sections: Mapping[str, str]) -> list[OutlinePart]:
    """The printed parts, numbered over the sections that hold text (blank ones left out):
    I. Đặc điểm tình hình, II. Kết quả, III. Đánh giá chung (1. Ưu điểm, 2. Tồn tại,
    hạn chế, 3. Nguyên nhân), IV. Phương hướng, V. Kiến nghị."""
    parts: list[OutlinePart] = []
    roman = iter(ROMAN)
    for key in ("situation", "results", ASSESSMENT, "directions", "proposals"):
        if key == ASSESSMENT:
            if points := _assessment_points(sections):
                parts.append(OutlinePart(f"{next(roman)}. ĐÁNH GIÁ CHUNG", 1, ()))
                parts += [OutlinePart(f"{n}. {title}", 2, lines) for n, (title, lines) in enumerate(points, 1)]
        elif lines := _lines(sections.get(key)):
            parts.append(OutlinePart(f"{next(roman)}. {HEADINGS[key].upper()}", 1, lines))
    return parts
