"""A key repeated inside one record of a package's data lines is refused, as in
the manifest: JSON would silently keep the last value, so the record checked and
the record a reader of the text sees could differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.errors import InvalidRecord
from tests.core.sync.conftest import dump, fingerprint_of
from tests.core.sync.forge import forge, signing_key

pytestmark = pytest.mark.upper_sqlite  # refused while the records are read, before the database is

HOUSEHOLDS = "data/household.jsonl"


def _second_line_repeating(text: bytes, key: bytes) -> bytes:
    """The second record with ``key`` written again at the end of its object."""
    lines = text.split(b"\n")
    assert lines[1].endswith(b"}}") and b'"' + key + b'"' in lines[1]
    lines[1] = lines[1][:-2] + b',"' + key + b'":' + '"Nguyễn Văn Giả"}}'.encode()
    return b"\n".join(lines)


@pytest.mark.parametrize("key", [b"head_name", b"address"])
def test_a_repeated_key_in_a_record_is_refused(seeded, upper, usb: Path, tmp_path: Path, key: bytes) -> None:
    package = export_package(seeded.db, usb).path
    forged = forge(package, tmp_path / "lap.gcsync", signing_key(seeded.db),
                   payload={HOUSEHOLDS: lambda text: _second_line_repeating(text, key)})
    before = dump(upper)
    with pytest.raises(InvalidRecord) as caught:
        import_package(upper, forged, trust=[fingerprint_of(forged)])
    message = caught.value.message
    assert "dòng 2" in message and HOUSEHOLDS in message and "lặp lại" in message, message
    assert dump(upper) == before
    assert import_package(upper, package, trust=[fingerprint_of(package)]).status == "imported"
