"""Sync work writes past the flush hook: each transaction reports what it wrote,
once committed; a dry run or a refusal reports nothing."""

from __future__ import annotations

import pytest

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.changes import EVERYTHING, NOTHING
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.export import EXPORT_WRITES
from tests.core.sync.conftest import fingerprint_of


def test_an_export_reports_its_package_row_and_bookkeeping(seeded, usb):
    with changes.recording() as recorded:
        export_package(seeded.db, usb)
    assert recorded.changes == EXPORT_WRITES
    assert recorded.changes.touches("sync_package") and not recorded.changes.touches("household")


def test_an_import_reports_everything_a_dry_run_and_a_refusal_nothing(seeded, upper, usb):
    package = export_package(seeded.db, usb).path
    with changes.recording() as recorded:
        with pytest.raises(PackageRefused):
            import_package(upper, package)  # an unknown sender
        import_package(upper, package, trust=[fingerprint_of(package)], dry_run=True)
    assert recorded.changes == NOTHING
    with changes.recording() as recorded:
        import_package(upper, package, trust=[fingerprint_of(package)])
    assert recorded.changes == EVERYTHING
