"""Backups: made with SQLite's backup API, verified, rotated by age with an injected
clock, refused when damaged; restore keeps the current file aside."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from gocong_desktop.core.storage import backup, rotation
from gocong_desktop.core.db import migrate
from gocong_desktop.core.storage.backup import BackupError, backup_before, backup_now, list_backups, record_counts
from gocong_desktop.core.services.backup_folders import save_backup_settings
from gocong_desktop.core.settings.backup_places import BackupSettings, backup_folders
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.errors import DatabaseError, ValidationError
from gocong_desktop.core.services import households
from tests.conftest import copy_database, file_digest

NOW = datetime(2026, 3, 18, 21, 0)  # a Wednesday


def _count(path: Path, sql: str = "SELECT count(*) FROM household WHERE deleted = 0") -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _add_household(db, hamlet_id: str, name: str = "Huỳnh Văn Mới") -> str:
    with db.session() as s:
        return households.create_household(s, households.HouseholdInput(head_name=name, hamlet_id=hamlet_id))


def corrupt(path: Path) -> None:
    """Overwrite the middle of the file: pages SQLite's checks will find broken."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 2, len(data) - page, page * 3):
        data[start + 100:start + 900] = b"\xff" * 800
    path.write_bytes(bytes(data))


# ---- making a backup -------------------------------------------------------------

def test_backup_of_a_live_database_is_complete_verified_and_self_contained(seeded):
    _add_household(seeded.db, seeded.hamlet_a)  # committed in the -wal, not yet in the main file
    result = backup_now(seeded.db, backup.MANUAL, now=NOW)
    folder, _ = backup_folders(seeded.db.path)
    assert result.path.parent == folder and folder.name == seeded.db.path.stem
    assert result.path.name == "xa_20260318-210000_thu-cong.db"
    assert record_counts(result.path) == {"hộ": 8, "tổ": 3, "cuộc họp": 0, "cam kết": 0}
    assert _count(result.path, "PRAGMA journal_mode") == "delete"  # no -wal needed beside a backup
    assert sorted(p.name for p in folder.iterdir()) == [result.path.name]
    assert [b.path for b in list_backups(folder)] == [result.path]


def test_two_backups_in_one_second_get_two_names(db):
    first = backup_now(db, backup.MANUAL, now=NOW).path
    second = backup_now(db, backup.MANUAL, now=NOW).path
    assert first != second and second.exists()
    assert not first.exists()  # one a day is kept: the newest, never the one just made
    assert [b.path for b in list_backups(first.parent)] == [second]


def test_corrupt_copy_is_refused_and_older_backups_are_not_rotated(db, monkeypatch):
    old = [backup_now(db, backup.DAILY, now=NOW - timedelta(days=d)).path for d in (20, 9, 8)]
    real_copy = backup._copy_into

    def copy_then_damage(source: Path, target: Path) -> None:
        real_copy(source, target)
        corrupt(target)

    monkeypatch.setattr(backup, "_copy_into", copy_then_damage)
    with pytest.raises(BackupError) as err:
        backup_now(db, backup.DAILY, now=NOW)
    assert "không dùng được" in err.value.message
    folder = old[0].parent
    assert sorted(folder.iterdir()) == sorted(old)  # nothing rotated, no half-made file left


def test_verification_refuses_foreign_and_damaged_files(tmp_path, db):
    foreign = tmp_path / "khac.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="không phải bản sao lưu"):
        backup.verify_backup(foreign)
    garbage = tmp_path / "rac.db"
    garbage.write_bytes(b"khong phai sqlite" * 500)
    with pytest.raises(BackupError, match="bị hỏng"):
        backup.verify_backup(garbage)


def test_explicit_target_is_never_overwritten(db, tmp_path):
    target = tmp_path / "ra" / "bản sao.db"
    backup.write_backup(db.path, target)
    digest = file_digest(target)
    with pytest.raises(BackupError, match="đã có"):
        backup.write_backup(db.path, target)
    assert file_digest(target) == digest


def test_backup_before_an_operation_and_before_a_migration(db):
    path = backup_before(db, "nhập gói đồng bộ")
    assert path.name.endswith("_truoc-nhap-goi-dong-bo.db")
    assert backup_before(db.path, backup.BEFORE_IMPORT).name.endswith("_truoc-nhap.db")
    copy = migrate.backup_copy(db.path, "0001")  # what open_database calls before upgrading
    assert copy.parent == backup_folders(db.path)[0] and copy.name.endswith("_truoc-nang-cap-0001.db")
    assert list_backups(copy.parent)[0].path == copy  # the newest, though made in the same second
    assert list_backups(copy.parent)[0].label == "Trước khi nâng cấp dữ liệu"


# ---- rotation -------------------------------------------------------------------

def _dated(times: list[datetime], reason: str = "hang-ngay") -> list[rotation.Dated]:
    return [rotation.Dated(t, t, reason) for t in times]


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    start = datetime(2025, 1, 1)
    times = [start + timedelta(days=d, hours=h) for d in range(442) for h in (8, 20)]
    assert times[-1] == datetime(2026, 3, 18, 20, 0)
    kept = rotation.keep(_dated(times), NOW)
    expected_days = ([date(2026, 3, d) for d in range(12, 19)]  # daily
                     + [date(2026, 3, 8), date(2026, 3, 1)]  # weekly (weeks start on Monday)
                     + [date(2026, 2, 28), date(2026, 1, 31), date(2025, 12, 31), date(2025, 11, 30),
                        date(2025, 10, 31), date(2025, 9, 30), date(2025, 8, 31), date(2025, 7, 31),
                        date(2025, 6, 30), date(2025, 5, 31), date(2025, 4, 30)])  # monthly
    assert sorted(kept) == sorted(datetime.combine(d, datetime.min.time()).replace(hour=20) for d in expected_days)


