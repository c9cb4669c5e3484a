"""Taking a commune's existing household list (.xlsx or .csv) into the register:
read with bounds, columns guessed and chosen, a per-row preview, then one
all-or-nothing import. The CLI and the window call only what is named here."""

from gocong_desktop.core.services.household_import.apply import (AUDIT_ACTION, ImportReport, RowsRefused,
                                                                 import_households, refusal)
from gocong_desktop.core.services.household_import.cells import text as cell_text
from gocong_desktop.core.services.household_import.columns import (FIELDS, IGNORED, LABELS, apply_choices,
                                                                   guess_mapping, parse_mapping_text)
from gocong_desktop.core.services.household_import.memory import remember_mapping, remembered
from gocong_desktop.core.services.household_import.plan import (ACTION_LABELS, ADD, REFUSED, SAME, UPDATE,
                                                                ImportPlan, Progress, RowOutcome, plan_import)
from gocong_desktop.core.services.household_import.reading import SUFFIXES, read_table
from gocong_desktop.core.services.household_import.table import (MAX_ROWS, ImportFileError, SourceRow,
                                                                 SourceTable)

__all__ = ["ACTION_LABELS", "ADD", "AUDIT_ACTION", "FIELDS", "IGNORED", "LABELS", "MAX_ROWS", "REFUSED", "SAME",
           "SUFFIXES", "UPDATE", "ImportFileError", "ImportPlan", "ImportReport", "Progress", "RowOutcome", "RowsRefused",
           "SourceRow", "SourceTable", "apply_choices", "cell_text", "guess_mapping", "import_households", "parse_mapping_text",
           "plan_import", "read_table", "refusal", "remember_mapping", "remembered", "mapping_for"]


def mapping_for(table: SourceTable, chosen: dict[str, str] | None = None) -> list[str]:
    """The columns of ``table``: what this PC remembered for its headers, else guesses,
    then ``chosen`` (folded header -> field, as ``parse_mapping_text`` gives)."""
    mapping = guess_mapping(table.headers, remembered())
    return apply_choices(table.headers, mapping, chosen) if chosen else mapping
