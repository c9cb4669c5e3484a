"""A small JSON document on this PC: read bounded and strictly, written atomically.

Used for the machine settings and for the sign-in throttle's counts. A file that
is missing, too large, not JSON or not an object reads as ``None``: the caller
falls back to its defaults (the log says why), it never crashes the app.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_BYTES = 256 * 1024  # a few settings per office file; far more is not ours


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> dict[str, Any] | None:
    """The JSON object in ``path``; None when missing or unreadable (logged)."""
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("%s: not readable (%s); using defaults", path, exc)
        return None
    try:
        if len(data) > max_bytes:
            raise ValueError(f"larger than {max_bytes} bytes")
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates,
                              parse_constant=_no_constant)
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        log.warning("%s: damaged (%s); using defaults", path, exc)
        return None
    return document


def write_document(path: Path, document: dict[str, Any]) -> None:
    """Replace ``path`` with ``document`` in one step: a reader sees the old file or
    the new one, never half of it. Raises ``OSError``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
