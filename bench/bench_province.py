"""A province's upper office receiving every commune; prints figures (not a pass/fail test).

    python bench/bench_province.py [N=20] [--households 3000] [--keep DIR] [--encrypted]
                                   [--store sqlite|postgresql|both] [--server URL]

``--keep DIR`` keeps the communes' packages and the empty upper office there, so
a second run times the same round without building the communes again (the
slow part: about 15 s a commune of 3,000 households). A folder kept for more
communes serves a smaller round too, read only: its first N-1 communes and its
last (the one with an incremental package).

``--encrypted`` encrypts the upper office's file first, as the set-up does for an
office with an administrator (a plain file is what an earlier version made):
every page an import writes is then encrypted, every page it reads decrypted.

``--store postgresql`` runs the same round with the upper office on a PostgreSQL
server: a private one started in a temporary folder (``tools/pg_local``, removed
after), or the empty database ``--server URL`` names. The kept upper office is
moved there (``upper migrate``'s ``move_to_server``: the packages are encrypted
for its key). ``both`` runs the round on each store, then prints each figure
side by side (SQLite | PostgreSQL | target).

N demo communes with distinct names and codes each export their full package
(signed and encrypted for the upper office); one upper office imports them in
turn. Printed: the 1st, middle and last import side by side (an import should
not slow down as communes pile up), the whole round, the comparison dashboard,
the aggregate report (figures, then the PDF), the undo of the last import and
its import again, a small incremental package imported into the full upper
office, a household search at the upper office (the households page's count and
first page), the upper office's window shown with its data, and ``check`` per GB
of the upper office's data, each beside issue 16's target and the figure
measured before it (100 communes × 3,000 households).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from figures import figure, side_by_side

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.location import ServerAddress, parse_location
from gocong_desktop.core.demo import accounts as demo_accounts
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.documents.reports import write_aggregate_report
from gocong_desktop.core.services import households, office
from gocong_desktop.core.maintenance.encryption import encrypt_office_file
from gocong_desktop.core.services.accounts import add_account, create_first_admin, sign_in, sign_in_unlocked
from gocong_desktop.core.services.unlocking import unlock_with_password
from gocong_desktop.core.services.review_period import period_for
from gocong_desktop.core.sync import export_package, import_package, write_key_card
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from gocong_desktop.core.sync.undo import undo_import
from gocong_desktop.core.upper.aggregate import aggregate_figures
from gocong_desktop.core.upper.dashboard import commune_dashboard
from gocong_desktop.core.upper.move_to_server import move_to_server
from gocong_desktop.gui.application import SMOKE_SIGN_IN_ENV
from gocong_desktop.tools import pg_local

# Issue 16 at 100 communes × 3,000 households (2.36 GB): targets, and what the same
# measurement gave before (a copy of the whole database before each import).
IMPORT_TARGET, IMPORT_BEFORE, IMPORT_BEFORE_LAST = 3.0, 3.0, 12.3
RATIO_TARGET, RATIO_BEFORE = 1.3, 4.1
ROUND_TARGET, ROUND_BEFORE = 300.0, 824.0
# Issue 19: an import on PostgreSQL within about twice SQLite's, the same package side by side.
SERVER_RATIO_TARGET = 2.0
STORES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Searches an officer types at the upper office (names, a place, a phone number's start).
SEARCHES = ("nguyen van", "thi hoa", "0912")
SEARCH_PAGE = 100
WINDOW_USER = "canbo"  # the clerk whose window is timed
ADMIN = "quantri"


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


@dataclass
class Figures:
    """The figures of one store's round: printed as measured, kept for ``both``."""

    store: str
    rows: dict[str, tuple[float | None, str, dict]] = field(default_factory=dict)

    def __call__(self, label: str, value: float | None, unit: str = "s", **extra) -> None:
        figure(label, value, unit, **extra)
        self.rows[label] = (value, unit, extra)


def import_round(upper: Database, packages: list[Path]) -> list[float]:
    times = []
    for path in packages:
        result, elapsed = timed(lambda p=path: import_package(
            upper, p, trust=[open_package(p).manifest.sender.fingerprint]))
        assert result.status == "imported", result.message
        times.append(elapsed)
    return times


def report_imports(out: Figures, times: list[float]) -> None:
    n = len(times)
    middle = (n + 1) // 2
    out("import #1 (full package)", times[0], target=IMPORT_TARGET, baseline=IMPORT_BEFORE)
    if 1 < middle < n:
        out(f"import #{middle}", times[middle - 1], target=IMPORT_TARGET)
    out(f"import #{n}", times[-1], target=IMPORT_TARGET, baseline=IMPORT_BEFORE_LAST)
    out(f"import #{n} / import #1", times[-1] / times[0], "x", target=RATIO_TARGET, baseline=RATIO_BEFORE)
    out(f"whole round ({n} packages)", sum(times), target=ROUND_TARGET * n / 100, baseline=ROUND_BEFORE * n / 100,
        note="target and before scaled from 100 packages")


