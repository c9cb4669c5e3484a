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
import tempfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from sqlalchemy import URL

from gocong_desktop.tools.pg_local import give_to_server_user, init_cluster, pg_bin_dir, start, stop

SUPERUSER = "gocong"
PASSWORD = "mật-khẩu-máy-chủ"  # scram-sha-256: a wrong password is refused, as on a real server
PORT = 5432  # names the socket file only: the server listens on no TCP port


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
        stop(self.bin_dir, self.data_dir, mode="immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PgServer:
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    # Short path under /tmp: a unix socket's path is limited to ~100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="gcpg-", dir="/tmp"))
    give_to_server_user(folder)
    server = PgServer(bin_dir=bin_dir, folder=folder, _names=count(1))
    password_file = folder / "pw"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    give_to_server_user(password_file)
    try:
        init_cluster(bin_dir, server.data_dir, superuser=SUPERUSER, password_file=password_file)
        start(bin_dir, server.data_dir, log_file=folder / "server.log",
              options=f"-c listen_addresses='' -k {folder} -p {PORT} -c fsync=off")
    except BaseException:
        server.stop()
        raise
    return server


def server_tables(url: str) -> set[str]:
    """The names of the tables in the database at ``url``."""
    from sqlalchemy import create_engine, inspect

    from gocong_desktop.core.db.location import parse_server_url

    engine = create_engine(parse_server_url(url).url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
