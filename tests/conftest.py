"""Shared fixtures: real SQLite files in tmp_path, set up like a commune office."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from tests import app_sqlite as sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from gocong_desktop.core import paths
from gocong_desktop.core.sqlite import key_slots
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.services import accounts, groups, hamlets, households, office
from gocong_desktop.core.services.households import HouseholdInput


# Passwords and recovery codes are stretched at Argon2id's lowest allowed cost in
# this process: the suite derives keys hundreds of times (at the real cost, a third
# of the GUI tests' time). Each slot and hash records its costs, so files made here
# open anywhere; tests/test_password_costs.py checks the app's own costs in a
# process of its own.
PRODUCTION_KDF = dict(key_slots.DEFAULT_KDF)
key_slots.DEFAULT_KDF.update(t=1, m=8192, p=1)
accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)

# One PC for the whole run, subprocesses included: a database written "on another
# PC" starts a new incarnation (core/storage/incarnation.py); tests that want that set it.
os.environ["GOCONG_MACHINE_ID"] = "may-kiem-thu"


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (to prove a refused file was left untouched)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# A second process holding a database's lock, as a second running app would:
# prints "held", then keeps the lock until its stdin closes.
HOLD_LOCK = ("import sys; from gocong_desktop.core.storage.lock import acquire_lock; "
             "lock = acquire_lock(sys.argv[1]); print('held', flush=True); sys.stdin.read(); lock.release()")


def copy_database(source: Path, target: Path) -> Path:
    """Copy a database file with its key slot table, when it has one (an encrypted
    file without it cannot be opened)."""
    shutil.copyfile(source, target)
    slots = Path(f"{source}.khoa")
    if slots.exists():
        shutil.copyfile(slots, f"{target}.khoa")
    return Path(target)


def as_demo_admin(db: Database) -> Database:
    """Act as the demo's administrator (demo files have accounts; see core/demo/accounts.py)."""
    db.user = Principal(username="quantri", display_name="Quản trị viên (mẫu)", role=Role.ADMIN)
    return db


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table, read through plain sqlite3 (independent of the app)."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch) -> None:
    """Backups (data_dir()/sao-luu) and the log file go to fresh temporary folders for
    each test, never the user's; subprocesses inherit them. platformdirs reads
    XDG_DATA_HOME and XDG_STATE_HOME on every call."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("xdg-state")))
    if sys.platform == "win32":  # platformdirs reads no XDG_* there: the same folders, in this process
        monkeypatch.setattr(paths, "user_data_path", lambda app, appauthor=False: _xdg("DATA") / app)
        monkeypatch.setattr(paths, "user_log_path", lambda app, appauthor=False: _xdg("STATE") / app / "log")


def _xdg(kind: str) -> Path:
    """The folder XDG_<kind>_HOME names now (a test may have set its own)."""
    return Path(os.environ[f"XDG_{kind}_HOME"])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "xa.db"


@pytest.fixture(scope="session")
def _set_up_file(tmp_path_factory) -> Path:
    """Made once: a new database set up for xã Bình Tân, closed (no -wal left)."""
    path = tmp_path_factory.mktemp("template") / "xa.db"
    database = open_database(path, create=True)
    with database.session(actor="tester") as session:
        office.setup_office(session, unit_name="Bình Tân", unit_code="28513",
                            province_name="Tiền Giang", district_name="Gò Công Tây")
    database.close()
    return path


@pytest.fixture
def db(db_path: Path, _set_up_file: Path) -> Database:
    """A set-up commune database of its own for each test (a copy of the one
    made by open_database(create=True) + setup_office: migrating every time is slow)."""
    copy_database(_set_up_file, db_path)
    database = open_database(db_path)
    yield database
    database.close()


@dataclass
class Seeded:
    db: Database
    hamlet_a: str  # ấp Lợi An
    hamlet_b: str  # ấp Đồng Sơn
    group_a1: str  # Tổ 1, Lợi An
    group_a2: str  # Tổ 2, Lợi An
    group_b3: str  # Tổ 3, Đồng Sơn
    households: dict[str, str]  # head name -> id


SEED_HOUSEHOLDS = [
    # (head name, hamlet key, group key)
    ("Nguyễn Văn Ba", "a", "a1"),
    ("Lê Thị Hoa", "a", "a1"),
    ("Trần Minh Tâm", "a", "a1"),
    ("Phạm Văn An", "a", "a2"),
    ("Võ Thị Ánh", "a", "a2"),
    ("Đỗ Văn Đồng", "b", "b3"),
    ("Nguyễn Thị Bích", "b", "b3"),
]


@pytest.fixture
def seeded(db: Database) -> Seeded:
    """Two hamlets, three groups, seven households."""
    return seed(db)


def seed(db: Database) -> Seeded:
    """Fill a set-up commune database as ``seeded`` describes."""
    with db.session(actor="tester") as s:
        ha = hamlets.add_hamlet(s, "Lợi An")
        hb = hamlets.add_hamlet(s, "Đồng Sơn")
        g1 = groups.save_group(s, hamlet_id=ha, number=1)
        g2 = groups.save_group(s, hamlet_id=ha, number=2)
        g3 = groups.save_group(s, hamlet_id=hb, number=3)
        hamlet_of = {"a": ha, "b": hb}
        group_of = {"a1": g1, "a2": g2, "b3": g3}
        ids = {}
        for i, (name, hk, gk) in enumerate(SEED_HOUSEHOLDS):
            ids[name] = households.create_household(s, HouseholdInput(
                head_name=name, hamlet_id=hamlet_of[hk], group_id=group_of[gk],
                birth_year=1960 + i, members=2 + i % 3, address=f"{10 + i} đường liên ấp"))
    return Seeded(db=db, hamlet_a=ha, hamlet_b=hb, group_a1=g1, group_a2=g2, group_b3=g3,
                  households=ids)


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory) -> dict[str, Path]:
    """Two small demo files made once: "encrypted" as this version makes them, and
    "plain" as the previous version did (copy them before changing them)."""
    from gocong_desktop.core.demo import generate_demo

    folder = tmp_path_factory.mktemp("mau-ma-hoa")
    files = {"encrypted": folder / "mau.db", "plain": folder / "cu.db"}
    generate_demo(files["encrypted"], households=100)
    generate_demo(files["plain"], households=100, encrypted=False)
    return files



# ---- PostgreSQL (the upper office's server store, tests/pg_server.py) ---------------

@pytest.fixture(scope="session")
def pg_server():
    """One real server for the whole run; skipped only where its binaries are not
    installed (``make test`` installs them; tests/test_pg_server.py fails in CI without)."""
    from tests.pg_server import pg_bin_dir, start_server

    if pg_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not installed (make test installs the «postgresql» package)")
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A database on which the whole alembic history ran once: copied for each test."""
    from gocong_desktop.core.db.engine import open_server_database
    from gocong_desktop.core.db.location import ServerAddress

    name = pg_server.new_database()
    open_server_database(ServerAddress(pg_server.url(name)), create=True).close()  # no connection left: a template
    return name


@pytest.fixture
def pg_url(pg_server, pg_template) -> str:
    """The URL (as typed, password included) of a fresh database with the schema, no office yet."""
    return pg_server.url_text(pg_server.new_database(template=pg_template))


@pytest.fixture
def pg_empty_url(pg_server) -> str:
    """The URL of a fresh, empty database (no schema)."""
    return pg_server.url_text(pg_server.new_database())
