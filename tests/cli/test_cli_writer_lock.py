"""One writer at a time, with real second processes: a CLI command that writes
takes the office lock the window holds, waits a few seconds for another writer
and is then refused with a message naming who holds it; ``restore`` is refused
while a CLI import writes (it used to put a backup in place under the import,
losing what the import reported imported); read-only commands do not wait."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gocong_desktop.core.sync import export_package
from tests.conftest import HOLD_LOCK, file_digest
from tests.core.sync.conftest import fingerprint_of, make_upper_office

# A second process holding the lock as a CLI command does: prints "held", keeps it until stdin closes.
HOLD_AS_COMMAND = ("import sys; from gocong_desktop.core.storage.lock import acquire_lock; "
                   "lock = acquire_lock(sys.argv[1], holder=sys.argv[2]); print('held', flush=True); "
                   "sys.stdin.read(); lock.release()")


@pytest.fixture
def run(env, gc):
    """The CLI in this process (the lock's holder is always another process): (code, stdout, stderr)."""
    return gc


@pytest.fixture
def upper_and_package(seeded, tmp_path: Path) -> tuple[Path, Path, str]:
    """(the upper office's database, closed; a commune's first package; its fingerprint)."""
    usb = tmp_path / "USB"
    usb.mkdir()
    package = export_package(seeded.db, usb).path
    upper = tmp_path / "tinh" / "tinh.db"
    upper.parent.mkdir()
    return make_upper_office(upper), package, fingerprint_of(package)


class Holder:
    """A process holding the lock of ``path``: the window (``holder=None``) or a command."""

    def __init__(self, path: Path, holder: str | None = None) -> None:
        script, extra = (HOLD_LOCK, []) if holder is None else (HOLD_AS_COMMAND, [holder])
        self.process = subprocess.Popen([sys.executable, "-c", script, str(path), *extra], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        self.process.communicate("")


def test_a_cli_import_waits_for_the_window_then_is_refused(run, upper_and_package) -> None:
    upper, package, fp = upper_and_package
    digest = file_digest(upper)
    window = Holder(upper)
    try:
        code, out, err = run("import", "--db", upper, package, "--trust-sender", fp)
    finally:
        window.release()
    waiting, refusal = err.strip().splitlines()
    assert code == 1 and out == ""
    assert waiting.startswith("Đang chờ tối đa 3 giây: ")
    assert refusal.startswith("Lỗi: ") and "đang được mở ở một cửa sổ gocong_desktop khác" in refusal
    assert refusal.endswith("Đã chờ 3 giây.")
    assert file_digest(upper) == digest
    code, out, err = run("import", "--db", upper, package, "--trust-sender", fp)  # the window closed: it goes on
    assert code == 0 and "Đã nhập gói số 1" in out, err


def test_a_second_writer_waits_for_the_first_to_finish(env, upper_and_package) -> None:
    upper, package, fp = upper_and_package
    first = Holder(upper, "import")
    command = [sys.executable, "-m", "gocong_desktop", "import", "--db", str(upper), str(package), "--trust-sender", fp]
    second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8")
    try:
        told = second.stderr.readline()  # said as soon as it starts waiting
        assert told.startswith("Đang chờ") and "lệnh «gocong-desktop import»" in told
    finally:
        first.release()
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0 and "Đã nhập gói số 1" in out, err


def test_restore_is_refused_while_a_cli_import_writes(run, upper_and_package, tmp_path: Path) -> None:
    upper, _package, _fp = upper_and_package
    copy = tmp_path / "sao-luu.db"
    assert run("backup", "--db", upper, "--out", copy)[0] == 0
    digest, files = file_digest(upper), sorted(upper.parent.iterdir())
    importing = Holder(upper, "import")
    try:
        code, _out, err = run("restore", "--db", upper, copy)
    finally:
        importing.release()
    refusal = err.strip().splitlines()[-1]
    assert code == 1 and refusal.startswith("Lỗi: ")
    assert "đang được lệnh «gocong-desktop import» ghi" in refusal and "hãy chờ lệnh đó xong" in refusal
    assert file_digest(upper) == digest and sorted(upper.parent.iterdir()) == files  # nothing set aside


def test_read_only_commands_do_not_wait_for_the_window(run, upper_and_package) -> None:
    upper, package, fp = upper_and_package
    window = Holder(upper)
    try:
        results = [run("keys", "show", "--db", upper), run("list", "hamlets", "--db", upper),
                   run("import", "--db", upper, package, "--dry-run", "--trust-sender", fp),
                   run("check", "--db", upper)]
    finally:
        window.release()
    for code, _out, err in results:
        assert code == 0 and "Đang chờ" not in err, err
