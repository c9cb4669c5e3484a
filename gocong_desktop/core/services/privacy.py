"""Which personal fields may leave this office in sync packages.

The fields and the columns they cover are declared once, on the model columns
(``db/models/personal.py``); everything here derives from those declarations:
the export blanks the columns withheld (``withheld_columns``), the audit log's
copies of their values travel as digests only, and the settings page and the
``settings`` CLI list exactly which columns travel and which stay home.

The choice is stored in ``app_setting`` so it travels with the database and
backups. Records themselves always travel, so links such as a household's
hamlet stay whole.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy.exc import SAWarning
from sqlmodel import Session, SQLModel

from gocong_desktop.core.db import models
from gocong_desktop.core.db.models.personal import FIELDS
from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.audit_log import table_label
from gocong_desktop.core.settings.keys import SYNC_PERSONAL_FIELDS

SETTING_KEY = SYNC_PERSONAL_FIELDS.key
# The fields known when the setting was a bare list of the fields sent: a field
# added since takes its default, not "withheld because it was not ticked".
_FIRST_FIELDS = ("names", "hamlets", "citizen_id", "violation_notes")


@dataclass(frozen=True)
class PersonalColumn:
    table: str
    column: str
    label: str  # the column in words ("họ tên chủ hộ")
    fields: tuple[str, ...]  # it travels only when every one of them is sent

    @property
    def table_label(self) -> str:
        return table_label(self.table)


def _declared() -> tuple[PersonalColumn, ...]:
    """Every declared column, parents' tables first (households before meetings)."""
    models.load_all()
    with warnings.catch_warnings():  # the household <-> group cycle
        warnings.simplefilter("ignore", SAWarning)
        ordered = SQLModel.metadata.sorted_tables
    out = []
    for table in ordered:
        for column in table.columns:
            if fields := column.info.get("personal"):
                out.append(PersonalColumn(table.name, column.name, column.info["label"], tuple(fields)))
    return tuple(out)


PERSONAL_COLUMNS = _declared()
# field -> (label, sent by default, the (table, column) pairs it covers)
PERSONAL_FIELDS: dict[str, tuple[str, bool, tuple[tuple[str, str], ...]]] = {
    key: (field.label, field.sent_by_default,
          tuple((c.table, c.column) for c in PERSONAL_COLUMNS if key in c.fields))
    for key, field in FIELDS.items()}
DEFAULT_FIELDS = frozenset(k for k, (_, default, _) in PERSONAL_FIELDS.items() if default)


def sync_personal_fields(session: Session) -> set[str]:
    """The personal fields this office sends in sync packages (keys of ``PERSONAL_FIELDS``)."""
    stored = read_setting(session, SYNC_PERSONAL_FIELDS)
    return _sent(stored) if stored is not None else set(DEFAULT_FIELDS)


def _sent(stored: object) -> set[str]:
    if isinstance(stored, list):  # the first form: the fields ticked then
        stored = {"sent": stored, "known": list(_FIRST_FIELDS)}
    if not isinstance(stored, dict):
        return set(DEFAULT_FIELDS)
    sent, known = set(stored.get("sent") or ()), set(stored.get("known") or ())
    return {f for f in PERSONAL_FIELDS if f in sent or (f not in known and f in DEFAULT_FIELDS)}


def set_sync_personal_fields(session: Session, fields: Iterable[str]) -> None:
    """Administrators only (the role guard refuses others' setting changes)."""
    chosen = sorted(set(fields))
    if unknown := [f for f in chosen if f not in PERSONAL_FIELDS]:
        raise ValidationError(f"Không có trường dữ liệu cá nhân «{', '.join(unknown)}».")
    value = {"sent": chosen, "known": list(PERSONAL_FIELDS)}
    write_setting(session, SYNC_PERSONAL_FIELDS, value)


def withheld_for(sent: Iterable[str]) -> dict[str, set[str]]:
    """table -> columns that stay home when the fields ``sent`` are sent."""
    sent = set(sent)
    withheld: dict[str, set[str]] = {}
    for column in PERSONAL_COLUMNS:
        if not set(column.fields) <= sent:
            withheld.setdefault(column.table, set()).add(column.column)
    return withheld


def withheld_columns(session: Session) -> dict[str, set[str]]:
    """table -> columns to blank in an outgoing package, from the current choice."""
    return withheld_for(sync_personal_fields(session))


def travel_lines(sent: Iterable[str]) -> tuple[list[str], list[str]]:
    """(what travels, what stays home): one line per table, "Hộ gia đình: họ tên
    chủ hộ, số điện thoại", for the settings page and the CLI."""
    withheld = withheld_for(sent)
    travels: dict[str, list[str]] = {}
    home: dict[str, list[str]] = {}
    for column in PERSONAL_COLUMNS:
        side = home if column.column in withheld.get(column.table, ()) else travels
        side.setdefault(column.table_label, []).append(column.label)
    return ([f"{t}: {', '.join(labels)}" for t, labels in travels.items()],
            [f"{t}: {', '.join(labels)}" for t, labels in home.items()])


def field_columns(key: str) -> str:
    """The columns a field covers, in words: "Hộ gia đình: số điện thoại"."""
    by_table: dict[str, list[str]] = {}
    for column in PERSONAL_COLUMNS:
        if key in column.fields:
            by_table.setdefault(column.table_label, []).append(column.label)
    return "; ".join(f"{t}: {', '.join(labels)}" for t, labels in by_table.items())
