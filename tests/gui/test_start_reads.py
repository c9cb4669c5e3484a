"""The start page's data is read while the window is built (issue 16): the window
starts the page's two reads before it builds anything and the page takes them
instead of reading again; the start-up check waits for them (both would share two
cores). Reads started ahead (gui/queries.py ``run_ahead``/``take``) behave as reads
the taker started itself."""

from __future__ import annotations

import os
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gocong_desktop.core.services import hamlets  # noqa: E402
from gocong_desktop.gui import main_window  # noqa: E402
from gocong_desktop.gui.main_window import NAV_TITLES, MainWindow  # noqa: E402
from gocong_desktop.gui.overview import reads  # noqa: E402
from gocong_desktop.gui.storage.startup_check import StartupChecker  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

BLOCKED_S = 10  # how long a test's blocked read may wait for its release (never reached)


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How many times each of the start page's reads ran."""
    calls = {"table": 0, "to_do": 0}
    for name, real in (("table", reads.read_table), ("to_do", reads.read_to_do)):
        def read(session, name=name, real=real):
            calls[name] += 1
            return real(session)
        monkeypatch.setattr(reads, f"read_{name}", read)
    return calls


def _window(qtbot, ctx, title: str) -> MainWindow:
    ctx.settings.setValue("main/page", NAV_TITLES.index(title))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    return win


def test_the_start_pages_reads_run_while_the_window_is_built_and_are_not_repeated(
        qtbot, seeded_ctx, counted, monkeypatch):
    reading_when_built = []
    build = MainWindow._build_pages
    monkeypatch.setattr(MainWindow, "_build_pages",
                        lambda self: (reading_when_built.append(self.ctx.tasks.reads.is_busy()), build(self)))
    win = _window(qtbot, seeded_ctx, "Tổng quan")
    win.show()
    settle(win)
    assert reading_when_built == [True]  # started before the first widget
    assert counted == {"table": 1, "to_do": 1}  # the page took them: read once
    page = win.overview_page
    assert page.table.rowCount() == 3 and page.heading.text()  # two hamlets and the commune
    assert len(page.to_do.buttons) == 6


def test_a_window_opening_on_another_page_reads_nothing_ahead(qtbot, seeded_ctx, counted):
    win = _window(qtbot, seeded_ctx, "Hộ gia đình")
    win.show()
    settle(win)
    assert counted == {"table": 0, "to_do": 0}
    win.open_page("Tổng quan")
    settle(win)
    assert counted == {"table": 1, "to_do": 1} and win.overview_page.table.rowCount() == 3


def test_the_start_up_check_waits_for_the_start_pages_reads(qtbot, seeded_ctx, monkeypatch):
    started = []
    monkeypatch.setattr(StartupChecker, "start", lambda self: started.append(True))
    monkeypatch.setattr(main_window, "CHECK_AT_THE_LATEST_MS", 600_000)
    seeded_ctx.tasks.reads.hold()  # the reads end, their results are not applied yet
    win = _window(qtbot, seeded_ctx, "Tổng quan")
    win.show()
    settle(win)
    assert started == [] and win.overview_page.table.rowCount() == 0
    seeded_ctx.tasks.reads.release()
    settle(win)
    assert started == [True] and win.overview_page.table.rowCount() == 3


# ---- reads started ahead (QueryRunner.run_ahead / take / when_idle) ----------------

def _session_read(ctx, fn):
    def job():
        with ctx.db.session() as session:
            return fn(session)
    return job


def _names(session) -> list[str]:
    return sorted(h.name for h in hamlets.list_hamlets(session))


def test_a_read_taken_after_it_arrived_is_delivered_at_once(qtbot, seeded_ctx):
    runner = seeded_ctx.tasks.reads
    runner.run_ahead("names", _session_read(seeded_ctx, _names))
    runner.wait()
    shown: list = []
    assert runner.take("names", on_done=shown.append)
    assert shown == [["Lợi An", "Đồng Sơn"]]
    assert not runner.take("names", on_done=shown.append)  # taken once
    assert not runner.take("never started", on_done=shown.append)


