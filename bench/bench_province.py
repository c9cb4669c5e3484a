"""A province's upper office receiving every commune; prints figures (not a pass/fail test).

    python bench/bench_province.py [--communes 20] [--households 3000]

N demo communes with distinct names and codes each export their full package
(signed and encrypted for the upper office); one upper office imports them in
turn. Printed: the 1st, middle and last import side by side (an import should
not slow down as communes pile up), the whole round, the comparison dashboard,
the aggregate report (figures, then the PDF), the undo of the last import and
its import again, and ``check`` per GB of the upper office's file. Targets
(issue 16): dashboard under 0.5 s at 100 communes; an import never slower as
communes pile up (last/first ≤ 1.3: no copy of the database before it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.demo import accounts as demo_accounts
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.documents.reports import write_aggregate_report
from gocong_desktop.core.services import office
from gocong_desktop.core.services.accounts import sign_in
from gocong_desktop.core.services.review_period import period_for
from gocong_desktop.core.sync import export_package, import_package, write_key_card
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from gocong_desktop.core.sync.undo import undo_import
from gocong_desktop.core.upper.aggregate import aggregate_figures
from gocong_desktop.core.upper.dashboard import commune_dashboard

DASHBOARD_TARGET = 0.5  # seconds, at 100 communes
CHECK_TARGET = 10  # seconds per GB of the upper office's file (issue 16; the aggregate report: < 5 s at 100)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def make_upper(folder: Path) -> tuple[Database, Path]:
    upper = open_database(folder / "tinh.db", create=True)
    with upper.session() as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện")
    upper.forget_office()
    with upper.session() as s:
        card = write_key_card(s, folder)
    return upper, card


def commune_package(folder: Path, usb: Path, card: Path, i: int, households: int) -> Path:
    """Commune number ``i`` (its own name, code and seed), exported in full."""
    path = folder / f"xa{i:03d}.db"
    generate_demo(path, households=households, seed=i, unit_name=f"Xã Thử {i:03d}", unit_code=f"9{i:04d}")
    commune = open_database(path)
    try:
        sign_in(commune, "quantri", demo_accounts.PASSWORD)  # the demo has accounts: writes need one
        with commune.session() as s:
            import_key_card(s, card)
        return export_package(commune, usb, full=True).path
    finally:
        commune.close()


def import_round(upper: Database, packages: list[Path]) -> list[float]:
    times = []
    for path in packages:
        result, elapsed = timed(lambda p=path: import_package(
            upper, p, trust=[open_package(p).manifest.sender.fingerprint]))
        assert result.status == "imported", result.message
        times.append(elapsed)
    return times


def report_imports(times: list[float]) -> None:
    n = len(times)
    picks = {1: times[0], (n + 1) // 2: times[(n + 1) // 2 - 1], n: times[-1]}
    print("import                 " + "   ".join(f"#{k}: {v:.2f} s" for k, v in picks.items())
          + f"   (last/first: {times[-1] / times[0]:.2f}×)")
    print(f"whole round            {sum(times):6.2f} s  ({n} packages)")


def report_undo(upper: Database, package: Path) -> None:
    """The last import undone (from its journal), then imported again."""
    uuid, fingerprint = open_package(package).manifest.package_uuid, open_package(package).manifest.sender.fingerprint
    undone, elapsed = timed(lambda: undo_import(upper, uuid))
    print(f"undo of the last import {elapsed:5.2f} s  ({undone.records} records put back)")
    result, elapsed = timed(lambda: import_package(upper, package, trust=[fingerprint]))
    assert result.status == "imported", result.message
    print(f"the same, imported again {elapsed:4.2f} s")


def report_upper(upper: Database, folder: Path, n: int) -> None:
    today = date.today()
    with upper.session() as s:
        rows, elapsed = timed(lambda: commune_dashboard(s, today=today))
        assert len(rows) == n
        target = f"  (target < {DASHBOARD_TARGET} s at 100 communes)"
        print(f"dashboard              {elapsed:6.2f} s  ({len(rows)} communes){target}")
        period = period_for("Y", today.year)
        _figures, elapsed = timed(lambda: aggregate_figures(s, period))
        print(f"aggregate figures      {elapsed:6.2f} s")
        _figures, elapsed = timed(lambda: write_aggregate_report(s, period, folder / "tong_hop.pdf"))
        print(f"aggregate report (PDF) {elapsed:6.2f} s")
    upper.close()
    report_check(folder / "tinh.db")


# ``check`` in a process of its own, its modules imported first (a fixed cost,
# not per GB): the time of the check alone and the process's peak memory, which
# must stay flat as the file grows (Linux only: /proc/self/status).
CHECK_CHILD = """
import sys, time
from gocong_desktop.core.maintenance import check, check_rules
import gocong_desktop.core.db.engine, gocong_desktop.core.services.meetings, gocong_desktop.core.sync.anchor_check
start, cpu = time.perf_counter(), time.process_time()
problems = check.check_database(sys.argv[1])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
try:  # VmHWM: this process's own peak (ru_maxrss would include the parent's, kept across exec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
except OSError:
    peak = float("nan")
print(len(problems), elapsed, cpu, peak)
"""


def report_check(path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", CHECK_CHILD, str(path)], check=True, capture_output=True,
                         text=True).stdout.split()
    problems, elapsed, cpu, peak = int(out[0]), *map(float, out[1:])
    assert problems == 0, f"check found {problems} problems"
    size = path.stat().st_size
    print(f"check                  {elapsed:6.2f} s  ({size / 1e6:.0f} MB: {elapsed / (size / 1e9):.1f} s per GB, "
          f"target {CHECK_TARGET:.0f};\n                         CPU {cpu:.2f} s: {cpu / (size / 1e9):.1f} s per GB; peak memory {peak:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("communes", type=int, nargs="?", default=20)
    parser.add_argument("--households", type=int, default=3_000, help="households per commune")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        usb = folder / "usb"
        usb.mkdir()
        upper, card = make_upper(folder)
        start = time.perf_counter()
        packages = [commune_package(folder, usb, card, i, args.households) for i in range(1, args.communes + 1)]
        print(f"{args.communes} communes × {args.households} households made and exported: "
              f"{time.perf_counter() - start:.0f} s")
        report_imports(import_round(upper, packages))
        report_undo(upper, packages[-1])
        report_upper(upper, folder, args.communes)


if __name__ == "__main__":
    main()
