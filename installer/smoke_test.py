"""Build the PyInstaller bundle and smoke-test what it really does.

    .venv/bin/python installer/smoke_test.py             # build, then test (make bundle)
    .venv/bin/python installer/smoke_test.py --no-build  # test dist/gocong-desktop as it is

Runs the bundled executables, never the checkout:
  1. ``--version`` prints ``gocong-desktop <__version__>``;
  2. ``demo`` creates a 300-household commune in a temporary folder whose name has
     Vietnamese letters and spaces (the database gets the alembic head revision, so
     the migration scripts were found and loaded from the bundle);
  3. ``list meetings --json`` and ``minutes`` write a minutes PDF, which ``verify --file``
     reads back (the bundled QR decoder), and its Word copy;
  4. the GUI starts offscreen on that database, shows the main window and closes it
     cleanly (GOCONG_SMOKE_QUIT_AFTER_MS, read by gui/app.py), also when started the
     way Explorer opens a double-clicked ``.gcsync`` file;
  5. makensis, when installed, compiles installer/gocong_desktop.nsi against the
     bundle (no compression: a syntax and file-reference check, in seconds).
Prints the build time, bundle size and start-up times; exits non-zero on any failure.
Works on Linux and on Windows (where the console companion ``gocong-desktop-cli.exe``
runs the command-line steps: the windowed ``gocong-desktop.exe`` prints nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from version_info import package_version, version_tuple  # noqa: E402

APP = "gocong-desktop"
EXE = ".exe" if os.name == "nt" else ""
SMOKE_ENV = "GOCONG_SMOKE_QUIT_AFTER_MS"  # gui/app.py closes the main window this long after showing it
SMOKE_QUIT_MS = 500
TIMEOUT = 120


class SmokeFailure(Exception):
    pass


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def bundle_files(path: Path) -> list[Path]:
    """Real files (PyInstaller links duplicate libraries on Linux: counted once)."""
    return [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]


def build(dist: Path, work: Path) -> float:
    step("PyInstaller build")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(HERE / "gocong_desktop.spec")],
                   check=True, cwd=ROOT)
    return time.perf_counter() - started


class Bundle:
    def __init__(self, folder: Path, tmp: Path) -> None:
        self.folder = folder
        self.gui = folder / f"{APP}{EXE}"
        self.cli = folder / f"{APP}-cli{EXE}"
        for exe in (self.gui, self.cli):
            check(exe.is_file(), f"missing {exe}: build first (or drop --no-build)")
        self.env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1")
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            self.env[var] = str(tmp / "home" / var.lower())  # no developer settings or logs touched
        self.env.pop(SMOKE_ENV, None)

    def run(self, *args: str, exe: Path | None = None, env: dict | None = None,
            input: str | None = None) -> tuple[str, float]:
        started = time.perf_counter()
        done = subprocess.run([str(exe or self.cli), *args], capture_output=True, text=True, encoding="utf-8",
                              errors="replace", env=env or self.env, timeout=TIMEOUT, input=input)
        elapsed = time.perf_counter() - started
        if done.returncode != 0 or "Traceback" in (done.stderr or ""):
            raise SmokeFailure(f"{Path(exe or self.cli).name} {' '.join(args)} exited {done.returncode}\n"
                               f"stdout: {done.stdout}\nstderr: {done.stderr}")
        return done.stdout or "", elapsed

    def log_file(self) -> Path | None:
        found = sorted(Path(self.env["XDG_STATE_HOME"]).rglob("gocong_desktop.log"))
        if not found and os.name == "nt":
            found = sorted(Path(os.environ["LOCALAPPDATA"], "gocong_desktop", "Logs").glob("gocong_desktop.log"))
        return found[0] if found else None


# The demo file is encrypted: every command that reads it signs in (core/demo/accounts.py).
AS_ADMIN = ("--user", "quantri", "--password-stdin")
DEMO_PASSWORD = "demo1234\n"


def test_version(bundle: Bundle) -> float:
    step("--version")
    out, elapsed = bundle.run("--version")
    expected = f"{APP} {package_version()}"
    print(out.strip())
    check(out.strip() == expected, f"--version printed {out.strip()!r}, expected {expected!r}")
    return elapsed


def test_demo(bundle: Bundle, db: Path) -> None:
    step("demo --households 300 (encrypted), check, list households")
    out, elapsed = bundle.run("demo", "--db", str(db), "--households", "300")
    print(out.rstrip())
    check(db.is_file() and Path(f"{db}.khoa").is_file(), f"demo wrote no {db} with its key slot table")
    check(not db.read_bytes().startswith(b"SQLite format 3"), f"{db} is not encrypted")
    out, _ = bundle.run("check", "--db", str(db), *AS_ADMIN, input=DEMO_PASSWORD)
    print(out.strip())
    out, _ = bundle.run("list", "households", "--db", str(db), "--json", *AS_ADMIN, input=DEMO_PASSWORD)
    households = len(json.loads(out))
    check(250 <= households <= 300, f"{households} households listed, expected about 300")
    print(f"({households} households listed, demo {elapsed:.1f} s)")


def test_minutes(bundle: Bundle, db: Path, out_dir: Path) -> None:
    step("list meetings --json, minutes → PDF and Word")
    out, _ = bundle.run("list", "meetings", "--db", str(db), "--json", *AS_ADMIN, input=DEMO_PASSWORD)
    meetings = json.loads(out)
    check(bool(meetings), "the demo has no meetings")
    meeting = next((m for m in meetings if m["status"] == "final"), meetings[0])
    pdf = out_dir / "biên bản họp tổ.pdf"
    out, elapsed = bundle.run("minutes", "--db", str(db), "--meeting", meeting["id"], "--out", str(pdf),
                              *AS_ADMIN, input=DEMO_PASSWORD)
    print(out.strip())
    check(pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", f"no PDF at {pdf}")
    text = pdf_text(pdf)
    if text is not None:
        check("BIÊN BẢN" in text and meeting["group_name"].upper() in text.upper(),
              "the PDF lacks the heading or the group's name")
    print(f"({pdf.stat().st_size:,} bytes, {elapsed:.1f} s{'' if text is None else ', text checked'})")
    if meeting["status"] == "final":  # the bundled QR decoder (zxing-cpp) reads the PDF it just wrote
        out, elapsed = bundle.run("verify", "--db", str(db), "--file", str(pdf), *AS_ADMIN, input=DEMO_PASSWORD)
        check(out.startswith("Đúng: mã"), f"verify --file did not find the minutes genuine: {out!r}")
        print(f"verify --file: {out.splitlines()[0]} ({elapsed:.1f} s)")
    # The Word copy: python-docx reads its templates from the bundle (spec: collect_data_files("docx")).
    word = out_dir / "biên bản họp tổ.docx"
    out, elapsed = bundle.run("minutes", "--db", str(db), "--meeting", meeting["id"], "--out", str(word),
                              *AS_ADMIN, input=DEMO_PASSWORD)
    check(word.is_file() and word.read_bytes()[:2] == b"PK", f"no Word file at {word}")
    print(f"{out.strip()} ({word.stat().st_size:,} bytes, {elapsed:.1f} s)")


def pdf_text(path: Path) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # the [test] extra is not installed: the size and header check must do
        return None
    import unicodedata
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in PdfReader(path).pages))


def test_gui(bundle: Bundle, db: Path, tmp: Path) -> float:
    step(f"GUI offscreen: start, show the main window, close ({SMOKE_ENV}={SMOKE_QUIT_MS})")
    # The demo's administrator (core/demo/accounts.py), signed in without the dialog.
    env = dict(bundle.env, **{SMOKE_ENV: str(SMOKE_QUIT_MS), "GOCONG_SMOKE_SIGN_IN": "quantri:demo1234"})
    launched = datetime.now()
    _, elapsed = bundle.run("gui", "--db", str(db), exe=bundle.gui, env=env)
    shown_at = smoke_log_time(bundle, since=launched)
    startup = (shown_at - launched).total_seconds() - SMOKE_QUIT_MS / 1000
    print(f"window shown after ~{startup:.2f} s; process ran {elapsed:.2f} s in all and exited 0")

    step("GUI started as Explorer opens a double-clicked .gcsync file")
    package = tmp / "gói đồng bộ.gcsync"
    package.write_bytes(b"")  # only the command line is tested: the app opens the last database
    launched = datetime.now()
    bundle.run(str(package), exe=bundle.gui, env=env)
    smoke_log_time(bundle, since=launched)
    print("opened the last database and closed cleanly")
    return startup


def smoke_log_time(bundle: Bundle, *, since: datetime) -> datetime:
    """When the app logged that it closes its shown main window (this run's line)."""
    log = bundle.log_file()
    check(log is not None, "the app wrote no log file")
    text = log.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if _logged_at(line) and _logged_at(line) >= since]
    closing = [line for line in lines if "smoke test: main window" in line]
    check(len(closing) == 1, f"expected one 'smoke test' line in {log} since {since}:\n" + "\n".join(lines))
    check("visible=True" in closing[0], f"the main window was not visible: {closing[0]}")
    problems = [line for line in lines if " ERROR " in line or " CRITICAL " in line]
    check(not problems and "Traceback" not in text, f"errors in the log {log}:\n" + "\n".join(problems))
    return _logged_at(closing[0])


