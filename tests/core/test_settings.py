"""The settings registry: office settings in the database, machine settings (the
backup folders) in this PC's file; unknown keys and wrong types refused; a damaged
machine file gives the defaults; older data adopted once."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tests import app_sqlite as sqlite3
from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.services.backup_folders import save_backup_settings
from gocong_desktop.core.settings import keys
from gocong_desktop.core.settings.backup_places import BackupSettings, backup_folders, read_backup_settings
from gocong_desktop.core.settings.machine import database_key, machine_file, read_machine, write_machine
from gocong_desktop.core.settings.registry import UnknownSettingError
from gocong_desktop.core.storage import backup
from tests.conftest import copy_database, file_digest


def _office_rows(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT key, value_json FROM app_setting").fetchall())
    finally:
        con.close()


def _another_pc(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "may-khac"))


# ---- the registry refuses what it does not declare --------------------------------

def test_unknown_keys_and_wrong_types_are_refused_and_nothing_is_written(db):
    with db.session() as s:
        with pytest.raises(UnknownSettingError, match="Không có cài đặt"):
            read_setting(s, "security.no_such_thing")
        with pytest.raises(UnknownSettingError):
            write_setting(s, "security.no_such_thing", 1)
        with pytest.raises(UnknownSettingError):  # a machine setting is not the office's
            write_setting(s, keys.BACKUP_FOLDER.key, "/tmp")
        for wrong in ("15", True, 15.0, None):
            with pytest.raises(ValidationError, match="không hợp lệ"):
                write_setting(s, keys.IDLE_LOCK_MINUTES, wrong)
        with pytest.raises(ValidationError, match="phải từ 1 đến 240"):
            write_setting(s, keys.IDLE_LOCK_MINUTES, 0)
        with pytest.raises(ValidationError):
            write_setting(s, keys.SYNC_INCLUDE_VIOLATIONS, 1)
    assert keys.IDLE_LOCK_MINUTES.key not in _office_rows(db.path)
    with pytest.raises(UnknownSettingError):
        write_machine({"backup.no_such_thing": None}, database=db.path)
    with pytest.raises(UnknownSettingError):  # an office setting is not the machine's
        read_machine(keys.IDLE_LOCK_MINUTES)
    with pytest.raises(ValidationError):
        write_machine({keys.BACKUP_FOLDER: 5}, database=db.path)
    with pytest.raises(ValidationError, match="đường dẫn đầy đủ"):
        write_machine({keys.BACKUP_FOLDER: Path("tương đối")}, database=db.path)
    assert not machine_file().exists()


def test_office_settings_round_trip_and_a_bad_stored_value_reads_as_the_default(db, caplog):
    with db.session() as s:
        assert read_setting(s, keys.IDLE_LOCK_MINUTES) == 10
        write_setting(s, keys.IDLE_LOCK_MINUTES, 25)
    with db.session() as s:
        assert read_setting(s, keys.IDLE_LOCK_MINUTES) == 25
    con = sqlite3.connect(db.path)
    con.execute("UPDATE app_setting SET value_json = '\"nhiều\"' WHERE key = ?", (keys.IDLE_LOCK_MINUTES.key,))
    con.commit()
    con.close()
    with caplog.at_level(logging.WARNING), db.session() as s:
        assert read_setting(s, keys.IDLE_LOCK_MINUTES) == 10
    assert keys.IDLE_LOCK_MINUTES.key in caplog.text


# ---- the machine file ---------------------------------------------------------------

def test_the_machine_file_holds_each_office_files_folders(db, tmp_path):
    with db.session() as s:
        save_backup_settings(s, BackupSettings(folder=tmp_path / "sao lưu", second=tmp_path / "USB"))
    document = json.loads(machine_file().read_text(encoding="utf-8"))
    assert machine_file().name == "cai-dat-may.json" and document["format"] == 1
    assert document["databases"] == {database_key(db.path): {
        "backup.folder": str((tmp_path / "sao lưu").resolve()), "backup.second_folder": str((tmp_path / "USB").resolve())}}
    assert backup_folders(db.path) == ((tmp_path / "sao lưu").resolve() / "xa", (tmp_path / "USB").resolve() / "xa")
    assert not [k for k in _office_rows(db.path) if k.startswith("backup.")]  # nothing in the office file


@pytest.mark.parametrize("damage", [b"{\"format\": 1, \"databases\": {", b"\xff\xfe r\xe1c",
                                    b"[1, 2]", b"{\"format\": 1, \"format\": 1}", b"{\"format\": NaN}",
                                    b"{\"format\": 1, \"databases\": {\"x\": 5}}", b"{\"format\": 99}",
                                    b" " * (300 * 1024) + b"{}"])
def test_a_damaged_machine_file_gives_the_defaults_and_is_kept_aside_at_the_next_save(db, tmp_path, caplog,
                                                                                       damage):
    machine_file().parent.mkdir(parents=True, exist_ok=True)
    machine_file().write_bytes(damage)
    with caplog.at_level(logging.WARNING):
        assert read_backup_settings(db.path) == BackupSettings()
    assert "cai-dat-may.json" in caplog.text
    assert backup.backup_now(db, backup.MANUAL).path.parent == backup_folders(db.path)[0]
    with db.session() as s:
        save_backup_settings(s, BackupSettings(folder=tmp_path / "mới"))
    assert read_backup_settings(db.path).folder == (tmp_path / "mới").resolve()
    assert machine_file().with_name("cai-dat-may.json.hong").read_bytes() == damage


def test_a_wrong_value_in_the_machine_file_is_that_settings_default(db, tmp_path):
    write_machine({keys.BACKUP_SECOND_FOLDER: tmp_path / "USB"}, database=db.path)
    document = json.loads(machine_file().read_text(encoding="utf-8"))
    document["databases"][database_key(db.path)]["backup.folder"] = ["không", "phải", "đường dẫn"]
    machine_file().write_text(json.dumps(document), encoding="utf-8")
    assert read_backup_settings(db.path) == BackupSettings(None, tmp_path / "USB")


# ---- restored or copied files carry no folders of this PC -------------------------------

def test_a_copied_or_restored_office_file_does_not_carry_this_pcs_backup_folders(db, tmp_path, monkeypatch):
    chosen = BackupSettings(folder=(tmp_path / "D" / "SaoLuu").resolve(), second=(tmp_path / "USB").resolve())
    with db.session() as s:
        save_backup_settings(s, chosen)
    made = backup.backup_now(db, backup.MANUAL)
    (tmp_path / "ban sao").mkdir()
    copy = copy_database(db.path, tmp_path / "ban sao" / "xa.db")
    assert read_backup_settings(copy) == BackupSettings()  # another file on this PC: the defaults
    assert read_backup_settings(made.path) == BackupSettings()  # the backup itself names no folders
    db.engine.dispose()
    restore_backup(db.path, made.path)
    assert read_backup_settings(db.path) == chosen  # this PC's choice for this file stays
    _another_pc(monkeypatch, tmp_path)
    assert read_backup_settings(db.path) == BackupSettings()
    assert backup_folders(db.path)[0] == tmp_path / "may-khac" / "gocong_desktop" / "sao-luu" / "xa"


# ---- older data ------------------------------------------------------------------------

def _as_an_older_version_left_it(path: Path, folder: Path, second: Path | None) -> None:
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO app_setting (key, value_json) VALUES (?, ?)",
                    [("backup.folder", json.dumps(str(folder))),
                     ("backup.second_folder", json.dumps(str(second) if second else None))])
    con.commit()
    con.close()


def test_old_backup_folders_in_the_office_file_are_adopted_once(db, tmp_path, monkeypatch):
    old = tmp_path / "cũ"
    _as_an_older_version_left_it(db.path, old, None)
    digest = file_digest(db.path)
    assert read_backup_settings(db.path) == BackupSettings(old, None)  # adopted
    assert file_digest(db.path) == digest  # read only
    assert read_machine(keys.BACKUP_FOLDER, database=db.path) == old
    con = sqlite3.connect(db.path)  # the office file changes (say, an old backup restored over it)
    con.execute("UPDATE app_setting SET value_json = ? WHERE key = 'backup.folder'",
                (json.dumps(str(tmp_path / "khác")),))
    con.commit()
    con.close()
    assert read_backup_settings(db.path) == BackupSettings(old, None)  # the machine file is the truth now
    with db.session() as s:
        save_backup_settings(s, BackupSettings(folder=old, second=tmp_path / "USB"))
    assert not [k for k in _office_rows(db.path) if k.startswith("backup.")]  # the old rows went
    assert read_backup_settings(db.path) == BackupSettings(old, (tmp_path / "USB").resolve())


def test_saving_one_folder_keeps_the_adopted_other(db, tmp_path):
    _as_an_older_version_left_it(db.path, tmp_path / "chính", tmp_path / "USB")
    assert not machine_file().exists()  # this PC has no machine file yet
    from gocong_desktop.core.services.settings_catalog import get_setting, set_setting

    with db.session() as s:
        set_setting(s, "backup.folder", str(tmp_path / "mới"))
    with db.session() as s:
        assert get_setting(s, "backup.second_folder").value == str(tmp_path / "USB")
