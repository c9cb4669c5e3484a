"""The columns chosen for earlier lists, remembered on this PC (a machine
setting): the next list with the same headers maps itself."""

from __future__ import annotations

from typing import Sequence

from gocong_desktop.core.services.household_import.columns import remembered_choices
from gocong_desktop.core.settings.keys import IMPORT_COLUMNS
from gocong_desktop.core.settings.machine import read_machine, write_machine

MAX_REMEMBERED = 200  # headers; the oldest are forgotten first


def remembered() -> dict[str, str]:
    return dict(read_machine(IMPORT_COLUMNS) or {})


def remember_mapping(headers: Sequence[str], mapping: Sequence[str]) -> None:
    """Keep this file's choices (newest last), forgetting the oldest beyond ``MAX_REMEMBERED``."""
    choices = remembered()
    for header, key in remembered_choices(headers, mapping).items():
        choices.pop(header, None)
        choices[header] = key
    write_machine({IMPORT_COLUMNS: dict(list(choices.items())[-MAX_REMEMBERED:])})