def report_incremental(out: Figures, upper: Database, package: Path) -> None:
    """Timed once the full import before it has had its log copied into the file
    (``db/wal_checkpoint.py``): a write started sooner waits for that copy first."""
    _nothing, waited = timed(upper.checkpoint.wait)
    out("the last full import's log still being copied after it returned", waited,
        note="in the background, beside the next work; a write waits for it")
    result, elapsed = timed(lambda: import_package(upper, package))
    assert result.status == "imported", result.message
    out(f"incremental package ({package.stat().st_size / 1024:.0f} KB) into the full upper office", elapsed,
        target=1.0, baseline=IMPORT_BEFORE_LAST, note="it cost as much as a full one")


def report_undo(out: Figures, upper: Database, incremental: Path, full: Path) -> None:
    """The last commune's two packages undone from their journals (the newer
    first: undo refuses otherwise), then its full package imported again."""
    for package in (incremental, full):
        uuid = open_package(package).manifest.package_uuid
        undone, elapsed = timed(lambda u=uuid: undo_import(upper, u))
        out(f"undo of an import ({undone.records} records put back)", elapsed,
            note="before: a restore of the copy taken before it")
    fingerprint = open_package(full).manifest.sender.fingerprint
    result, elapsed = timed(lambda: import_package(upper, full, trust=[fingerprint]))
    assert result.status == "imported", result.message
    out("the same full package imported again", elapsed, target=IMPORT_TARGET)


def report_upper(out: Figures, upper: Database, folder: Path, n: int) -> None:
    today = date.today()
    with upper.session() as s:
        rows, elapsed = timed(lambda: commune_dashboard(s, today=today))
        assert len(rows) == n
        out(f"dashboard ({len(rows)} communes)", elapsed, target=0.5, baseline=2.9)
        period = period_for("Y", today.year)
        _figures, elapsed = timed(lambda: aggregate_figures(s, period))
        out("aggregate figures", elapsed)
        _figures, elapsed = timed(lambda: write_aggregate_report(s, period, folder / "tong_hop.pdf"))
        out("aggregate report (figures and PDF)", elapsed, target=5.0)
        for text in SEARCHES:
            report_search(out, s, text)


def report_window(out: Figures, location: str, folder: Path, runs: int = 3) -> None:
    """The upper office's window opened as ``run_gui`` opens it, the clock stopped once its
    first page (the communes' comparison) shows its data: ``bench_gui``'s child process
    (the clerk's sign-in answered), beside a bare QMainWindow process. Nothing is
    changed, so no backup runs on close."""
    from bench_gui import BARE, CHILD, run_once

    label, settings = "upper office's window shown with its data", str(folder / "cua-so.ini")
    os.environ[SMOKE_SIGN_IN_ENV] = f"{WINDOW_USER}:{demo_accounts.PASSWORD}"
    try:
        run_once(CHILD, location, settings, "0", "0", "unchanged")  # caches the bytecode, as installed
        shown = [run_once(CHILD, location, settings, "0", "0", "unchanged").shown for _ in range(runs)]
    except SystemExit as exc:  # the window did not open: said, and the round goes on
        out(label, None, note=str(exc))
        return
    finally:
        del os.environ[SMOKE_SIGN_IN_ENV]
    bare = statistics.median(run_once(BARE).shown for _ in range(runs))
    out(label, statistics.median(shown), target=2.0, baseline=8.0,
        note=f"{statistics.median(shown) / bare:.1f}x a bare QMainWindow process; runs "
             f"{', '.join(f'{t:.2f}' for t in shown)}")


def add_officers(upper: Database, *, encrypt: bool = False) -> Database:
    """An administrator and the clerk whose window is timed (a clerk: an administrator
    opening a plain file is first offered its encryption), as a real office has them.
    ``encrypt``: the file encrypted once the administrator exists, as the set-up does,
    so the clerk's account gets its key slot when it is made; the database reopened."""
    with upper.session() as s:
        create_first_admin(s, username=ADMIN, display_name="Quản trị viên", password=demo_accounts.PASSWORD)
    if encrypt:
        path = upper.path
        upper.close()
        encrypt_office_file(path, ADMIN, demo_accounts.PASSWORD)
        unlock_with_password(path, ADMIN, demo_accounts.PASSWORD)
        upper = open_database(path)
        sign_in_unlocked(upper, ADMIN)
    else:
        sign_in(upper, ADMIN, demo_accounts.PASSWORD)
    with upper.session() as s:
        add_account(s, username=WINDOW_USER, display_name="Cán bộ tỉnh", role="clerk",
                    password=demo_accounts.PASSWORD)
    return upper


