"""The record kinds a package carries, and how each column is checked on import.

Every table of a ``SyncedRecord`` is a kind ("versioned": the higher version
wins). Besides them: ``unit_succession`` and ``audit_log`` are append-only
("immutable": inserted once, never changed) and ``model_site_household`` is a
link table without versions, sent whole in every package ("snapshot").

Values travel in their SQLite storage form, so what the upper office stores is
byte-for-byte what the commune stored: dates "2024-03-15", date-times
"2024-03-15 19:30:00.000000" (UTC for bookkeeping stamps), booleans as JSON
true/false.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable

import sqlalchemy as sa
from sqlmodel import SQLModel

from gocong_desktop.core.db import models
from gocong_desktop.core.db.models import SyncedRecord

models.load_all()  # every table is a kind (and its subclass of SyncedRecord)

VERSIONED, IMMUTABLE, SNAPSHOT = "versioned", "immutable", "snapshot"
IMMUTABLE_TABLES = ("unit_succession", "audit_log")
SNAPSHOT_TABLES = ("model_site_household",)
VIOLATIONS = "pledge_violation"  # sensitive: only when the office chose to send them
ENVELOPE = ("id", "version", "updated_at", "deleted")

LABELS = {
    "admin_unit": "đơn vị hành chính", "self_managed_group": "tổ NDTQ", "household": "hộ gia đình",
    "meeting": "cuộc họp", "meeting_guest": "khách mời", "agenda_item": "nội dung họp",
    "agenda_opinion": "ý kiến tại cuộc họp", "attendance": "điểm danh",
    "meeting_amendment": "đính chính biên bản", "pledge_template": "mẫu cam kết",
    "pledge_campaign": "đợt cam kết", "pledge": "bản cam kết", "pledge_violation": "vi phạm cam kết",
    "model_type": "loại mô hình", "prevention_model": "mô hình", "model_site": "điểm mô hình",
    "model_site_household": "hộ tham gia điểm mô hình", "criteria_set": "bộ tiêu chí",
    "evaluation": "đánh giá mô hình", "propaganda_activity": "hoạt động tuyên truyền",
    "review_narrative": "nội dung báo cáo sơ kết, tổng kết", "unit_succession": "sáp nhập đơn vị", "audit_log": "nhật ký thay đổi",
}

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?\Z")

Check = Callable[[Any], bool]


def _is_str(v: Any) -> bool:
    return type(v) is str


def _is_int(v: Any) -> bool:
    return type(v) is int and -(2 ** 63) <= v < 2 ** 63


def _is_float(v: Any) -> bool:
    return (type(v) is float and math.isfinite(v)) or _is_int(v)


def _is_bool(v: Any) -> bool:
    return type(v) is bool


def is_date(v: Any) -> bool:
    if type(v) is not str or not _DATE_RE.match(v):
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def is_datetime(v: Any) -> bool:
    if type(v) is not str or not _DATETIME_RE.match(v):
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def _is_any(v: Any) -> bool:
    return type(v) in (str, int, float)


def _check_for(column: sa.Column) -> tuple[Check, frozenset, int | None]:
    """(check of one value, the Python types allowed, the longest text allowed)."""
    sql_type = column.type
    impl = getattr(sql_type, "impl", sql_type)
    if isinstance(impl, sa.Boolean):
        return _is_bool, frozenset({bool}), None
    if isinstance(impl, sa.DateTime):
        return is_datetime, frozenset({str}), None
    if isinstance(impl, sa.Date):
        return is_date, frozenset({str}), None
    if isinstance(impl, sa.Integer):
        return _is_int, frozenset({int}), None
    if isinstance(impl, (sa.Float, sa.Numeric)):
        return _is_float, frozenset({int, float}), None
    if isinstance(impl, sa.String):
        length = impl.length
        check = _is_str if not length else (lambda v: type(v) is str and len(v) <= length)
        return check, frozenset({str}), length
    return _is_any, frozenset({str, int, float}), None


def _default_of(column: sa.Column) -> tuple[bool, Any]:
    """(has a usable default, its storage value) for a column a sender left out."""
    if column.nullable:
        return True, None
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        value = default.arg
        return True, (int(value) if isinstance(value, bool) else value)
    return False, None


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    check: Check
    types: frozenset  # Python types a value may have (besides None when nullable)
    max_len: int | None
    nullable: bool
    has_default: bool
    default: Any
    is_bool: bool


@dataclass(frozen=True)
class Kind:
    name: str  # the table name
    table: sa.Table
    mode: str  # VERSIONED, IMMUTABLE or SNAPSHOT
    columns: tuple[str, ...]  # in table order; rows travel as tuples in this order
    specs: tuple[ColumnSpec, ...]

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)

    @property
    def content_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in ENVELOPE)

    @property
    def bool_positions(self) -> tuple[int, ...]:
        return tuple(i for i, s in enumerate(self.specs) if s.is_bool)

    def index(self, column: str) -> int:
        return self.columns.index(column)


def _make_kind(table: sa.Table, mode: str) -> Kind:
    specs = []
    for column in table.columns:
        has_default, default = _default_of(column)
        impl = getattr(column.type, "impl", column.type)
        specs.append(ColumnSpec(column.name, *_check_for(column), bool(column.nullable), has_default,
                                default, isinstance(impl, sa.Boolean)))
    return Kind(name=table.name, table=table, mode=mode, columns=tuple(c.name for c in table.columns),
                specs=tuple(specs))


def _synced_tables() -> set[str]:
    found, todo = set(), [SyncedRecord]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if getattr(sub, "__table__", None) is not None:
                found.add(sub.__tablename__)
    return found


@lru_cache(maxsize=1)
def all_kinds() -> tuple[Kind, ...]:
    """Every kind, parents before children (the order records are applied in)."""
    synced = _synced_tables()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        ordered = list(SQLModel.metadata.sorted_tables)
    kinds = []
    for table in ordered:
        if table.name in synced:
            kinds.append(_make_kind(table, VERSIONED))
        elif table.name in IMMUTABLE_TABLES:
            kinds.append(_make_kind(table, IMMUTABLE))
        elif table.name in SNAPSHOT_TABLES:
            kinds.append(_make_kind(table, SNAPSHOT))
    # Audit entries last: they describe the records, not the other way round.
    kinds.sort(key=lambda k: k.name == "audit_log")
    return tuple(kinds)


def kind_names() -> tuple[str, ...]:
    return tuple(k.name for k in all_kinds())


def get_kind(name: str) -> Kind | None:
    for kind in all_kinds():
        if kind.name == name:
            return kind
    return None
