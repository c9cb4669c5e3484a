"""Flat records for ``gocong-desktop list KIND``: the main human fields of each
kind as JSON-able dicts, in the order a person would read them."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, Callable

from sqlmodel import Session

from gocong_desktop.core.text import format_date, format_decimal
from gocong_desktop.core.services.common import int_in_range
from gocong_desktop.core.services.list_kinds import KINDS  # noqa: F401  (listed here too, for callers)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _records(rows: list, drop: tuple[str, ...] = ()) -> list[dict]:
    return [{k: _plain(v) for k, v in dataclasses.asdict(r).items() if k not in drop} for r in rows]


def _labelled(records: list[dict], **labels: dict) -> list[dict]:
    """Add "<field>_label" beside coded fields (status, recommendation) for people."""
    for record in records:
        for field, names in labels.items():
            record[f"{field}_label"] = names.get(record[field], record[field])
    return records


def list_records(session: Session, kind: str, *, search: str | None = None,
                 year: int | None = None) -> list[dict]:
    """Records of one kind; ``year`` applies to pledges (default: this year)."""
    if year is not None:  # 0 is a typing slip, not "this year"
        int_in_range(year, field="year", label="năm", low=2000, high=2100)
    return _FETCH[kind](session, search, year)


# One function per kind, each importing its own service: ``list hamlets`` on the
# command line then builds the table classes of hamlets, not those of every kind.
def _hamlets(session: Session, search: str | None, _year: int | None) -> list[dict]:
    from gocong_desktop.core.services import hamlets

    return _records(hamlets.list_hamlets(session, search=search))


def _groups(session: Session, search: str | None, _year: int | None) -> list[dict]:
    from gocong_desktop.core.services import groups

    return _records(groups.list_groups(session, search=search))


def _households(session: Session, search: str | None, _year: int | None) -> list[dict]:
    from gocong_desktop.core.services import households

    return _records(households.list_households(session, search=search))


def _meetings(session: Session, search: str | None, _year: int | None) -> list[dict]:
    from gocong_desktop.core.services import meetings
    from gocong_desktop.core.services.meeting_words import STATUS_TEXT

    return _labelled(_records(meetings.list_meetings(session, search=search)), status=STATUS_TEXT)


def _pledges(session: Session, search: str | None, year: int | None) -> list[dict]:
    from gocong_desktop.core.services import pledges

    return _records(pledges.list_pledges(session, year or date.today().year, search=search))


def _models(session: Session, search: str | None, _year: int | None) -> list[dict]:
    from gocong_desktop.core.services import prevention

    return _labelled(_records(prevention.list_models(session, search=search)), status=prevention.STATUS_LABELS)


def _evaluations(session: Session, search: str | None, _year: int | None) -> list[dict]:
    from gocong_desktop.core.services import prevention

    return _labelled(_records(prevention.list_evaluations(session, search=search)),
                     recommendation=prevention.RECOMMENDATION_LABELS,
                     period_kind=prevention.PERIOD_KIND_LABELS)


_FETCH: dict[str, Callable[[Session, str | None, int | None], list[dict]]] = {
    "hamlets": _hamlets, "groups": _groups, "households": _households, "meetings": _meetings,
    "pledges": _pledges, "models": _models, "evaluations": _evaluations,
}


# Columns of the readable table: (field, header).
TABLE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "hamlets": [("name", "Tên"), ("unit_type", "Loại"), ("groups", "Số tổ")],
    "groups": [("name", "Tổ"), ("hamlet_name", "Ấp"), ("households", "Số hộ"),
               ("leader_name", "Tổ trưởng"), ("last_meeting", "Họp gần nhất")],
    "households": [("head_name", "Chủ hộ"), ("birth_year", "Năm sinh"), ("address", "Địa chỉ"),
                   ("hamlet_name", "Ấp"), ("group_name", "Tổ"), ("members", "Nhân khẩu")],
    "meetings": [("starts_at", "Thời gian"), ("group_name", "Tổ"), ("hamlet_name", "Ấp"),
                 ("status_label", "Trạng thái"), ("minutes_number", "Số BB"), ("present", "Có mặt"),
                 ("total", "Tổng hộ")],
    "pledges": [("household_name", "Chủ hộ"), ("group_name", "Tổ"), ("status_label", "Trạng thái"),
                ("signed_date", "Ngày ký")],
    "models": [("name", "Mô hình"), ("type_name", "Loại"), ("lead_organisation", "Chủ trì"),
               ("status_label", "Trạng thái"), ("sites", "Số điểm"), ("last_rating", "Xếp loại gần nhất")],
    "evaluations": [("model_name", "Mô hình"), ("period_kind_label", "Kỳ"), ("period_end", "Cuối kỳ"),
                    ("total_score", "Điểm"), ("rating", "Xếp loại"), ("recommendation_label", "Kiến nghị")],
}


def display_value(value: Any) -> str:
    """Dates as dd/mm/yyyy and numbers with a decimal comma, as everywhere on screen."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_decimal(value)
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        text = format_date(parsed.date())
        return text + (parsed.strftime(" %H:%M") if "T" in value else "")
    return str(value)
