"""Sync fixtures: a commune (the shared ``db``/``seeded`` fixtures: xã Bình Tân),
an upper office, demo communes, and helpers to compare what each side holds."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.services import households, office
from gocong_desktop.core.services.privacy import DEFAULT_FIELDS, withheld_for
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.kinds import VERSIONED, VIOLATIONS, all_kinds
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sqlite.raw import connect
from tests.conftest import as_demo_admin, copy_database


def dump(path: Path) -> str:
    """Every schema entry and every row of every table, as text (to prove a refusal
    changed nothing). The app's own driver, keyed when the file is encrypted."""
    con = connect(Path(path))
    try:
        lines = [repr(row) for row in con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")]
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            lines += [f"{table}: {row!r}" for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
        return "\n".join(lines)
    finally:
        con.close()


def unit_of(db: Database) -> str:
    with db.session() as s:
        return office.get_office(s).unit_id


# Personal fields an office keeps home by default (privacy setting): not compared.
WITHHELD_BY_DEFAULT = withheld_for(DEFAULT_FIELDS)


def view(path: Path, unit_id: str, *, violations: bool = False) -> dict[str, list[tuple]]:
    """A commune's records as stored (any side): every versioned table's rows owned
    by the unit, and the households chosen for its model sites — without the
    personal fields that stay home by default."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for kind in all_kinds():
            if kind.mode != VERSIONED or (kind.name == VIOLATIONS and not violations):
                continue
            withheld = WITHHELD_BY_DEFAULT.get(kind.name, set())
            cols = ", ".join(c for c in kind.columns if c not in withheld)
            out[kind.name] = sorted(con.execute(f"SELECT {cols} FROM {kind.name} WHERE owner_unit_id = ?",
                                                (unit_id,)).fetchall())
        out["model_site_household"] = sorted(con.execute(
            "SELECT site_id, household_id FROM model_site_household WHERE site_id IN "
            "(SELECT id FROM model_site WHERE owner_unit_id = ?)", (unit_id,)).fetchall())
        return out
    finally:
        con.close()


def fingerprint_of(path: Path) -> str:
    return open_package(path).manifest.sender.fingerprint


def send(commune: Database, upper: Database, folder: Path, *, full: bool = False, trust: bool = True):
    """Export from the commune and import at the upper office: (summary, result)."""
    summary = export_package(commune, folder, full=full)
    trusted = [fingerprint_of(summary.path)] if trust else []
    return summary, import_package(upper, summary.path, trust=trusted)


def make_upper_office(path: Path) -> Path:
    """A new database set up for an upper office (Công an huyện Gò Công Tây), closed."""
    database = open_database(path, create=True)
    with database.session(actor="tester") as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện",
                            province_name="Tiền Giang")
    database.close()
    return path


@pytest.fixture(scope="session")
def _upper_file(tmp_path_factory) -> Path:
    return make_upper_office(tmp_path_factory.mktemp("upper") / "tinh.db")


@pytest.fixture
def upper(tmp_path: Path, _upper_file: Path) -> Database:
    path = tmp_path / "upper" / "tinh.db"
    path.parent.mkdir()
    copy_database(_upper_file, path)
    database = open_database(path)
    yield database
    database.close()


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


@pytest.fixture(scope="session")
def _demo_files(tmp_path_factory) -> list[Path]:
    """Small demo communes (100 households, two years of records), made once."""
    folder = tmp_path_factory.mktemp("demo")
    paths = []
    for seed, name in enumerate(NAMES):
        path = folder / f"xa-{seed}.db"
        generate_demo(path, households=100, seed=seed + 1, unit_name=name, unit_code=f"28{seed:03d}")
        paths.append(path)
    return paths


@pytest.fixture
def demo_communes(tmp_path: Path, _demo_files: list[Path]):
    """Fresh copies of the demo communes, opened on demand: ``demo_communes(n)``."""
    opened = []

    def make(n: int) -> list[DemoCommune]:
        out = []
        for i, src in enumerate(_demo_files[:n]):
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


def edit_household(db: Database, household_id: str, **changes) -> None:
    """Change a household through its form's service, as a clerk would."""
    with db.session(actor="thư ký") as s:
        data = households.household_input(s, household_id)
        for k, v in changes.items():
            setattr(data, k, v)
        households.update_household(s, household_id, data)
