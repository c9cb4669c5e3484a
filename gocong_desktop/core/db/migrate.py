"""Schema versions: refuse what we cannot read, back up, then upgrade.

Revisions are numbered "0001", "0002"...; the head's number is also written to
SQLite's ``user_version`` so that even a tool without alembic can tell which
version of the app wrote a file.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.sqlite.raw import connect_readonly

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x6763_6D69  # "gcmi": the PostgreSQL advisory lock held while migrating


if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config() -> "Config":
    from alembic.config import Config  # alembic costs ~0.14 s to import: only when migrating

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def known_revisions() -> set[str]:
    """Revision ids, read from the file names ("0001_initial_schema.py" -> "0001");
    a test checks they agree with alembic's own graph."""
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")}


def head_revision() -> str:
    return max(known_revisions(), key=int)


def schema_version() -> int:
    return int(head_revision())


NEWER = (
    "Cơ sở dữ liệu «{path}» được ghi bởi phiên bản gocong_desktop mới hơn "
    "(lược đồ {found}, phiên bản này đọc được đến {ours}). Hãy cập nhật phần mềm; "
    "tệp được giữ nguyên."
)


def check_before_open(path: Path, application_id: int) -> str | None:
    """Read-only checks, so that a refused file is left byte-for-byte untouched.
    Returns the file's alembic revision (None for a new, empty file)."""
    if path.is_dir():
        raise DatabaseError(f"«{path}» là một thư mục, không phải tệp cơ sở dữ liệu.")
    if path.stat().st_size == 0:
        return None
    try:
        # as_uri() percent-encodes "#", "?", "%" and spaces, which a raw
        # "file:{path}" would misread (and "#" would drop "mode=ro").
        # Without a -wal file there is nothing uncheckpointed to read, so open
        # "immutable": SQLite then leaves no -wal/-shm files beside a refused file.
        con = connect_readonly(path)  # keyed when encrypted (LockedError if nobody signed in)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            user_version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    except cipher.DatabaseError as exc:
        raise DatabaseError(
            f"Tệp «{path}» không phải cơ sở dữ liệu hợp lệ hoặc đã bị hỏng ({exc})."
        ) from exc
    if app_id not in (0, application_id) or (app_id == 0 and tables - {"alembic_version"}):
        raise DatabaseError(f"Tệp «{path}» không phải cơ sở dữ liệu của gocong_desktop.")
    ours = schema_version()
    if user_version > ours or (revision is not None and revision not in known_revisions()):
        raise DatabaseError(NEWER.format(path=path, found=revision or user_version, ours=ours))
    return revision


def backup_copy(path: Path, tag: str) -> Path:
    """A verified backup before upgrading from revision ``tag``, in the backup folder
    with the same rotation as every other backup (``backup.backup_before``)."""
    from gocong_desktop.core.storage.backup import BEFORE_MIGRATION, backup_before  # backup imports engine, which imports us

    return backup_before(path, f"{BEFORE_MIGRATION}-{tag}")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _upgrade_to_head(conn: Connection) -> None:
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def upgrade_server_connection(conn: Connection) -> None:
    """The whole history on an empty server database, inside the caller's transaction
    (moving a file there: the schema and the copied rows commit together, or neither)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    _upgrade_to_head(conn)


def upgrade(engine: Engine, path: Path, application_id: int) -> None:
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return
    if current is not None:
        backup_copy(path, current)
    with engine.connect() as conn:
        # Batch migrations copy tables; foreign keys are checked after, not during.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        _upgrade_to_head(conn)
        conn.exec_driver_sql(f"PRAGMA application_id={application_id}")
        conn.exec_driver_sql(f"PRAGMA user_version={int(head)}")
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade_server(engine: Engine) -> None:
    """The same history on a PostgreSQL database, in one transaction (its DDL is
    transactional: a failure leaves it as it was, so no copy is made first)."""
    from alembic.runtime.migration import MigrationContext

    if current_revision(engine) == head_revision():
        return
    with engine.begin() as conn:
        # Two officers' apps starting at once: the second waits, then finds it done.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        if MigrationContext.configure(conn).get_current_revision() != head_revision():
            _upgrade_to_head(conn)
