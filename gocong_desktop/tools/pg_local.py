"""A PostgreSQL server in a folder of its own, run with the distribution's binaries:
made (initdb), started and stopped with pg_ctl. Used by ``make pg-demo``
(``tools/pg_demo.py``) and by the tests' server (``tests/pg_server.py``).

As root initdb refuses to run: the server then runs as the ``postgres`` user that
Debian's package creates, and its folder belongs to that user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # newest first
START_TIMEOUT_S = 30
SERVER_USER = "postgres"


def pg_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian's layout, else the PATH)."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *argv] if os.geteuid() == 0 else argv


def give_to_server_user(path: Path) -> None:
    """As root: the server's own files belong to the user it runs as."""
    if os.geteuid() == 0:
        shutil.chown(path, SERVER_USER, SERVER_USER)


def server_user_reaches(folder: Path) -> bool:
    """The user the server runs as can go into ``folder`` (as root: every parent must let it through)."""
    if os.geteuid() != 0:
        return True
    return subprocess.run(as_server_user(["test", "-x", str(folder)]), capture_output=True).returncode == 0


def init_cluster(bin_dir: Path, data_dir: Path, *, superuser: str, password_file: Path) -> None:
    """A new cluster whose superuser logs in with the password in ``password_file``
    (scram-sha-256: a wrong password is refused, as on a real server)."""
    run(as_server_user([str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "scram-sha-256",
                        f"--pwfile={password_file}", "-U", superuser, "-E", "UTF8", "--locale=C.UTF-8",
                        "--no-sync"]))


def start(bin_dir: Path, data_dir: Path, *, log_file: Path, options: str) -> None:
    """``options``: the server's own (``-c listen_addresses=… -k SOCKET_DIR -p PORT``)."""
    run(as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-o", options,
                        "-t", str(START_TIMEOUT_S), "-w", "start"]))


def is_running(bin_dir: Path, data_dir: Path) -> bool:
    done = subprocess.run(as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "status"]),
                          capture_output=True)
    return done.returncode == 0


def stop(bin_dir: Path, data_dir: Path, *, mode: str = "fast") -> bool:
    """Stopped (True), or was not running (False). ``immediate``: no clean shutdown (tests)."""
    done = subprocess.run(as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", mode, "-w",
                                          "stop"]), capture_output=True)
    return done.returncode == 0


def run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
