"""A province's upper office receiving every commune; prints figures (not a pass/fail test).

    python bench/bench_province.py [N=20] [--households 3000] [--keep DIR]

``--keep DIR`` keeps the communes' packages and the empty upper office there, so
a second run times the same round without building the communes again (the
slow part: about 15 s a commune of 3,000 households).

N demo communes with distinct names and codes each export their full package
(signed and encrypted for the upper office); one upper office imports them in
turn. Printed: the 1st, middle and last import side by side (an import should
not slow down as communes pile up), the whole round, the comparison dashboard,
the aggregate report (figures, then the PDF), the undo of the last import and
its import again, a small incremental package imported into the full upper
office, and ``check`` per GB of the upper office's file, each beside issue 16's
target and the figure measured before it (100 communes × 3,000 households).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from figures import figure

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.demo import accounts as demo_accounts
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.documents.reports import write_aggregate_report
from gocong_desktop.core.services import households, office
from gocong_desktop.core.services.accounts import sign_in
from gocong_desktop.core.services.review_period import period_for
from gocong_desktop.core.sync import export_package, import_package, write_key_card
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from gocong_desktop.core.sync.undo import undo_import
from gocong_desktop.core.upper.aggregate import aggregate_figures
from gocong_desktop.core.upper.dashboard import commune_dashboard

# Issue 16 at 100 communes × 3,000 households (2.36 GB): targets, and what the same
# measurement gave before (a copy of the whole database before each import).
IMPORT_TARGET, IMPORT_BEFORE, IMPORT_BEFORE_LAST = 3.0, 3.0, 12.3
RATIO_TARGET, RATIO_BEFORE = 1.3, 4.1
ROUND_TARGET, ROUND_BEFORE = 300.0, 824.0


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def make_upper(folder: Path, location: str | None = None) -> tuple[Database, Path]:
    """The upper office: a file in ``folder``, or the server database ``location`` names."""
    upper = open_database(location or folder / "tinh.db", create=True)
    with upper.session() as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện")
    upper.forget_office()
    with upper.session() as s:
        card = write_key_card(s, folder)
    return upper, card


def commune_package(folder: Path, usb: Path, card: Path, i: int, size: int,
                    edits: int = 0) -> tuple[Path, Path | None]:
    """Commune number ``i`` (its own name, code and seed) exported in full, then
    with ``edits`` households changed, incrementally (about 10 KB for 40)."""
    path = folder / f"xa{i:03d}.db"
    usb.mkdir(parents=True, exist_ok=True)
    generate_demo(path, households=size, seed=i, unit_name=f"Xã Thử {i:03d}", unit_code=f"9{i:04d}")
    commune = open_database(path)
    try:
        sign_in(commune, "quantri", demo_accounts.PASSWORD)  # the demo has accounts: writes need one
        with commune.session() as s:
            import_key_card(s, card)
        full = export_package(commune, usb, full=True).path
        if not edits:
            return full, None
        with commune.session() as s:
            for row in households.list_households(s, limit=edits):
                data = households.household_input(s, row.id)
                data.members += 1
                households.update_household(s, row.id, data)
        return full, export_package(commune, usb).path
    finally:
        commune.close()
        for leftover in folder.glob(f"xa{i:03d}.db*"):  # only its packages are needed
            leftover.unlink()


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
    middle = (n + 1) // 2
    figure("import #1 (full package)", times[0], target=IMPORT_TARGET, baseline=IMPORT_BEFORE)
    figure(f"import #{middle}", times[middle - 1], target=IMPORT_TARGET)
    figure(f"import #{n}", times[-1], target=IMPORT_TARGET, baseline=IMPORT_BEFORE_LAST)
    figure(f"import #{n} / import #1", times[-1] / times[0], "x", target=RATIO_TARGET, baseline=RATIO_BEFORE)
    figure(f"whole round ({n} packages)", sum(times), target=ROUND_TARGET * n / 100, baseline=ROUND_BEFORE * n / 100,
           note="target and before scaled from 100 packages")


def report_incremental(upper: Database, package: Path) -> None:
    result, elapsed = timed(lambda: import_package(upper, package))
    assert result.status == "imported", result.message
    figure(f"incremental package ({package.stat().st_size / 1024:.0f} KB) into the full upper office", elapsed,
           target=1.0, baseline=IMPORT_BEFORE_LAST, note="it cost as much as a full one")


def report_undo(upper: Database, incremental: Path, full: Path) -> None:
    """The last commune's two packages undone from their journals (the newer
    first: undo refuses otherwise), then its full package imported again."""
    for package in (incremental, full):
        uuid = open_package(package).manifest.package_uuid
        undone, elapsed = timed(lambda u=uuid: undo_import(upper, u))
        figure(f"undo of an import ({undone.records} records put back)", elapsed,
               note="before: a restore of the copy taken before it")
    fingerprint = open_package(full).manifest.sender.fingerprint
    result, elapsed = timed(lambda: import_package(upper, full, trust=[fingerprint]))
    assert result.status == "imported", result.message
    figure("the same full package imported again", elapsed, target=IMPORT_TARGET)


def report_upper(upper: Database, folder: Path, n: int) -> None:
    today = date.today()
    with upper.session() as s:
        rows, elapsed = timed(lambda: commune_dashboard(s, today=today))
        assert len(rows) == n
        figure(f"dashboard ({len(rows)} communes)", elapsed, target=0.5, baseline=2.9)
        period = period_for("Y", today.year)
        _figures, elapsed = timed(lambda: aggregate_figures(s, period))
        figure("aggregate figures", elapsed)
        _figures, elapsed = timed(lambda: write_aggregate_report(s, period, folder / "tong_hop.pdf"))
        figure("aggregate report (figures and PDF)", elapsed, target=5.0)
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
problems = check.check_database(sys.argv[1], full=sys.argv[2] == "full")
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
try:  # VmHWM: this process's own peak (ru_maxrss would include the parent's, kept across exec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
except OSError:
    peak = float("nan")
print(len(problems), elapsed, cpu, peak)
"""