def report_search(out: Figures, session, text: str) -> None:
    """What the households page runs as an officer types: the count, then the first page (median of 3)."""
    def search() -> int:
        found = households.count_households(session, search=text)
        households.list_households(session, search=text, limit=SEARCH_PAGE)
        return found

    runs = [timed(search) for _ in range(3)]
    out(f"household search «{text}» (count and first {SEARCH_PAGE})", statistics.median(t for _, t in runs),
        note=f"{runs[0][0]:,} households found")


# ``check`` in a process of its own, its modules imported first (a fixed cost,
# not per GB): the time of the check alone and the process's peak memory, which
# must stay flat as the file grows (Linux only: /proc/self/status).
CHECK_CHILD = """
import sys, time
from gocong_desktop.core.maintenance import check, check_rules
import gocong_desktop.core.db.engine, gocong_desktop.core.services.meetings, gocong_desktop.core.sync.anchor_check
if sys.argv[3:]:  # an encrypted file: the administrator's sign-in first (not timed)
    from gocong_desktop.core.services.unlocking import unlock_with_password
    unlock_with_password(sys.argv[1], *sys.argv[3:5])
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


def timed_check(location: str, how: str, sign_in_as: tuple[str, ...] = ()) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak MB of ``check`` (``how``: "quick" or "full") in a process of its own;
    ``sign_in_as``: (user, password) that unlock an encrypted file."""
    done = subprocess.run([sys.executable, "-c", CHECK_CHILD, location, how, *sign_in_as], capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"check {how} failed:\n{done.stderr}")
    out = done.stdout.split()
    problems, elapsed, cpu, peak = int(out[0]), *map(float, out[1:])
    assert problems == 0, f"check found {problems} problems"
    return elapsed, cpu, peak


def data_size(upper: Database) -> int:
    """Bytes of the upper office's data: its file, or its database on the server."""
    if upper.server is None:
        return upper.path.stat().st_size
    with upper.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()


def report_check(out: Figures, upper: Database, location: str) -> None:
    """On a server ``check`` runs the rules only (the server checks its own pages
    and keys): there ``--full`` adds every value against its form's rule alone."""
    size = data_size(upper)
    gb = size / 1e9
    sign_in_as = (ADMIN, demo_accounts.PASSWORD) if upper.vault is not None else ()
    elapsed, cpu, peak = timed_check(location, "quick", sign_in_as)
    out("check, per GB", elapsed / gb, target=10.0, baseline=18.0,
        note=f"{size / 1e6:.0f} MB in {elapsed:.1f} s; CPU {cpu / gb:.1f} s per GB")
    out("check's peak memory", round(peak), "MB", note="flat: the same at every size (before: grew)")
    elapsed, _, peak = timed_check(location, "full", sign_in_as)
    what = "every value against its form" + (", every index against its table" if upper.server is None else "")
    out(f"check --full ({what}), per GB", elapsed / gb, note=f"on request; peak memory {peak:.0f} MB")


def build(folder: Path, communes: int, households_each: int) -> tuple[list[Path], Path]:
    """The empty upper office (``upper/tinh.db``), each commune's full package and
    the last commune's incremental one, made in ``folder`` unless already there
    (for as many communes or more: then only read)."""
    made = folder / "made.json"
    kept = json.loads(made.read_text()) if made.exists() else None
    if kept is not None and kept[0] >= communes and kept[1] == households_each:
        print(f"{kept[0]} communes × {households_each} households: packages kept in {folder}")
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
    return chosen_packages(folder, communes)


def chosen_packages(folder: Path, communes: int) -> tuple[list[Path], Path]:
    """The first ``communes`` - 1 full packages and the last commune's, whose
    incremental package follows it."""
    packages = sorted((folder / "usb").glob("*/*.gcsync"))
    fulls = [min(sent.glob("*.gcsync"), key=lambda q: open_package(q).manifest.sequence)
             for sent in sorted({q.parent for q in packages})]
    incremental = next(p for p in packages if p not in fulls)
    return fulls[:communes - 1] + fulls[-1:], incremental


