"""Change sets: derived from what a commit wrote, never named by the caller."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import delete

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.changes import EVERYTHING, NOTHING, ChangeSet
from gocong_desktop.core.db.models import ModelSiteHousehold
from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.storage import backup
from gocong_desktop.core.services import hamlets, households, propaganda
from gocong_desktop.core.services.households import HouseholdInput


def test_a_change_set_says_which_tables_it_touches():
    written = ChangeSet.of("household", "audit_log")
    assert written.touches("household") and written.touches("meeting", "household")
    assert not written.touches("meeting") and not written.touches()
    assert EVERYTHING.touches("meeting") and not NOTHING.touches("meeting")
    assert bool(written) and bool(EVERYTHING) and not NOTHING
    assert written | ChangeSet.of("meeting") == ChangeSet.of("household", "audit_log", "meeting")
    assert (written | EVERYTHING).everything


def test_a_commit_records_the_tables_its_rows_are_in(seeded):
    with changes.recording() as recorded, seeded.db.session() as s:
        households.create_household(s, HouseholdInput(head_name="Huỳnh Văn Tư", hamlet_id=seeded.hamlet_a,
                                                      group_id=seeded.group_a1))
    assert recorded.changes == ChangeSet.of("household", "audit_log")


def test_an_update_and_a_soft_delete_record_their_tables(seeded):
    with changes.recording() as recorded, seeded.db.session() as s:
        hamlets.rename_hamlet(s, seeded.hamlet_b, "Đồng Sơn Mới")
        households.delete_household(s, seeded.households["Nguyễn Thị Bích"])
    assert recorded.changes.tables >= {"admin_unit", "household", "audit_log"}
    assert not recorded.changes.touches("meeting", "pledge", "self_managed_group")


def test_a_write_refused_and_rolled_back_records_nothing(seeded):
    with changes.recording() as recorded:
        with pytest.raises(ValidationError), seeded.db.session() as s:
            hamlets.rename_hamlet(s, seeded.hamlet_b, "Đồng Sơn Mới")
            s.flush()  # written, then undone
            households.create_household(s, HouseholdInput(head_name="", hamlet_id=seeded.hamlet_a))
    assert recorded.changes == NOTHING


def test_a_read_records_nothing(seeded):
    with changes.recording() as recorded, seeded.db.session() as s:
        households.list_households(s)
    assert recorded.changes == NOTHING


def test_a_bulk_statement_through_the_session_is_recorded(seeded):
    """``session.exec(delete(...))`` never goes through the flush."""
    with changes.recording() as recorded, seeded.db.session() as s:
        s.exec(delete(ModelSiteHousehold).where(ModelSiteHousehold.site_id == "none"))
    assert recorded.changes.touches("model_site_household")


def test_raw_sql_in_a_session_counts_with_its_commit_only(seeded):
    with changes.recording() as recorded:
        with pytest.raises(RuntimeError), seeded.db.session() as s:
            changes.note(s, "meeting")
            raise RuntimeError("undone")
        with seeded.db.session() as s:
            changes.note(s, "pledge")
    assert recorded.changes == ChangeSet.of("pledge")


def test_a_commit_on_another_thread_reaches_only_that_threads_recording(seeded):
    elsewhere = []

    def write_elsewhere():
        with changes.recording() as recorded, seeded.db.session() as s:
            propaganda.record_activity(s, kind="phat_thanh", activity_date=date(2024, 3, 1))
        elsewhere.append(recorded.changes)

    with changes.recording() as recorded:
        worker = threading.Thread(target=write_elsewhere)
        worker.start()
        worker.join()
        with seeded.db.session() as s:
            hamlets.rename_hamlet(s, seeded.hamlet_b, "Đồng Sơn Mới")
    assert elsewhere == [ChangeSet.of("propaganda_activity", "audit_log")]
    assert recorded.changes == ChangeSet.of("admin_unit", "audit_log")


def test_a_nested_recording_passes_its_changes_outwards(seeded):
    with changes.recording() as outer:
        changes.report(ChangeSet.of("meeting"))
        with changes.recording() as inner:
            changes.report(ChangeSet.of("pledge"))
        assert inner.changes == ChangeSet.of("pledge")
    assert outer.changes == ChangeSet.of("meeting", "pledge")


def test_a_report_with_no_recording_open_is_dropped():
    changes.report(EVERYTHING)  # nobody is listening: no error, nothing kept
    with changes.recording() as recorded:
        pass
    assert recorded.changes == NOTHING


def test_the_tables_a_screen_shows_are_checked_against_the_models():
    assert changes.table_set("household", "pledge") == {"household", "pledge"}
    with pytest.raises(ValueError, match="households"):
        changes.table_set("household", "households")


def test_a_restore_reports_everything_and_a_refused_one_nothing(db, tmp_path):
    good = backup.backup_now(db, backup.MANUAL).path
    db.close()
    with changes.recording() as recorded:
        with pytest.raises(UserError):
            restore_backup(db.path, tmp_path / "không có.db")
    assert recorded.changes == NOTHING
    with changes.recording() as recorded:
        restore_backup(db.path, good)
    assert recorded.changes == EVERYTHING
