"""The CLI's fixed cost: what every command pays before it does its work.

    python bench/bench_cli.py [--households 50000] [--runs 5]

Each figure is the median wall time of ``--runs`` fresh processes, beside its
baseline (issue 16's targets):
- ``--version`` against a bare ``python -c pass`` (target: 0.15 s);
- a command on the demo database (``list hamlets``: a few rows, so nearly all of
  it is fixed cost) minus the Argon2id key derivation its sign-in asks for on
  purpose, printed on its own (target: 0.25 s); ``list households`` for scale;
- the import of the database layer alone (SQLAlchemy, SQLModel, the engine and the
  tables every open builds), and beneath it the floor no command on SQLModel goes
  under: a process importing SQLModel, declaring one table and reading it once
  through an ORM session on a SQLCipher connection;
- ``minutes`` of the demo's largest final meeting against a bare reportlab process
  writing a one-page PDF (target: 3x the bare process, plus the derivation).
Every command runs once first, so that its bytecode is cached as in an installed app.
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
from figures import figure

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


FLOOR = """
import sys
import sqlcipher3.dbapi2 as driver
from sqlmodel import Field, Session, SQLModel, create_engine, select

class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str

engine = create_engine("sqlite://", creator=lambda: driver.connect(sys.argv[1]), module=driver)
SQLModel.metadata.create_all(engine)
with Session(engine) as session:
    session.exec(select(Setting)).all()
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


def bench_env(folder: str) -> dict[str, str]:
    """Folders of the bench's own; bytecode written and kept, as an installed app
    has it (with PYTHONDONTWRITEBYTECODE every run would compile the app again)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8",
               **{f"XDG_{k}_HOME": str(Path(folder) / k.lower()) for k in ("DATA", "STATE", "CACHE")})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    py, runs = sys.executable, args.runs
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(folder)
        db = Path(folder) / "demo.db"
        generate_demo(db, households=args.households, seed=1)
        meeting = _largest_final_meeting(db)
        cli = [py, "-m", "gocong_desktop"]
        signed = ["--db", str(db), "--user", USER, "--password-stdin"]
        font = resource_path("fonts", "LiberationSerif-Regular.ttf")
        commands = {
            "python -c pass": ([py, "-c", "pass"], None),
            "bare reportlab process, one-page PDF": ([py, "-c", BARE_PDF, str(font), str(Path(folder) / "b.pdf")],
                                                     None),
            "--version": ([*cli, "--version"], None),
            "import of the database layer alone": ([py, "-c", "import gocong_desktop.core.db.engine"], None),
            "SQLModel floor": ([py, "-c", FLOOR, str(Path(folder) / "floor.db")], None),
            "list hamlets": ([*cli, "list", "hamlets", *signed], PASSWORD + "\n"),
            "list households": ([*cli, "list", "households", *signed], PASSWORD + "\n"),
            "minutes": ([*cli, "minutes", "--meeting", meeting, "--out", str(Path(folder) / "m.pdf"), *signed],
                        PASSWORD + "\n"),
        }
        for command, stdin in commands.values():  # compiles and caches the bytecode once
            median_run(command, 1, env, stdin)
        t = {what: median_run(command, runs, env, stdin) for what, (command, stdin) in commands.items()}
        derive = derivation_time(db, runs)
        report(t, derive, args.households, runs)


def report(t: dict[str, float], derive: float, households: int, runs: int) -> None:
    """Each figure beside issue 16's target and the figure measured before it."""
    bare, pdf = t["python -c pass"], t["bare reportlab process, one-page PDF"]
    print(f"CLI fixed cost: demo of {households} households (encrypted), median of {runs} runs")
    figure("python -c pass", bare, note="reference")
    figure("bare reportlab process, one-page PDF", pdf, note="reference")
    figure("Argon2id derivation of a sign-in (on purpose)", derive, note="counted apart")
    figure("gocong-desktop --version", t["--version"], target=0.15, baseline=0.55)
    figure("import of the database layer alone", t["import of the database layer alone"],
           note="SQLAlchemy, SQLModel, the engine and its tables")
    figure("SQLModel floor: import, one table, one ORM read", t["SQLModel floor"],
           note="no command on SQLModel goes under it")
    figure("list hamlets, total", t["list hamlets"])
    figure("list hamlets minus the derivation (fixed cost)", t["list hamlets"] - derive, target=0.25, baseline=0.55)
    figure("fixed cost above the SQLModel floor", t["list hamlets"] - derive - t["SQLModel floor"],
           note="what the app's own code adds")
    figure("list households, total", t["list households"], note=f"{t['list households'] - derive:.2f} s "
           "without the derivation")
    figure("minutes, total", t["minutes"], target=round(3 * pdf + derive, 2), note="3x bare reportlab + derivation")
    figure("minutes minus the derivation, over bare reportlab", (t["minutes"] - derive) / pdf, "x", target=3.0,
           baseline=11.0)


if __name__ == "__main__":
    main()