def timed_check(path: Path, how: str) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak MB of ``check`` (``how``: "quick" or "full") in a process of its own."""
    out = subprocess.run([sys.executable, "-c", CHECK_CHILD, str(path), how], check=True, capture_output=True,
                         text=True).stdout.split()
    problems, elapsed, cpu, peak = int(out[0]), *map(float, out[1:])
    assert problems == 0, f"check found {problems} problems"
    return elapsed, cpu, peak


def report_check(path: Path) -> None:
    size = path.stat().st_size
    gb = size / 1e9
    elapsed, cpu, peak = timed_check(path, "quick")
    figure(f"check of {size / 1e6:.0f} MB, per GB", elapsed / gb, target=10.0, baseline=18.0,
           note=f"{elapsed:.1f} s; CPU {cpu / gb:.1f} s per GB")
    figure("check's peak memory", round(peak), "MB", note="flat: the same at every size (before: grew)")
    elapsed, _, _ = timed_check(path, "full")
    figure("check --full (every index against its table), per GB", elapsed / gb, note="on request")


def build(folder: Path, communes: int, households_each: int) -> tuple[list[Path], Path]:
    """The empty upper office (``tinh.db``), each commune's full package and the
    last commune's incremental one, made in ``folder`` unless already there."""
    made = folder / "made.json"
    if made.exists() and json.loads(made.read_text()) == [communes, households_each]:
        print(f"{communes} communes × {households_each} households: packages kept in {folder}")
    else:
        usb = folder / "usb"
        for made_before in (usb, folder / "upper"):
            shutil.rmtree(made_before, ignore_errors=True)
        (folder / "upper").mkdir(parents=True)
        upper, card = make_upper(folder / "upper")
        upper.close()
        start = time.perf_counter()
        for i in range(1, communes + 1):
            commune_package(folder, usb / f"{i:03d}", card, i, households_each, edits=40 if i == communes else 0)
        print(f"{communes} communes × {households_each} households made and exported: "
              f"{time.perf_counter() - start:.0f} s")
        made.write_text(json.dumps([communes, households_each]))
    packages = sorted((folder / "usb").glob("*/*.gcsync"))
    fulls = [min(sent.glob("*.gcsync"), key=lambda q: open_package(q).manifest.sequence)
             for sent in sorted({q.parent for q in packages})]
    incremental = next(p for p in packages if p not in fulls)
    return fulls, incremental


def run(kept: Path, work: Path, communes: int, households_each: int) -> None:
    packages, incremental = build(kept, communes, households_each)
    shutil.copytree(kept / "upper", work / "upper")
    upper = open_database(work / "upper" / "tinh.db")
    report_imports(import_round(upper, packages))
    report_incremental(upper, incremental)
    report_undo(upper, incremental, packages[-1])
    report_upper(upper, work / "upper", communes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("communes", type=int, nargs="?", default=20)
    parser.add_argument("--households", type=int, default=3_000, help="households per commune")
    parser.add_argument("--keep", type=Path, help="folder keeping the packages between runs")
    args = parser.parse_args()
    print(f"province: {args.communes} communes × {args.households} households "
          f"(issue 16's figures are at 100 × 3,000)")
    with tempfile.TemporaryDirectory() as work:
        kept = args.keep or Path(work) / "kept"
        kept.mkdir(parents=True, exist_ok=True)
        run(kept, Path(work), args.communes, args.households)


if __name__ == "__main__":
    main()
