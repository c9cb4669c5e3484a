"""Review periods (kỳ sơ kết, tổng kết): what "2024-H1" or "cả năm 2024" means in dates.

Pure functions, shared by the CLI (``--period``), the GUI period picker and the reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from gocong_desktop.core.db.models import PeriodKind
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.text import format_date, parse_date

ROMAN_QUARTERS = ("I", "II", "III", "IV")
FORMS_HELP = "2024-H1, 2024-H2, 2024-9T, 2024-Q3, 2024 hoặc 2024-01-01..2024-06-30"

# The choices of the GUI's period picker: (key, label). "custom" takes two dates.
PERIOD_CHOICES = [("H1", "6 tháng đầu năm"), ("9T", "9 tháng đầu năm"), ("Y", "Năm"),
                  ("H2", "6 tháng cuối năm"), ("custom", "Tùy chọn (từ ngày… đến ngày…)")]


@dataclass(frozen=True)
class ReviewPeriod:
    start: date
    end: date
    kind: str  # a PeriodKind value, stored with evaluations
    label: str  # "6 tháng đầu năm 2024", used in titles

    @property
    def is_year(self) -> bool:
        return self.kind == PeriodKind.YEAR

    @property
    def review_word(self) -> str:
        """A yearly review is a tổng kết; anything shorter a sơ kết."""
        return "tổng kết" if self.is_year else "sơ kết"

    @property
    def dates_text(self) -> str:
        return f"từ ngày {format_date(self.start)} đến ngày {format_date(self.end)}"


def _year(value: int | str) -> int:
    year = int(value)
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Năm {year} nằm ngoài khoảng 2000–2100.", field="period")
    return year


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_for(choice: str, year: int, *, start: date | None = None,
               end: date | None = None) -> ReviewPeriod:
    """The period of a picker choice ("H1", "9T", "Y", "H2", "Q1".."Q4", "custom")."""
    year = _year(year)
    if choice == "H1":
        return ReviewPeriod(date(year, 1, 1), date(year, 6, 30), PeriodKind.SIX_MONTHS,
                            f"6 tháng đầu năm {year}")
    if choice == "H2":
        return ReviewPeriod(date(year, 7, 1), date(year, 12, 31), PeriodKind.SIX_MONTHS,
                            f"6 tháng cuối năm {year}")
    if choice == "9T":
        return ReviewPeriod(date(year, 1, 1), date(year, 9, 30), PeriodKind.NINE_MONTHS,
                            f"9 tháng đầu năm {year}")
    if choice == "Y":
        return ReviewPeriod(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR, f"năm {year}")
    if m := re.fullmatch(r"Q([1-4])", choice):
        q = int(m.group(1))
        return ReviewPeriod(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), PeriodKind.CUSTOM,
                            f"quý {ROMAN_QUARTERS[q - 1]} năm {year}")
    if choice == "custom":
        return custom_period(start, end)
    raise ValidationError(f"Kỳ «{choice}» không hợp lệ.", field="period")


def custom_period(start: date | None, end: date | None) -> ReviewPeriod:
    if start is None or end is None:
        raise ValidationError("Hãy nhập cả ngày bắt đầu và ngày kết thúc của kỳ.", field="period")
    if end < start:
        raise ValidationError("Ngày kết thúc kỳ trước ngày bắt đầu.", field="period")
    _year(start.year), _year(end.year)
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    if whole_year:
        return period_for("Y", start.year)
    return ReviewPeriod(start, end, PeriodKind.CUSTOM,
                        f"từ ngày {format_date(start)} đến ngày {format_date(end)}")


def _parse_day(text: str) -> date:
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="period") from None


def parse_period(text: str) -> ReviewPeriod:
    """"2024-H1", "2024-H2", "2024-9T", "2024-Q3", "2024" or "FROM..TO" (ISO or dd/mm/yyyy)."""
    raw = (text or "").strip()
    compact = raw.upper().replace(" ", "")
    if ".." in raw:
        first, _, second = raw.partition("..")
        return custom_period(_parse_day(first), _parse_day(second))
    if re.fullmatch(r"[0-9]{4}", compact):
        return period_for("Y", int(compact))
    if m := re.fullmatch(r"([0-9]{4})-(H1|H2|9T|Q[1-4])", compact):
        return period_for(m.group(2), int(m.group(1)))
    raise ValidationError(f"Kỳ báo cáo «{raw}» không hợp lệ. Hãy viết theo một trong các dạng: "
                          f"{FORMS_HELP}.", field="period")


def describe_period(start: date, end: date) -> ReviewPeriod:
    """The named period these dates make ("6 tháng đầu năm 2024"), else a custom one:
    stored evaluations keep dates only, and history and records show the name."""
    if start.year == end.year:
        for choice in ("H1", "H2", "9T", "Y", "Q1", "Q2", "Q3", "Q4"):
            period = period_for(choice, start.year)
            if (period.start, period.end) == (start, end):
                return period
    return custom_period(start, end)