def upper_office(kept: Path, work: Path, store: str, server: str | None,
                 encrypted: bool = False) -> tuple[Database, str]:
    """A copy of the kept empty upper office (brought to this version's schema),
    opened as a file (``encrypted``: encrypted first; never asked of a server) or
    moved to the server; with the location ``check`` takes."""
    folder = work / store
    shutil.copytree(kept / "upper", folder)
    path = folder / "tinh.db"
    open_database(path).close()  # a kept file of an older version is upgraded first, as a user would
    if store == "sqlite":
        upper = open_database(path)
    else:
        address = parse_location(server)
        assert isinstance(address, ServerAddress)
        move_to_server(path, address, actor="bench")
        path.unlink()
        upper = open_database(address)
    upper = add_officers(upper, encrypt=encrypted)
    return upper, str(path) if store == "sqlite" else server


def run(packages: list[Path], incremental: Path, kept: Path, work: Path, store: str,
        server: str | None, encrypted: bool = False) -> Figures:
    encrypted = encrypted and store == "sqlite"
    print(f"— {STORES[store]}{' (encrypted file)' if encrypted else ''} —", flush=True)
    out = Figures(store)
    upper, location = upper_office(kept, work, store, server, encrypted)
    try:
        report_imports(out, import_round(upper, packages))
        report_incremental(out, upper, incremental)
        report_undo(out, upper, incremental, packages[-1])
        report_upper(out, upper, work / store, len(packages))
        report_window(out, location, work / store)
        report_check(out, upper, location)
    finally:
        upper.close()
    return out


def print_side_by_side(rounds: list[Figures], n: int) -> None:
    """Each figure of the SQLite round beside the PostgreSQL round's, then the imports' ratios."""
    print(f"side by side: {' | '.join(STORES[r.store] for r in rounds)}")
    labels = list(dict.fromkeys(label for r in rounds for label in r.rows))
    for label in labels:
        measured = [r.rows.get(label, (None, "s", {})) for r in rounds]
        unit, extra = next((m[1], m[2]) for m in measured if m[0] is not None)
        side_by_side(label, [m[0] for m in measured], unit, target=extra.get("target"))
    for label in ("import #1 (full package)", f"import #{n}", "the same full package imported again"):
        ratio = rounds[1].rows[label][0] / rounds[0].rows[label][0]
        figure(f"{label}: PostgreSQL / SQLite", ratio, "x", target=SERVER_RATIO_TARGET)


@contextmanager
def private_server() -> Iterator[str]:
    """A PostgreSQL server of its own in a temporary folder (a unix socket there,
    no TCP port), with an empty database; its URL. Stopped and removed after."""
    bin_dir = pg_local.pg_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL's server (initdb, pg_ctl) is not installed: apt-get install postgresql, "
                         "or give --server URL")
    folder = Path(tempfile.mkdtemp(prefix="gcbench-", dir="/tmp"))  # short: a socket's path has ~100 bytes
    pg_local.give_to_server_user(folder)
    password, data = secrets.token_urlsafe(12), folder / "data"
    given = folder / "pw"
    given.write_text(password + "\n", encoding="utf-8")
    pg_local.give_to_server_user(given)
    try:
        pg_local.init_cluster(bin_dir, data, superuser="bench", password_file=given)
        pg_local.start(bin_dir, data, log_file=folder / "server.log", options=f"-c listen_addresses='' -k {folder}")
        url = f"postgresql://bench:{password}@/tinh?host={folder}"
        import psycopg

        with psycopg.connect(host=str(folder), user="bench", password=password, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute('CREATE DATABASE "tinh"')
        yield url
    finally:
        pg_local.stop(bin_dir, data)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("communes", type=int, nargs="?", default=20)
    parser.add_argument("--households", type=int, default=3_000, help="households per commune")
    parser.add_argument("--keep", type=Path, help="folder keeping the packages between runs")
    parser.add_argument("--store", choices=[*STORES, "both"], default="sqlite", help="the upper office's store")
    parser.add_argument("--encrypted", action="store_true",
                        help="the upper office's file encrypted, as the set-up makes it with an administrator")
    parser.add_argument("--server", help="postgresql://… an empty database (default: a private server started here)")
    args = parser.parse_args()
    if args.communes < 2:
        parser.error("at least 2 communes")
    stores = list(STORES) if args.store == "both" else [args.store]
    print(f"province: {args.communes} communes × {args.households} households "
          f"(issue 16's figures are at 100 × 3,000)")
    with tempfile.TemporaryDirectory() as work:
        kept = args.keep or Path(work) / "kept"
        kept.mkdir(parents=True, exist_ok=True)
        packages, incremental = build(kept, args.communes, args.households)
        rounds = []
        for store in stores:
            if store == "sqlite" or args.server:
                rounds.append(run(packages, incremental, kept, Path(work), store, args.server, args.encrypted))
                continue
            with private_server() as url:
                rounds.append(run(packages, incremental, kept, Path(work), store, url))
        if len(rounds) > 1:
            print_side_by_side(rounds, len(packages))


if __name__ == "__main__":
    main()
