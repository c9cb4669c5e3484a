"""Core fixtures shared by tests/core and tests/core/sync: an upper office, demo
communes (each made once, when a test first needs it) and a USB folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.sqlite import unlocked
from gocong_desktop.core.sqlite.key_slots import read_table
from tests import app_sqlite
from tests.conftest import as_demo_admin, copy_database
from tests.core.sync.conftest import make_upper_office, send, unit_of


# The upper office runs on both stores (issue 19): a test using ``upper`` runs on a
# SQLite file and on a PostgreSQL database. A module (or test) that only uses the
# upper office on the way to something else — or reads its file directly — is
# marked ``upper_sqlite`` and runs once, on SQLite.
UPPER_STORES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.pg))


def pytest_generate_tests(metafunc) -> None:
    if "upper" in metafunc.fixturenames and not hasattr(metafunc.module, "upper"):  # not a module's own
        sqlite_only = metafunc.definition.get_closest_marker("upper_sqlite") is not None
        metafunc.parametrize("upper", ("sqlite",) if sqlite_only else UPPER_STORES, indirect=True)


@pytest.fixture(scope="session")
def _upper_file(tmp_path_factory) -> Path:
    return make_upper_office(tmp_path_factory.mktemp("upper") / "tinh.db")


@pytest.fixture(scope="session")
def _upper_template(pg_server) -> str:
    """A PostgreSQL database set up as the upper office once, copied for each test."""
    name = pg_server.new_database()
    make_upper_office(pg_server.url_text(name))  # closed: a template has no connection left
    return name


@pytest.fixture
def upper(request, tmp_path: Path) -> Database:
    """An upper office (Công an huyện Gò Công Tây), on the store the test is run for."""
    if getattr(request, "param", "sqlite") == "sqlite":
        database = sqlite_upper_at(tmp_path, request.getfixturevalue("_upper_file"))
    else:
        database = open_database(request.getfixturevalue("pg_upper_url"))
    yield database
    database.close()


@pytest.fixture
def pg_upper_url(pg_server, _upper_template) -> str:
    """The URL of a fresh PostgreSQL database set up as the upper office, dropped
    after the test: hundreds of them left to the end would be gigabytes to delete."""
    name = pg_server.new_database(template=_upper_template)
    yield pg_server.url_text(name)
    pg_server.admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def sqlite_upper_at(tmp_path: Path, source: Path) -> Database:
    path = tmp_path / "upper" / "tinh.db"
    path.parent.mkdir()
    copy_database(source, path)
    return open_database(path)


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "USB Nguyễn Văn A"
    folder.mkdir()
    return folder


@dataclass
class DemoCommune:
    db: Database
    unit_id: str
    name: str


NAMES = ["Bình Tân", "Bình Nhì", "Bình Phú", "Đồng Sơn", "Đồng Thạnh", "Long Bình", "Long Vĩnh",
         "Thành Công", "Thạnh Nhựt", "Thạnh Trị", "Vĩnh Hựu", "Yên Luông", "Vĩnh Bình"]


class DemoFiles:
    """Small demo communes (100 households, two years of records), the i-th made
    with seed i + 1 the first time a test needs it, then kept for the session with
    its data key (a test may forget the keys this process unlocked)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[int, tuple[Path, str, bytes]] = {}

    def first(self, n: int) -> list[Path]:
        return [self.file(i) for i in range(n)]

    def file(self, i: int) -> Path:
        if i not in self._made:
            path = self.folder / f"xa-{i}.db"
            generate_demo(path, households=100, seed=i + 1, unit_name=NAMES[i], unit_code=f"28{i:03d}")
            key_id = read_table(path).key_id
            self._made[i] = (path, key_id, unlocked.key_of(key_id))
        path, key_id, key = self._made[i]
        unlocked.remember(key_id, key)  # as the demo's administrator signed in to it
        return path


@pytest.fixture(scope="session")
def _demo_files(tmp_path_factory) -> DemoFiles:
    return DemoFiles(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_communes(tmp_path: Path, _demo_files: DemoFiles):
    """Fresh copies of the demo communes, opened on demand: ``demo_communes(n)``."""
    opened = []

    def make(n: int) -> list[DemoCommune]:
        out = []
        for i, src in enumerate(_demo_files.first(n)):
            path = tmp_path / "communes" / src.name
            path.parent.mkdir(exist_ok=True)
            copy_database(src, path)
            database = as_demo_admin(open_database(path))
            opened.append(database)
            out.append(DemoCommune(database, unit_of(database), NAMES[i]))
        return out
    yield make
    for database in opened:
        database.close()


@pytest.fixture(scope="session")
def upper_with_communes(tmp_path_factory, _demo_files: DemoFiles) -> Path:
    """An upper office's file (plain, no accounts) that imported the full packages of
    two demo communes, closed: the real data an upper office moves to a server."""
    folder = tmp_path_factory.mktemp("upper-with-communes")
    upper = open_database(make_upper_office(folder / "tinh.db"))
    try:
        for src in _demo_files.first(2):
            commune = as_demo_admin(open_database(copy_database(src, folder / src.name)))
            try:
                send(commune, upper, folder)
            finally:
                commune.close()
    finally:
        upper.close()
    return folder / "tinh.db"


# ---- a demo commune for the checks (test_check*.py) ---------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("check") / "demo.db"
    generate_demo(path, households=120, seed=3)
    return path


@pytest.fixture
def broken(demo, tmp_path):
    """A copy of the demo and a raw connection to break it with (no foreign keys)."""
    path = tmp_path / "hong.db"
    copy_database(demo, path)
    con = app_sqlite.connect(path, isolation_level=None)
    yield path, con
    con.close()
