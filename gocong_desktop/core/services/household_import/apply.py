"""Importing a planned table: every add and update in the caller's session (one
transaction: all or nothing), one audit entry naming the file and the counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

from sqlmodel import Session

from gocong_desktop.core.db.access import require_writer
from gocong_desktop.core.db.models import AuditEntry
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.household_import.plan import (ADD, PROGRESS_EVERY, UPDATE, WRITING, ImportPlan,
                                                                Progress, Register, plan_import)
from gocong_desktop.core.services.household_import.table import SourceTable
from gocong_desktop.core.services.households import add_household, update_household
from gocong_desktop.core.services.pledges import join_open_campaigns
from gocong_desktop.core.text import format_int

AUDIT_ACTION = "import_list"
SHOWN_PROBLEMS = 3  # in the one-line refusal; the preview lists them all
FLUSH_EVERY = 1_000  # households written at a time (one flush each: the audit hooks run per flush)


class RowsRefused(ValidationError):
    """Some rows are wrong and skipping them was not asked for: nothing imported."""

    def __init__(self, message: str, plan: ImportPlan) -> None:
        super().__init__(message, field="rows")
        self.plan = plan


@dataclass(frozen=True)
class ImportReport:
    plan: ImportPlan
    added_ids: list[str]
    updated_ids: list[str]


def import_households(session: Session, table: SourceTable, mapping: Sequence[str], *,
                      skip_refused: bool = False, progress: Progress | None = None) -> ImportReport:
    """Plan ``table`` again in this session (the register may have changed since the
    preview), then add and update. A refused row stops everything unless
    ``skip_refused``; the caller's session commits or rolls back the lot."""
    require_writer(session)
    register = Register(session)  # kept while writing: its hamlets and groups stay in the session
    plan = plan_import(session, table, mapping, register=register, progress=progress)
    if plan.refused and not skip_refused:
        raise RowsRefused(refusal(plan), plan)
    added, updated = [], []
    for done, outcome in enumerate(plan.rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(WRITING, done, len(plan.rows))
        if outcome.action == ADD:
            added.append(add_household(session, outcome.data, checked=outcome.checked).id)
            if len(added) % FLUSH_EVERY == 0:
                session.flush()
        elif outcome.action == UPDATE:
            update_household(session, outcome.household_id, outcome.data)
            updated.append(outcome.household_id)
    join_open_campaigns(session, *added)  # as a household added by hand joins them
    if added or updated:
        _audit(session, plan, len(added), len(updated))
    return ImportReport(plan, added, updated)


def refusal(plan: ImportPlan) -> str:
    refused = plan.refused
    shown = "; ".join(f"dòng {r.line}: {r.message.rstrip('.')}" for r in refused[:SHOWN_PROBLEMS])
    more = f"; và {format_int(len(refused) - SHOWN_PROBLEMS)} dòng khác" if len(refused) > SHOWN_PROBLEMS else ""
    return (f"Chưa nhập gì: {format_int(len(refused))} dòng có lỗi ({shown}{more}). Hãy sửa tệp rồi nhập lại, "
            "hoặc chọn bỏ qua các dòng lỗi.")


def _audit(session: Session, plan: ImportPlan, added: int, updated: int) -> None:
    counts = {"file": [None, plan.file_name], "added": [None, added], "updated": [None, updated],
              "refused": [None, len(plan.refused)]}
    session.add(AuditEntry(actor=session.info.get("actor", "?"), action=AUDIT_ACTION, table_name="household",
                           record_id=plan.file_name[:200], changes_json=json.dumps(counts, ensure_ascii=False)))