def test_rotation_never_leaves_nothing_and_trusts_no_wrong_clock():
    year_ago = [datetime(2024, 1, d, 20) for d in (1, 2, 3)]
    assert rotation.keep(_dated(year_ago), NOW) == {year_ago[-1]}  # the newest always stays
    future = [NOW + timedelta(days=400)]  # made when the clock was wrong
    assert future[0] in rotation.keep(_dated(year_ago + future), NOW)


def test_backups_before_an_operation_are_kept_a_week():
    times = [NOW - timedelta(hours=h) for h in (1, 2, 3)]
    before = rotation.keep(_dated(times, "truoc-nhap"), NOW)
    assert before == set(times)
    assert rotation.keep(_dated(times, "dong-ung-dung"), NOW) == {times[0]}
    old = [NOW - timedelta(days=8, hours=h) for h in (1, 2)]
    assert rotation.keep(_dated(old + times[:1], "truoc-nhap"), NOW) == {times[0], old[0]}
    many = [NOW - timedelta(minutes=m) for m in range(15)]  # an upper office importing all morning
    assert rotation.keep(_dated(many, "truoc-nhap"), NOW) == set(many[:rotation.BEFORE_KEEP])


def test_rotation_on_files_with_an_injected_clock(db):
    for day in range(30):
        for hour in (9, 17) if day > 26 else (17,):
            backup_now(db, backup.ON_CLOSE, now=datetime(2026, 2, 17, hour) + timedelta(days=day))
    folder = backup_folders(db.path)[0]
    kept = [b.taken_at for b in list_backups(folder)]
    assert kept[:7] == [datetime(2026, 3, d, 17) for d in range(18, 11, -1)]
    assert kept[7:] == [datetime(2026, 3, 8, 17), datetime(2026, 3, 1, 17), datetime(2026, 2, 28, 17)]


# ---- settings and the second folder -----------------------------------------------

def test_second_folder_gets_a_verified_copy_and_a_missing_one_is_a_warning(db, tmp_path):
    primary, second = tmp_path / "sao lưu chính", tmp_path / "USB"
    with db.session() as s:
        save_backup_settings(s, BackupSettings(folder=primary, second=second))
    result = backup_now(db, backup.MANUAL, now=NOW)
    assert result.path.parent == primary / "xa" and result.second.parent == second.resolve() / "xa"
    assert record_counts(result.second) == record_counts(result.path) and not result.warnings
    (second / "xa").rename(tmp_path / "rút USB ra")
    (second / "xa").write_text("không phải thư mục")  # the second folder cannot be written
    result = backup_now(db, backup.MANUAL, now=NOW + timedelta(hours=1))
    assert result.path.exists() and result.second is None
    assert result.warnings and "thư mục thứ hai" in result.warnings[0]


def test_backup_settings_are_checked(db, tmp_path):
    with db.session() as s, pytest.raises(ValidationError, match="đường dẫn đầy đủ"):
        save_backup_settings(s, BackupSettings(folder=Path("tương đối")))
    with db.session() as s, pytest.raises(ValidationError, match="phải khác"):
        save_backup_settings(s, BackupSettings(folder=tmp_path / "a", second=tmp_path / "a"))


# ---- restore --------------------------------------------------------------------

def test_restore_round_trip_keeps_the_current_file_aside(seeded):
    db = seeded.db
    good = backup_now(db, backup.MANUAL, now=NOW).path
    _add_household(db, seeded.hamlet_a, "Hộ thêm sau khi sao lưu")
    db.close()
    kept = restore_backup(db.path, good, now=NOW)
    assert kept.name == "xa.truoc-khoi-phuc-20260318-210000.db"
    assert _count(kept) == 8  # the later change is still in the file set aside, with its -wal
    assert _count(db.path) == 7
    reopened = open_database(db.path)
    with reopened.session() as s:
        assert len(households.list_households(s)) == 7
    reopened.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(db, tmp_path):
    bad = backup_now(db, backup.MANUAL, now=NOW).path
    corrupt(bad)
    db.close()
    digest, files = file_digest(db.path), sorted(p.name for p in db.path.parent.iterdir())
    with pytest.raises(BackupError):
        restore_backup(db.path, bad)
    assert file_digest(db.path) == digest and sorted(p.name for p in db.path.parent.iterdir()) == files



def test_restore_refuses_a_backup_written_by_a_newer_version(seeded, tmp_path):
    """Restoring it would lock this version out of its own data."""
    seeded.db.close()
    newer = tmp_path / "moi-hon.db"
    copy_database(seeded.db.path, newer)
    con = sqlite3.connect(newer, isolation_level=None)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.execute("PRAGMA user_version = 9999")
    con.close()
    before = file_digest(seeded.db.path)
    with pytest.raises(DatabaseError, match="mới hơn"):
        restore_backup(seeded.db.path, newer)
    assert file_digest(seeded.db.path) == before
