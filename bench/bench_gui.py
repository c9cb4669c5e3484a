"""Start-up and search latency of the main window on a large commune; prints figures.

    python bench/bench_gui.py [--db PATH] [--households 50000]

Targets (issue 3): window shown within 1.5 s of process start on 2 cores;
search results shown within 100 ms of the debounce firing.
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
import sys
from PySide6.QtCore import QSettings, QTimer
from gocong_desktop.gui.app import create_app, make_context
from gocong_desktop.gui.main_window import MainWindow
from gocong_desktop.core.db.engine import open_database
app = create_app()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("main/page", int(sys.argv[3]))
window = MainWindow(make_context(open_database(sys.argv[1]), settings))
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def startup_seconds(db: Path, page: int, folder: Path) -> float:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(db), str(folder / "s.ini"), str(page)],
                         capture_output=True, text=True, check=True).stdout
    assert "shown" in out
    return time.perf_counter() - start


def search_latencies(db: Path, folder: Path) -> list[tuple[str, int, float]]:
    from PySide6.QtCore import QSettings

    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.gui.app import create_app, make_context
    from gocong_desktop.gui.main_window import MainWindow

    app = create_app()
    ctx = make_context(open_database(db), QSettings(str(folder / "t.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    window.show()
    window.nav.setCurrentRow(window.stack.indexOf(window.households_page))
    page = window.households_page
    results = []
    for query in ["n", "ng", "nguyen", "nguyen van", "NGUYỄN VĂN", "dong", "thi hoa", "0912", "zzz", ""]:
        page.search.setText(query)
        start = time.perf_counter()
        page._apply_filters()  # what the debounce timer fires
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
        for page, name in ((0, "Tổng quan"), (2, "Hộ gia đình")):
            times = [startup_seconds(db, page, folder) for _ in range(3)]
            print(f"start-up to window shown ({name}): median {statistics.median(times):.2f} s, "
                  f"runs {', '.join(f'{t:.2f}' for t in times)}")
        for query, total, seconds in search_latencies(db, folder):
            print(f"search {query!r:14} {total:6} rows shown in {seconds * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
