"""Every field of every record of a package against the app's own rules
(``core/rules``: lengths, characters, NFC, ranges, choices, dates), and the few
rules that tie two fields of a record together, as the forms apply them.

Column by column, at C speed where possible; the first bad value is named with
its record's kind, id, line and the rule it breaks.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Any, Callable

from gocong_desktop.core.rules import evaluation_problem, first_bad_field, table_rules
from gocong_desktop.core.services.privacy import PERSONAL_FIELDS
from gocong_desktop.core.sync.kinds import Kind
from gocong_desktop.core.sync.records import invalid_record


def withholdable_columns() -> dict[str, set[str]]:
    """Columns an office may blank in its packages (privacy setting): there an
    empty text is allowed even where a form requires one."""
    out: dict[str, set[str]] = {}
    for _label, _default, columns in PERSONAL_FIELDS.values():
        for table, column in columns:
            out.setdefault(table, set()).add(column)
    return out


def check_values(kind: Kind, rows: list[tuple], member: str, today: date,
                 withheld: Iterable[str] = ()) -> None:
    """``InvalidRecord`` for the first field breaking its rule. ``today``: the
    latest day a "not in the future" date may be; ``withheld``: the columns the
    sender blanked (its manifest says so), where a blank is not missing."""
    ids = _ids(kind, rows)
    columns = {c: [row[i] for row in rows] for i, c in enumerate(kind.columns) if c in table_rules(kind.name)}
    blank_ok = frozenset(withheld) & frozenset(withholdable_columns().get(kind.name, ()))
    if (found := first_bad_field(kind.name, columns, today=today, blank_ok=blank_ok)) is not None:
        _column, n, why = found
        raise invalid_record(kind, member, n + 1, ids[n], why)
    checks = _RECORD_RULES.get(kind.name, ())
    for n, row in enumerate(rows if checks else ()):
        record = dict(zip(kind.columns, row))
        for check in checks:
            if (why := check(record, blank_ok)) is not None:
                raise invalid_record(kind, member, n + 1, ids[n], why)


def _ids(kind: Kind, rows: list[tuple]) -> list[Any]:
    if "id" not in kind.columns:
        return [None] * len(rows)
    i = kind.index("id")
    return [row[i] for row in rows]


def _meeting_times(m: dict, _withheld: frozenset) -> str | None:
    if m["ends_at"] is not None and m["ends_at"] <= m["starts_at"]:  # stored text compares as time does
        return "giờ kết thúc phải sau giờ bắt đầu"
    return None


def _final_minutes(m: dict, _withheld: frozenset) -> str | None:
    if m["status"] == "final" and not m["deleted"] and (
            m["minutes_number"] is None or m["minutes_year"] is None or m["content_hash"] is None):
        return "biên bản đã hoàn tất phải có số, năm và mã băm nội dung"
    return None


def _evaluation_dates(e: dict, _withheld: frozenset) -> str | None:
    """The form's rules: a period that had ended, the team's hours on the day evaluated
    (an evaluation saved before hours were recorded may predate the first rule)."""
    found = evaluation_problem(e, lenient_old=True)
    return None if found is None else found[1]


def _pledge_outcome(p: dict, withheld: frozenset) -> str | None:
    if p["status"] == "signed" and p["signed_date"] is None:
        return "cam kết đã ký phải có ngày ký"
    if p["status"] in ("refused", "moved") and not (p["reason"] or "").strip() and "reason" not in withheld:
        return "cam kết từ chối hoặc chuyển đi phải có lý do"
    return None


_RECORD_RULES: dict[str, tuple[Callable[[dict, frozenset], str | None], ...]] = {
    "meeting": (_meeting_times, _final_minutes), "evaluation": (_evaluation_dates,),
    "pledge": (_pledge_outcome,),
}
