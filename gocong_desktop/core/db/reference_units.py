"""Shared reference units (provinces, districts) have the same id in every
database: a UUID derived from what they are, not one made per file. So the
upper office holds "tỉnh Tiền Giang" once, however many communes send it, and a
package cannot bring a reference row whose content does not match its id.

Records an office creates get version 8 UUIDs (db/ids.py; version 4 from earlier
versions); derived ids are version 5, so neither can pass for the other.
"""

from __future__ import annotations

import json
import uuid

NAMESPACE = uuid.UUID("6f1d3c52-9a43-4d1e-8f4b-2c7e0a5b9d10")
REFERENCE_LEVELS = ("province", "district")


def reference_unit_id(*, level: str, unit_type: str, name: str, code: str | None, parent_id: str | None) -> str:
    """The id every database gives this reference unit."""
    key = json.dumps([level, unit_type, name, code, parent_id], ensure_ascii=False)
    return str(uuid.uuid5(NAMESPACE, key))


def is_office_made_id(value: str) -> bool:
    """A UUID as records made by an office have: version 8, or 4 from an earlier version."""
    try:
        return uuid.UUID(value).version in (4, 8)
    except ValueError:
        return False
