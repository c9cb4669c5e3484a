"""A real PostgreSQL server for the tests, started once per session.

It listens on a unix socket in its own temporary folder only (no TCP port, so two
runs on one machine never collide), trusts local connections and is stopped and
removed at the end. As root (CI, ``make test``) initdb refuses to run, so the
server runs as the ``postgres`` user that Debian's package creates.

Each test that needs a database gets a fresh one, copied from a template on which
the whole alembic history already ran (``CREATE DATABASE … TEMPLATE``: ~0.1 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from sqlalchemy import URL

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # newest first
SUPERUSER = "gocong"
PASSWORD = "mật-khẩu-máy-chủ"  # scram-sha-256: a wrong password is refused, as on a real server
PORT = 5432  # names the socket file only: the server listens on no TCP port
START_TIMEOUT_S = 30


def pg_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian's layout, else the PATH)."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class PgServer:
    """A running server; ``url(name)`` is the address of one database on it."""

    bin_dir: Path
    folder: Path
    _names: count

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", *, password: str | None = PASSWORD) -> URL:
        return URL.create("postgresql+psycopg", username=SUPERUSER, password=password, database=database,
                          query={"host": str(self.folder), "port": str(PORT)})

    def url_text(self, database: str = "postgres", *, password: str | None = PASSWORD) -> str:
        """The URL as a user types it (for the CLI)."""
        return self.url(database, password=password).render_as_string(hide_password=False)

    def admin(self, sql: str) -> None:
        """One statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host=str(self.folder), port=PORT, user=SUPERUSER, password=PASSWORD,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """A new database's name (copied from ``template`` when given)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def stop(self) -> None:
        subprocess.run(_as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir),
                                        "-m", "immediate", "-w", "stop"]), capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PgServer:
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    # Short path under /tmp: a unix socket's path is limited to ~100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="gcpg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PgServer(bin_dir=bin_dir, folder=folder, _names=count(1))
    password_file = folder / "pw"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(password_file, "postgres", "postgres")
    try:
        _run(_as_server_user([str(bin_dir / "initdb"), "-D", str(server.data_dir), "-A", "scram-sha-256",
                              f"--pwfile={password_file}", "-U", SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8",
                              "--no-sync"]))
        options = f"-c listen_addresses='' -k {folder} -p {PORT} -c fsync=off"
        _run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-l",
                              str(folder / "server.log"), "-o", options, "-t", str(START_TIMEOUT_S),
                              "-w", "start"]))
    except BaseException:
        server.stop()
        raise
    return server


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
