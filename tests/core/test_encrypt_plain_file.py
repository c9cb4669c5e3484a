"""Encrypting a plain database from the previous version: data intact, plain copies gone,
and a power cut (kill -9) or a full disk at any step never leaves a file that opens neither way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gocong_desktop.core.storage import backup as backups
from gocong_desktop.core.storage.backup import backup_now, verify_backup, write_backup
from gocong_desktop.core.services.backup_folders import save_backup_settings
from gocong_desktop.core.settings.backup_places import BackupSettings
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.maintenance.encrypt_file import staged_path
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.demo.accounts import PASSWORD
from gocong_desktop.core.errors import PermissionDeniedError, UserError
from gocong_desktop.core.maintenance.encryption import encrypt_office_file
from gocong_desktop.core.services.unlocking import unlock_with_code, unlock_with_password
from tests.conftest import as_demo_admin, copy_database, file_digest
from tests.encrypted import forget_keys

STEPS = ("exported", "staged-slots", "accounts", "verified", "backup", "slots-in-place", "swapped")


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory) -> Path:
    """A demo file as the previous version made it: plain, accounts with password hashes."""
    path = tmp_path_factory.mktemp("ban-cu") / "xa.db"
    generate_demo(path, households=100, encrypted=False)
    return path


_TEMPLATE: list[Path] = []


@pytest.fixture
def plain(plain_demo: Path, tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    forget_keys()
    _TEMPLATE[:] = [plain_demo]
    return copy_database(plain_demo, tmp_path / "xa.db")


def plain_demo_copy(_tmp_path: Path) -> Path:
    return _TEMPLATE[0]


def counts(path: Path) -> dict[str, int]:
    """Rows per table, read through the app (keyed when encrypted); accounts left out."""
    db = open_database(path)
    try:
        with db.engine.connect() as con:
            tables = [r[0] for r in con.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('account', 'audit_log')")]
            return {t: con.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in tables}
    finally:
        db.close()


def test_a_plain_file_is_encrypted_with_its_data_intact_and_its_plain_copies_removed(plain: Path) -> None:
    before = counts(plain)
    old_backup = backup_now(plain, backups.MANUAL).path  # plain backups the previous version made
    # the copy an import of the previous version left beside the file (imports now back up
    # into the backup folder, like every other backup)
    old_import_copy = write_backup(plain, plain.with_name(f"{plain.stem}.truoc-nhap-goi-20240105-101500.db"))
    assert not is_encrypted(old_backup) and not is_encrypted(old_import_copy)
    foreign = plain.with_name(f"{plain.stem}.truoc-cua-nguoi-khac.txt")
    foreign.write_text("không phải của chương trình")  # not ours: never removed

    result = encrypt_office_file(plain, "QuanTri", PASSWORD)

    assert is_encrypted(plain) and not staged_path(plain).exists()
    assert {old_backup, old_import_copy} <= set(result.removed) and foreign.exists()
    assert not old_backup.exists() and not old_import_copy.exists()
    assert result.backup.suffix == ".gcbak" and result.need_password == ["canbo", "xem"]
    verify_backup(result.backup)
    assert counts(plain) == before
    forget_keys()
    with pytest.raises(PermissionDeniedError):
        unlock_with_password(plain, "canbo", PASSWORD)  # only a hash of it was known: needs a new one
    unlock_with_code(plain, "quantri", result.recovery_code)
    forget_keys()
    unlock_with_password(plain, "quantri", PASSWORD)
    assert counts(plain) == before


def test_only_an_administrator_with_the_right_password_encrypts(plain: Path) -> None:
    digest = file_digest(plain)
    with pytest.raises(PermissionDeniedError):
        encrypt_office_file(plain, "canbo", PASSWORD)
    with pytest.raises(PermissionDeniedError):
        encrypt_office_file(plain, "quantri", "sai-mat-khau")
    assert file_digest(plain) == digest and not is_encrypted(plain)


def test_plain_copies_in_the_second_folder_go_and_an_unreachable_one_is_named(plain: Path,
                                                                             tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    db = as_demo_admin(open_database(plain))
    with db.session() as s:
        save_backup_settings(s, BackupSettings(second=usb))
    on_stick = backup_now(db, backups.MANUAL).second
    db.close()
    assert on_stick is not None and not is_encrypted(on_stick)
    assert on_stick in encrypt_office_file(plain, "quantri", PASSWORD).removed

    other = copy_database(plain_demo_copy(tmp_path), tmp_path / "khac.db")
    db = as_demo_admin(open_database(other))
    with db.session() as s:
        save_backup_settings(s, BackupSettings(second=tmp_path / "usb2"))
    backup_now(db, backups.MANUAL)
    db.close()
    (tmp_path / "usb2").rename(tmp_path / "usb2-da-rut")  # the stick is not plugged in
    result = encrypt_office_file(other, "quantri", PASSWORD)
    assert [what for what, _why in result.not_removed] == [tmp_path / "usb2" / "khac"]


CHILD = """
import os, signal, sys
from gocong_desktop.core.maintenance import encrypt_file
from gocong_desktop.core.maintenance.encryption import encrypt_office_file

def stop_here(name):
    if name == sys.argv[2]:
        os.kill(os.getpid(), signal.SIGKILL)

encrypt_file.step = stop_here
encrypt_office_file(sys.argv[1], "quantri", sys.argv[3])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX: Windows has no SIGKILL")
@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_any_step_leaves_the_old_or_the_new_file(plain: Path, step: str, tmp_path: Path) -> None:
    before = counts(plain)
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "du-lieu"))
    child = subprocess.run([sys.executable, "-c", CHILD, str(plain), step, PASSWORD], env=env,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr
    forget_keys()
    if is_encrypted(plain):
        unlock_with_password(plain, "quantri", PASSWORD)  # the new file, with its slots
        assert counts(plain) == before
        return
    assert counts(plain) == before  # the old file, as it was
    result = encrypt_office_file(plain, "quantri", PASSWORD)  # and trying again finishes the work
    assert is_encrypted(plain) and counts(plain) == before and result.backup.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a small disk is a tmpfs mount: Linux only")
def test_a_full_disk_leaves_the_plain_file_as_it_was(plain_demo: Path, tmp_path: Path, monkeypatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("cần quyền root để gắn một ổ tmpfs nhỏ (mount -t tmpfs)")
    size = plain_demo.stat().st_size
    mount = tmp_path / "o-nho"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + size // 2}", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"không gắn được tmpfs: {done.stderr!r}")
    try:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
        path = copy_database(plain_demo, mount / "xa.db")
        digest, before = file_digest(path), counts(path)
        with pytest.raises(UserError, match="Không đủ chỗ trống"):
            encrypt_office_file(path, "quantri", PASSWORD)
        assert not is_encrypted(path) and counts(path) == before
        assert sorted(p.name for p in mount.iterdir()) == ["xa.db"]  # nothing half-made left
        assert file_digest(path) == digest or counts(path) == before
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
