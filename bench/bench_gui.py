"""Start-up and search latency of the main window on a large commune; prints figures.

    python bench/bench_gui.py [--db PATH] [--households 50000]

Start-up is timed from launching a process to the window shown with its data (the
clock stops there: closing, and its backup, are not counted), beside a process
that shows a bare QMainWindow. The sign-in's key derivation (Argon2id, deliberate)
is printed on its own. Targets (issue 16): window with data within 1.0 s and 8x a
bare window; search results shown within 100 ms of the debounce firing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Run in a fresh interpreter: everything from imports to the first paint counts.
CHILD = r"""
import sys, time
from PySide6.QtCore import QSettings, QTimer
from gocong_desktop.gui.app import create_app, make_context
from gocong_desktop.gui.main_window import MainWindow
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.unlocking import needs_unlock, unlock_with_password
app = create_app()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("main/page", int(sys.argv[3]))
start = time.perf_counter()
if needs_unlock(sys.argv[1]):  # what the sign-in box does
    unlock_with_password(sys.argv[1], "canbo", "demo1234")
derived = time.perf_counter() - start
db = open_database(sys.argv[1])
accounts.sign_in_unlocked(db, "canbo") if derived else accounts.sign_in(db, "canbo", "demo1234")
window = MainWindow(make_context(db, settings))
window.show()
QTimer.singleShot(0, lambda: (print("shown", time.time(), derived, flush=True), app.quit()))
app.exec()
"""

BARE = r"""
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
QTimer.singleShot(0, lambda: (print("shown", time.time(), 0.0, flush=True), app.quit()))
app.exec()
"""


def shown_after(code: str, *args: str) -> tuple[float, float]:
    """(seconds from launch to the window shown, of which key derivation)."""
    launched = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    _word, shown, derived = out.split()[-3:]
    return float(shown) - launched, float(derived)


def search_latencies(db: Path, folder: Path) -> list[tuple[str, int, float]]:
    from PySide6.QtCore import QSettings

    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.services import accounts
    from gocong_desktop.core.services.unlocking import unlock_with_password
    from gocong_desktop.gui.app import create_app, make_context
    from gocong_desktop.gui.main_window import MainWindow

    app = create_app()
    unlock_with_password(db, "canbo", "demo1234")  # as the sign-in box does (the demo is encrypted)
    opened = open_database(db)
    accounts.sign_in_unlocked(opened, "canbo")
    ctx = make_context(opened, QSettings(str(folder / "t.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    window.show()
    window.nav.setCurrentRow(window.stack.indexOf(window.households_page))
    page = window.households_page
    results = []
    for query in ["n", "ng", "nguyen", "nguyen van", "NGUYỄN VĂN", "dong", "thi hoa", "0912", "zzz", ""]:
        page.search.setText(query)
        start = time.perf_counter()
        page._apply_filters()  # what the debounce timer fires
        ctx.tasks.reads.wait()  # read off the UI thread, then applied
        app.processEvents()  # rows painted
        results.append((query, page.model.total, time.perf_counter() - start))
    window.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--households", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db
        if db is None:
            from gocong_desktop.core.demo import generate_demo

            db = folder / "bench.db"
            generate_demo(db, households=args.households, seed=1)
        bare = statistics.median(shown_after(BARE)[0] for _ in range(3))
        print(f"bare QMainWindow process shown: median {bare:.2f} s")
        for page, name in ((0, "Tổng quan"), (2, "Hộ gia đình")):
            runs = [shown_after(CHILD, str(db), str(folder / "s.ini"), str(page)) for _ in range(3)]
            shown = statistics.median(t for t, _ in runs)
            derived = statistics.median(d for _, d in runs)
            print(f"start-up to window shown with data ({name}): median {shown:.2f} s = {shown / bare:.1f}x bare "
                  f"(of which sign-in key derivation {derived:.2f} s), runs {', '.join(f'{t:.2f}' for t, _ in runs)}")
        for query, total, seconds in search_latencies(db, folder):
            print(f"search {query!r:14} {total:6} rows shown in {seconds * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