def _logged_at(line: str) -> datetime | None:
    """The time at the start of a log line ("2026-11-29 15:30:01,123 INFO ...")."""
    if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", line):
        return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
    return None


def test_nsis(bundle: Bundle, tmp: Path) -> float | None:
    step("makensis: installer script against the bundle (syntax and file check)")
    makensis = shutil.which("makensis") or next(
        (str(p) for p in (Path(os.environ.get("ProgramFiles(x86)", "-"), "NSIS", "makensis.exe"),
                          Path(os.environ.get("ProgramFiles", "-"), "NSIS", "makensis.exe")) if p.is_file()), None)
    if makensis is None:
        print("makensis not found: skipped (Debian: apt-get install nsis)")
        return None
    version = package_version()
    out = tmp / "setup-check.exe"
    sep = "/" if os.name == "nt" else "-"  # makensis takes /D on Windows, -D elsewhere
    args = [makensis, f"{sep}V2", f"{sep}WX", f"{sep}DVERSION={version}",
            f"{sep}DVERSION_NUMERIC={'.'.join(map(str, version_tuple(version)))}",
            f"{sep}DBUNDLE_DIR={bundle.folder}", f"{sep}DAPP_EXE={bundle.gui.name}",
            f"{sep}DCLI_EXE={bundle.cli.name}", f"{sep}DOUTFILE={out}", f"{sep}DFAST_CHECK",
            str(HERE / "gocong_desktop.nsi")]
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, errors="replace", cwd=HERE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SmokeFailure(f"makensis failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    check(out.is_file(), "makensis wrote no installer")
    print(f"compiled in {elapsed:.1f} s ({out.stat().st_size / 1e6:.0f} MB uncompressed)")
    out.unlink()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="test the bundle already in --dist")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="PyInstaller's output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="its work folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    build_time = None if args.no_build else build(args.dist, args.work)
    folder = args.dist / APP
    tmp = Path(tempfile.mkdtemp(prefix="gocong-smoke-"))
    data = tmp / "Nguyễn Văn A" / "dữ liệu xã"
    data.mkdir(parents=True)
    passed = 0
    try:
        bundle = Bundle(folder, tmp)
        files = bundle_files(folder)
        size = sum(p.stat().st_size for p in files)
        cli_start = test_version(bundle)
        passed += 1
        db = data / "xã Bình Tân.db"
        test_demo(bundle, db)
        passed += 1
        test_minutes(bundle, db, data)
        passed += 1
        gui_start = test_gui(bundle, db, data)
        passed += 2  # started directly, and for a .gcsync file
        nsis = test_nsis(bundle, tmp)
        passed += nsis is not None
    except (SmokeFailure, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"\nSMOKE TEST FAILED: {exc}", file=sys.stderr)
        print(f"smoke: {passed} passed, 1 failed")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    step("summary")
    if build_time is not None:
        print(f"build:            {build_time:.1f} s")
    print(f"bundle:           {folder} – {size / 1e6:.0f} MB in {len(files)} files")
    print(f"CLI start-up:     {cli_start:.2f} s (--version, whole process)")
    print(f"GUI start-up:     {gui_start:.2f} s (launch to main window shown)")
    print(f"makensis check:   {'skipped' if nsis is None else f'{nsis:.1f} s'}")
    print(f"total:            {time.perf_counter() - started:.1f} s")
    print(f"smoke: {passed} passed, 0 failed" + (", 1 skipped" if nsis is None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
