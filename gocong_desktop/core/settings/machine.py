"""Machine settings: this PC's choices (backup folders…), in one small JSON file in
the user's data folder, never in an office's database (which is restored and copied
between PCs).

The file (``data_dir()/cai-dat-may.json``)::

    {"format": 1,
     "settings": {"<key>": <value>},                       # the PC's own
     "databases": {"<resolved path of an office file>": {"<key>": <value>}}}

A damaged file reads as the defaults (one log line); the next write replaces it
and keeps the damaged one aside as ``cai-dat-may.json.hong``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Mapping

from gocong_desktop.core.errors import UserError, os_reason
from gocong_desktop.core.paths import data_dir
from gocong_desktop.core.settings.keys import declared
from gocong_desktop.core.settings.machine_file import read_document, write_document
from gocong_desktop.core.settings.registry import Scope, Setting, checked, decoded, encoded

log = logging.getLogger(__name__)

FILE_NAME = "cai-dat-may.json"
FORMAT = 1


class MachineSettingsError(UserError):
    """The machine file could not be written."""


def machine_file() -> Path:
    return data_dir() / FILE_NAME


def database_key(db_path: Path) -> str:
    """How an office file is named in the machine file: its resolved path (a PC may hold several)."""
    return os.path.normcase(str(Path(db_path).resolve()))


def _sections(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """The document if it has the expected shape, else None (logged)."""
    if document is None:
        return None
    shaped = (document.get("format") == FORMAT and isinstance(document.get("settings", {}), dict)
              and isinstance(document.get("databases", {}), dict)
              and all(isinstance(v, dict) for v in document.get("databases", {}).values()))
    if not shaped:
        log.warning("%s: not a machine settings file of format %s; using defaults", machine_file(), FORMAT)
        return None
    return document


def _values(document: dict[str, Any] | None, setting: Setting, db_path: Path | None) -> dict[str, Any]:
    if document is None:
        return {}
    if setting.per_database:
        if db_path is None:
            raise ValueError(f"{setting.key} is kept per office file: give its path")
        return document.get("databases", {}).get(database_key(db_path), {})
    return document.get("settings", {})


def is_set(key: str | Setting, *, database: Path | None = None) -> bool:
    """True once this PC holds a value for ``key`` (for ``database``, when kept per office file)."""
    setting = declared(key, Scope.MACHINE)
    return setting.key in _values(_sections(read_document(machine_file())), setting, database)


def read_machine(key: str | Setting, *, database: Path | None = None) -> Any:
    """The value of a machine setting, or its default."""
    setting = declared(key, Scope.MACHINE)
    values = _values(_sections(read_document(machine_file())), setting, database)
    return decoded(setting, values.get(setting.key))


def write_machine(values: Mapping[str | Setting, Any], *, database: Path | None = None) -> dict[str, Any]:
    """Check every value, then store them together; returns them as checked.
    Unknown keys and wrong types are refused before anything is written."""
    settings = [(declared(key, Scope.MACHINE), value) for key, value in values.items()]
    good = {s.key: checked(s, value) for s, value in settings}
    if database is None and any(s.per_database for s, _value in settings):
        raise ValueError("a setting kept per office file needs the file's path")
    path = machine_file()
    document = _sections(read_document(path))
    if document is None and path.exists():
        _keep_aside(path)
    document = document or {"format": FORMAT}
    for setting, _value in settings:
        section = (document.setdefault("databases", {}).setdefault(database_key(database), {})
                   if setting.per_database else document.setdefault("settings", {}))
        section[setting.key] = encoded(setting, good[setting.key])
    try:
        write_document(path, document)
    except OSError as exc:
        raise MachineSettingsError(f"Không lưu được cài đặt của máy vào «{path}»: {os_reason(exc)}.") from exc
    return good


def _keep_aside(path: Path) -> None:
    try:
        os.replace(path, path.with_name(path.name + ".hong"))
    except OSError:
        pass  # then it is simply replaced