def test_a_read_taken_while_running_is_delivered_when_it_ends(qtbot, seeded_ctx):
    runner, release, shown = seeded_ctx.tasks.reads, threading.Event(), []
    runner.run_ahead("names", lambda: release.wait(BLOCKED_S) and "đọc trước")
    assert runner.take("names", on_done=shown.append)
    assert shown == [] and runner.is_busy()
    release.set()
    settle(seeded_ctx)
    assert shown == ["đọc trước"]


def test_a_newer_read_with_the_takers_key_replaces_the_one_taken(qtbot, seeded_ctx):
    runner, release, shown = seeded_ctx.tasks.reads, threading.Event(), []
    runner.run_ahead("names", lambda: release.wait(BLOCKED_S) and "cũ")
    runner.take("names", on_done=shown.append, key="names")
    runner.run(lambda: "mới", on_done=shown.append, key="names")  # the data changed meanwhile
    qtbot.waitUntil(lambda: shown == ["mới"], timeout=5000)
    release.set()
    settle(seeded_ctx)
    assert shown == ["mới"]


def test_a_read_ahead_that_failed_is_read_again_by_its_taker(qtbot, seeded_ctx):
    runner, tries, shown = seeded_ctx.tasks.reads, [], []

    def flaky():
        tries.append(True)
        if len(tries) == 1:
            raise RuntimeError("deadlock detected by _ModuleLock")  # what a concurrent import can raise
        return "lần hai"

    runner.run_ahead("flaky", flaky)
    runner.wait()
    assert runner.take("flaky", on_done=shown.append)
    settle(seeded_ctx)
    assert shown == ["lần hai"] and len(tries) == 2


def test_a_read_ahead_nobody_took_leaves_the_runner_idle(qtbot, seeded_ctx):
    runner, idle = seeded_ctx.tasks.reads, []
    runner.run_ahead("names", _session_read(seeded_ctx, _names))
    runner.when_idle(lambda: idle.append(True))
    runner.wait()
    assert idle == [True] and not runner.is_busy()


def test_when_idle_waits_for_the_reads_results_and_what_they_start(qtbot, seeded_ctx):
    runner, events = seeded_ctx.tasks.reads, []
    runner.when_idle(lambda: events.append("idle at once"))
    release = threading.Event()
    runner.run(lambda: release.wait(BLOCKED_S) and 1,
               on_done=lambda _r: (events.append("first"), runner.run(lambda: 2, on_done=lambda _r: events.append("second"))))
    runner.when_idle(lambda: events.append("idle"))
    release.set()
    settle(seeded_ctx)
    assert events == ["idle at once", "first", "second", "idle"]


def test_when_idle_is_never_called_after_close(qtbot, seeded_ctx):
    runner, release, idle = seeded_ctx.tasks.reads, threading.Event(), []
    runner.run(lambda: release.wait(BLOCKED_S))
    runner.when_idle(lambda: idle.append(True))
    runner.close(wait=False)
    release.set()
    runner.when_idle(lambda: idle.append(True))
    settle(seeded_ctx)
    assert idle == []


READS_IN_A_FRESH_PROCESS = r"""
import sys
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.gui.overview import reads
for name in reads.SERVICES:
    __import__(name)
db = open_database(sys.argv[1])
before = set(sys.modules)
with db.session() as session:
    reads.read_table(session)
    reads.read_to_do(session)
print(" ".join(sorted(m for m in set(sys.modules) - before if m.startswith("gocong_desktop"))))
"""


def test_the_services_imported_while_signing_in_are_all_the_start_pages_reads_import(demo_files, tmp_path):
    """app.open_first_database imports ``reads.SERVICES`` in the background while the
    password is typed and derived: a module the reads need beyond them would be
    imported on the way to the data, after the sign-in."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    plain = tmp_path / "cu.db"
    shutil.copy(demo_files["plain"], plain)
    done = subprocess.run([sys.executable, "-c", READS_IN_A_FRESH_PROCESS, str(plain)], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
