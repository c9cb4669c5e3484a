"""Times typed in a box ("19:30", "19h30", "19 giờ 30") and a date with a time
typed in two boxes: the meeting editor and the evaluation form read them alike."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.gui.widgets.form_parts import date_from_text

TIME_PLACEHOLDER = "giờ:phút, ví dụ 19:30"
_TIME = re.compile(r"([0-9]{1,2})\s*(?:[:hHgG.]|giờ)?\s*([0-9]{1,2})?\s*(?:phút|p)?")


def time_from_text(text: str, *, field: str) -> time | None:
    """"19:30", "19h30", "19 giờ 30", "7.05" or "19"; None when empty."""
    typed = (text or "").strip()
    if not typed:
        return None
    match = _TIME.fullmatch(typed)
    hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
    if hour > 23 or minute > 59:
        raise ValidationError(f"Giờ «{typed}» không hợp lệ. Hãy nhập giờ:phút, ví dụ 19:30.", field=field)
    return time(hour, minute)


def datetime_from_text(day_text: str, time_text: str, *, field: str, default_day: date | None = None,
                       required: bool = False, time_field: str | None = None) -> datetime | None:
    """A date and a time typed in two boxes; the date may default (e.g. "cùng ngày")."""
    day = date_from_text(day_text, field=field) or default_day
    hour = time_from_text(time_text, field=time_field or field)
    if day is None and hour is None and not required:
        return None
    if day is None:
        raise ValidationError("Chưa nhập ngày.", field=field)
    if hour is None:
        raise ValidationError("Chưa nhập giờ.", field=time_field or field)
    return datetime.combine(day, hour)
