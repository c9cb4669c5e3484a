"""The CLI's fixed cost: what every command pays before it does its work.

    python bench/bench_cli.py [--households 50000] [--runs 5]

Each figure is the median wall time of ``--runs`` fresh processes, beside its
baseline (issue 16's targets):
- ``--version`` against a bare ``python -c pass`` (target: 0.15 s);
- a command on the demo database (``list hamlets``: a few rows, so nearly all of
  it is fixed cost) minus the Argon2id key derivation its sign-in asks for on
  purpose, printed on its own (target: 0.25 s); ``list households`` for scale;
- the import of the database layer alone: the floor of any command that opens a
  database (SQLAlchemy, SQLModel and the models are built at import);
- ``minutes`` of the demo's largest final meeting against a bare reportlab process
  writing a one-page PDF (target: 3x the bare process, plus the derivation).
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

from bench_minutes import _largest_final_meeting

from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.demo.accounts import ACCOUNTS, PASSWORD
from gocong_desktop.core.resources import resource_path
from gocong_desktop.core.sqlite.key_slots import PASSWORD as PASSWORD_SLOT
from gocong_desktop.core.sqlite.key_slots import read_table, who_of

USER = ACCOUNTS[0][0]  # the demo's administrator
BARE_PDF = """
import sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

pdfmetrics.registerFont(TTFont("BenchSerif", sys.argv[1]))
pdf = canvas.Canvas(sys.argv[2], pagesize=A4)
pdf.setFont("BenchSerif", 13)
pdf.drawString(85, 780, "Biên bản sinh hoạt Tổ nhân dân tự quản số 5, ấp Lợi An, xã Bình Tân")
pdf.save()
"""


def median_run(command: list[str], runs: int, env: dict[str, str], stdin: str | None = None) -> float:
    """Median wall time of ``command`` in fresh processes (each must succeed)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, input=stdin, env=env, capture_output=True, text=True, encoding="utf-8",
                       check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def derivation_time(db: Path, runs: int) -> float:
    """Median time of the Argon2id derivation a sign-in to ``db`` does (its slot's own costs)."""
    from argon2.low_level import Type, hash_secret_raw

    table = read_table(db)
    slot = table.find(PASSWORD_SLOT, who_of(table.file_id, USER))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        hash_secret_raw(PASSWORD.encode(), slot.salt, time_cost=slot.kdf["t"], memory_cost=slot.kdf["m"],
                        parallelism=slot.kdf["p"], hash_len=32, type=Type.ID)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def line(what: str, seconds: float, baseline: str) -> None:
    print(f"  {what:<44} {seconds * 1000:7.0f} ms   {baseline}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    py, runs = sys.executable, args.runs
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, PYTHONIOENCODING="utf-8",
                   **{f"XDG_{k}_HOME": str(Path(folder) / k.lower()) for k in ("DATA", "STATE", "CACHE")})
        db = Path(folder) / "demo.db"
        generate_demo(db, households=args.households, seed=1)
        meeting = _largest_final_meeting(db)
        cli = [py, "-m", "gocong_desktop"]
        signed = ["--db", str(db), "--user", USER, "--password-stdin"]
        print(f"CLI fixed cost: demo of {args.households} households, median of {runs} runs")

        bare_python = median_run([py, "-c", "pass"], runs, env)
        version = median_run([*cli, "--version"], runs, env)
        line("python -c pass", bare_python, "(baseline)")
        line("gocong-desktop --version", version, f"target 150 ms; {version / bare_python:.1f}x bare python")

        derive = derivation_time(db, runs)
        floor = median_run([py, "-c", "import gocong_desktop.core.db.engine"], runs, env)
        hamlets = median_run([*cli, "list", "hamlets", *signed], runs, env, stdin=PASSWORD + "\n")
        households = median_run([*cli, "list", "households", *signed], runs, env, stdin=PASSWORD + "\n")
        line("Argon2id derivation of a sign-in (on purpose)", derive, "(counted apart)")
        line("import of the database layer alone", floor, "(floor of any command on a database)")
        line("list hamlets, total", hamlets, "")
        line("list hamlets minus the derivation", hamlets - derive, "target 250 ms")
        line("list households, total", households, f"({households - derive:.2f} s without the derivation)")

        font = resource_path("fonts", "LiberationSerif-Regular.ttf")
        bare_pdf = median_run([py, "-c", BARE_PDF, str(font), str(Path(folder) / "bare.pdf")], runs, env)
        minutes = median_run([*cli, "minutes", "--meeting", meeting, "--out", str(Path(folder) / "m.pdf"),
                              *signed], runs, env, stdin=PASSWORD + "\n")
        line("bare reportlab process, one-page PDF", bare_pdf, "(baseline)")
        line("minutes, total", minutes, f"target {(3 * bare_pdf + derive) * 1000:.0f} ms (3x bare + derivation)")
        line("minutes minus the derivation", minutes - derive, f"{(minutes - derive) / bare_pdf:.1f}x bare "
             "(target 3x)")


if __name__ == "__main__":
    main()
