"""Sync helpers: what each side holds, sending a package, an upper office's file.
The fixtures (an upper office, demo communes, a USB folder) are in tests/core/conftest.py,
shared with the other core tests; the commune is the shared ``db``/``seeded`` (xã Bình Tân)."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from pathlib import Path


from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.services import households, office
from gocong_desktop.core.services.privacy import DEFAULT_FIELDS, withheld_for
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.kinds import VERSIONED, VIOLATIONS, all_kinds
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sqlite.raw import connect


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


def edit_household(db: Database, household_id: str, **changes) -> None:
    """Change a household through its form's service, as a clerk would."""
    with db.session(actor="thư ký") as s:
        data = households.household_input(s, household_id)
        for k, v in changes.items():
            setattr(data, k, v)
        households.update_household(s, household_id, data)
