"""Sync helpers: what each side holds, sending a package, an upper office's file.
The fixtures (an upper office, demo communes, a USB folder) are in tests/core/conftest.py,
shared with the other core tests; the commune is the shared ``db``/``seeded`` (xã Bình Tân)."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from pathlib import Path


from sqlalchemy import inspect, text

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.services import households, office
from gocong_desktop.core.services.privacy import DEFAULT_FIELDS, withheld_for
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.kinds import VERSIONED, VIOLATIONS, all_kinds, get_kind
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.stored import storage_row
from tests.conftest import file_digest
from gocong_desktop.core.sqlite.raw import connect


def dump(db_or_path: Database | Path) -> str:
    """Every schema entry and every row of every table, as text (to prove a refusal
    changed nothing): of a file, with the app's own driver, keyed when the file is
    encrypted; of a server's database, every table's rows in primary key order."""
    if isinstance(db_or_path, Database):
        if db_or_path.server is not None:
            return _dump_server(db_or_path)
        db_or_path = db_or_path.path
    con = connect(Path(db_or_path))
    try:
        lines = [repr(row) for row in con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")]
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            lines += [f"{table}: {row!r}" for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
        return "\n".join(lines)
    finally:
        con.close()


def _dump_server(db: Database) -> str:
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        lines = []
        for table in sorted(inspector.get_table_names()):
            columns = [c["name"] for c in inspector.get_columns(table)]
            lines.append(f"{table}: {columns!r}")
            order = inspector.get_pk_constraint(table)["constrained_columns"] or columns
            keys = ", ".join(f'"{c}"' for c in order)
            lines += [f"{table}: {tuple(row)!r}" for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY {keys}'))]
        return "\n".join(lines)


def rows(db_or_path: Database | Path, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of raw SQL ("?" placeholders) read beside the app: a file with
    sqlite3, a server's database through its engine."""
    if isinstance(db_or_path, Database) and db_or_path.server is not None:
        with db_or_path.engine.connect() as conn:
            return [tuple(r) for r in qmark_execute(conn)(sql, params).all()]
    con = sqlite3.connect(db_or_path.path if isinstance(db_or_path, Database) else db_or_path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def write_beside(db: Database, sql: str, params: tuple | list = ()) -> None:
    """Raw SQL ("?" placeholders) written beside the app (a list of tuples: many
    rows), and committed: as someone editing the database outside it."""
    if db.server is not None:
        with db.engine.begin() as conn:
            qmark_execute(conn)(sql, params)
        return
    con = sqlite3.connect(db.path)
    try:
        (con.executemany if isinstance(params, list) else con.execute)(sql, params)
        con.commit()
    finally:
        con.close()


def state_of(db: Database) -> str:
    """What a refusal must leave as it was: a file's bytes (once the last import's log
    is copied into it: ``db/wal_checkpoint.py``), a server database's every row."""
    db.checkpoint.wait()
    return file_digest(db.path) if db.server is None else dump(db)


def file_problems(db: Database) -> list:
    """``check``'s problems of a file; a server's database is checked by its own
    tools (``check`` on a server is not part of the import's tests)."""
    from gocong_desktop.core.maintenance.check import check_database

    return check_database(db.path) if db.server is None else []


def unit_of(db: Database) -> str:
    with db.session() as s:
        return office.get_office(s).unit_id


# Personal fields an office keeps home by default (privacy setting): not compared.
WITHHELD_BY_DEFAULT = withheld_for(DEFAULT_FIELDS)


def view(db_or_path: Database | Path, unit_id: str, *, violations: bool = False) -> dict[str, list[tuple]]:
    """A commune's records as stored (any side, either store: a server's rows in
    SQLite's storage form): every versioned table's rows owned by the unit, and
    the households chosen for its model sites — without the personal fields that
    stay home by default."""
    if isinstance(db_or_path, Database) and db_or_path.server is not None:
        with db_or_path.engine.connect() as conn:
            return _view(lambda sql, params: qmark_execute(conn)(sql, params).all(), unit_id, violations, True)
    path = db_or_path.path if isinstance(db_or_path, Database) else db_or_path
    con = sqlite3.connect(path)
    try:
        return _view(lambda sql, params: con.execute(sql, params).fetchall(), unit_id, violations, False)
    finally:
        con.close()


def _view(read, unit_id: str, violations: bool, server: bool) -> dict[str, list[tuple]]:
    out = {}
    for kind in all_kinds():
        if kind.mode != VERSIONED or (kind.name == VIOLATIONS and not violations):
            continue
        withheld = WITHHELD_BY_DEFAULT.get(kind.name, set())
        cols = [c for c in kind.columns if c not in withheld]
        found = read(f"SELECT {', '.join(cols)} FROM {kind.name} WHERE owner_unit_id = ?", (unit_id,))
        if server:
            found = [_storage_form(kind, cols, row) for row in found]
        out[kind.name] = sorted(tuple(row) for row in found)
    out["model_site_household"] = sorted(tuple(row) for row in read(
        "SELECT site_id, household_id FROM model_site_household WHERE site_id IN "
        "(SELECT id FROM model_site WHERE owner_unit_id = ?)", (unit_id,)))
    return out


def stored_record(db_or_path: Database | Path, table: str, columns: list[str], record_id: str) -> tuple | None:
    """Some columns of one record as stored, in SQLite's storage form on either store."""
    found = rows(db_or_path, f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (record_id,))
    if not found:
        return None
    server = isinstance(db_or_path, Database) and db_or_path.server is not None
    return _storage_form(get_kind(table), columns, found[0]) if server else found[0]


def _storage_form(kind, cols: list[str], row) -> tuple:
    full = dict(zip(cols, row))
    stored = storage_row(kind, [full.get(c) for c in kind.columns])
    return tuple(stored[kind.index(c)] for c in cols)


def fingerprint_of(path: Path) -> str:
    return open_package(path).manifest.sender.fingerprint


def send(commune: Database, upper: Database, folder: Path, *, full: bool = False, trust: bool = True):
    """Export from the commune and import at the upper office: (summary, result)."""
    summary = export_package(commune, folder, full=full)
    trusted = [fingerprint_of(summary.path)] if trust else []
    return summary, import_package(upper, summary.path, trust=trusted)


def make_upper_office(path: Path | str) -> Path | str:
    """A new database (a file, or a server's database by its URL) set up for an
    upper office (Công an huyện Gò Công Tây), closed."""
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
