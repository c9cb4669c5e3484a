"""A restore cut short between its last renames is finished when the file is next opened.

``restore_backup`` stages the backup beside the database, sets the current file
aside, then moves the staged database and its slot table into place. A power
cut after setting aside leaves the staged pair, complete and verified: opening
the database finishes the two renames instead of reporting a missing file (and
a set-up offering to create a new one where the office's data waits).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from gocong_desktop.core.sqlite.key_slots import sync_folder, table_path

log = logging.getLogger(__name__)


def staged_restore(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.khoi-phuc")


def move_staged_into_place(staged: Path, db_path: Path) -> None:
    """The database first, then its slot table: a cut between them is finished by
    ``finish_restore`` (the slot table waits beside, never in front of another file)."""
    if staged.exists():
        os.replace(staged, db_path)
    if table_path(staged).exists():
        os.replace(table_path(staged), table_path(db_path))
    sync_folder(db_path.parent)


def finish_restore(db_path: Path) -> bool:
    """True when a cut-short restore of ``db_path`` was found and finished."""
    staged = staged_restore(db_path)
    database_waits = staged.exists() and not db_path.exists()
    slots_wait = table_path(staged).exists() and not staged.exists() and not table_path(db_path).exists()
    if not (database_waits or slots_wait):
        return False
    move_staged_into_place(staged, db_path)
    log.warning("finished a restore of %s cut short before it was in place", db_path)
    return True
