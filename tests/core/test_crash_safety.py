"""Power cuts and full disks: a writer killed with SIGKILL at random moments loses
no acknowledged commit and leaves a database that passes ``check``; a full disk
refuses a write with a clear message and damages nothing."""

from __future__ import annotations

import os
import random
import signal
from tests import app_sqlite as sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gocong_desktop.core.storage import backup
from gocong_desktop.core.storage.backup import BackupError, backup_now
from gocong_desktop.core.maintenance.check import check_database, integrity_problems
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.services import households
from gocong_desktop.core.services.households import HouseholdInput
from tests.conftest import copy_database

KILLS = 100


def _writer(path: Path, hamlet_id: str, group_id: str, out_fd: int) -> None:
    """The child: the app's own code path (open_database, services, one session per
    write); a household's id is reported only after its commit returned."""
    try:
        db = open_database(path)
        for n in range(10_000):
            with db.session(actor="thử mất điện") as s:
                hid = households.create_household(s, HouseholdInput(
                    head_name=f"Hộ thử {n}", hamlet_id=hamlet_id, group_id=group_id, notes="x" * (n % 500)))
            os.write(out_fd, f"{hid}\n".encode())
    finally:
        os._exit(0)


def _run_and_kill(path: Path, seeded, rng: random.Random) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        _writer(path, seeded.hamlet_a, seeded.group_a1, write_fd)
    os.close(write_fd)
    first = b""  # wait for the first acknowledged write: the kill then lands among writes, however slow the machine
    while not first.endswith(b"\n") and (chunk := os.read(read_fd, 1)):
        first += chunk
    time.sleep(rng.uniform(0.0, 0.06))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_fd, "rb") as pipe:
        lines = (first + pipe.read()).decode().split("\n")
    return [line for line in lines[:-1] if line]  # the last piece may be a cut-off line


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
def test_sigkill_at_random_moments_loses_no_acknowledged_commit(seeded):
    path = seeded.db.path
    seeded.db.close()  # the child processes are the only writers
    rng, acknowledged = random.Random(8), set()
    for _ in range(KILLS):
        acknowledged |= set(_run_and_kill(path, seeded, rng))
        con = sqlite3.connect(path)  # a new opener after each "power cut" (recovers the WAL)
        try:
            stored = {r[0] for r in con.execute("SELECT id FROM household")}
        finally:
            con.close()
        assert acknowledged <= stored, "an acknowledged commit was lost"
        assert integrity_problems(path, full=False) == []
    assert len(acknowledged) >= KILLS  # every kill landed after at least one acknowledged write
    assert check_database(path) == []


# ---- disk full -----------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs: only root can mount one."""
    if sys.platform == "win32":
        pytest.skip("a small disk is a tmpfs mount: Linux only")
    if os.geteuid() != 0:
        pytest.skip("cần quyền root để gắn một ổ tmpfs nhỏ (mount -t tmpfs)")
    mount = tmp_path / "o-nho"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"không gắn được tmpfs: {done.stderr.strip()}")
    yield mount
    if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(folder: Path) -> Path:
    """Write until the disk refuses even one byte more."""
    filler = folder / "day.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def test_disk_full_refuses_a_write_clearly_and_damages_nothing(small_disk, seeded, monkeypatch):
    path = small_disk / "xa.db"
    seeded.db.close()
    copy_database(seeded.db.path, path)
    db = open_database(path)
    try:
        with db.session() as s:  # the app is running (connected) when the disk fills up
            assert len(households.list_households(s)) == 7
        filler = _fill(small_disk)
        with pytest.raises(DatabaseError) as err:
            with db.session() as s:
                for n in range(300):
                    households.create_household(s, HouseholdInput(
                        head_name=f"Hộ {n}", hamlet_id=seeded.hamlet_a, notes="ghi chú dài " * 150))
        assert "đã đầy" in err.value.message and "không bị ảnh hưởng" in err.value.message
        with db.session() as s:
            assert len(households.list_households(s)) == 7  # earlier data intact, nothing half-written
        assert check_database(path) == []
        monkeypatch.setenv("XDG_DATA_HOME", str(small_disk / "du-lieu"))
        with pytest.raises(BackupError, match="Không đủ chỗ trống"):
            backup_now(db, backup.MANUAL)
        assert not list((small_disk / "du-lieu").rglob("*.db*"))  # no half-made backup left
        filler.unlink()
        with db.session() as s:  # room again: writing works
            households.create_household(s, HouseholdInput(head_name="Hộ sau khi dọn ổ", hamlet_id=seeded.hamlet_a))
    finally:
        db.close()
    assert check_database(path) == []


def test_a_file_another_program_is_writing_refuses_a_save_in_words(seeded):
    """Another program (a database browser, a second copy on a network share) holds a
    write on the file past the busy wait: the save is refused saying the file is busy,
    not as an unexpected error, and nothing is written."""
    other = sqlite3.connect(seeded.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError) as err:
            with seeded.db.session() as s:
                households.create_household(s, HouseholdInput(head_name="Lê Văn Tư", hamlet_id=seeded.hamlet_a))
    finally:
        other.rollback()
        other.close()
    assert "đang bận" in err.value.message and "không bị ảnh hưởng" in err.value.message, err.value.message
    with seeded.db.session() as s:
        assert "Lê Văn Tư" not in {h.head_name for h in households.list_households(s)}


# ---- the lock after a crash, where the filesystem cannot lock ------------------------

def test_without_os_locks_the_recorded_process_decides(db, monkeypatch):
    from gocong_desktop.core.storage import lock

    def cannot_lock(_fd):
        raise lock._CannotLock()

    monkeypatch.setattr(lock, "_os_lock", cannot_lock)
    db.close()
    here = lock.socket.gethostname()
    lock.lock_path(db.path).write_text(f'{{"pid": {os.getppid()}, "host": "{here}"}}')  # alive
    with pytest.raises(lock.DatabaseInUseError):
        lock.acquire_lock(db.path)
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()
    lock.lock_path(db.path).write_text(f'{{"pid": {dead.pid}, "host": "{here}"}}')  # crashed
    taken = lock.acquire_lock(db.path)
    assert taken.unclean and lock.read_owner(taken.path)["pid"] == os.getpid()
    taken.release()
    assert not lock.lock_path(db.path).exists()
