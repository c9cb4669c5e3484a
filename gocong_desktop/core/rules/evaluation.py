"""The rules that tie an evaluation's dates and times together: the period ends
before it is evaluated (an evaluation of a period still running is refused,
issue 18), and the team sits on the day of the evaluation, finishing after it
starts.

The one statement of these rules: the evaluation form, the service, ``check``
and sync imports all use it. Values are Python dates and date-times (a form)
or their stored text (an import, already checked one by one).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from gocong_desktop.core.text import format_date


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def period_problem(period_start: Any, period_end: Any, evaluated_on: Any) -> tuple[str, str] | None:
    """(field, what is wrong) when the period is reversed or had not ended on the day evaluated."""
    start, end, on = _day(period_start), _day(period_end), _day(evaluated_on)
    if end < start:
        return "period_end", "ngày cuối kỳ đánh giá trước ngày đầu kỳ"
    if on < end:
        return "period", (f"kỳ đánh giá chưa kết thúc vào ngày đánh giá (kỳ đến hết ngày {format_date(end)}, "
                          f"ngày đánh giá {format_date(on)})")
    return None


def times_problem(evaluated_on: Any, started_at: Any, ended_at: Any) -> tuple[str, str] | None:
    """(field, what is wrong) with the hours the team sat; both may be absent (older records)."""
    if started_at is None:
        return ("started_at", "có giờ kết thúc mà không có giờ bắt đầu") if ended_at is not None else None
    start = _moment(started_at)
    if start.date() != _day(evaluated_on):
        return "started_at", f"giờ bắt đầu không thuộc ngày đánh giá ({format_date(_day(evaluated_on))})"
    if ended_at is not None and _moment(ended_at) <= start:
        return "ended_at", "giờ kết thúc phải sau giờ bắt đầu"
    return None


def evaluation_problem(e: Mapping[str, Any], *, lenient_old: bool = False) -> tuple[str, str] | None:
    """The first of ``period_problem`` and ``times_problem`` for a record's columns.
    ``lenient_old`` (imports): a record without hours was saved by a version that
    did not refuse a running period yet; refusing it would block every later package
    of its commune, with no way there to change it. Only a reversed period is refused
    then (``check`` still lists it)."""
    found = period_problem(e["period_start"], e["period_end"], e["evaluated_on"])
    if found is not None and found[0] == "period" and lenient_old and e.get("started_at") is None:
        found = None
    return found or times_problem(e["evaluated_on"], e.get("started_at"), e.get("ended_at"))
