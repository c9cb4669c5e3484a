"""Schema versions: refuse what we cannot read, back up, then upgrade.

Revisions are numbered "0001", "0002"...; the head's number is also written to
SQLite's ``user_version`` so that even a tool without alembic can tell which
version of the app wrote a file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from ..errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def schema_version() -> int:
    return int(head_revision())


_NEWER = (
    "Cơ sở dữ liệu «{path}» được ghi bởi phiên bản gocong_desktop mới hơn "
    "(lược đồ {found}, phiên bản này đọc được đến {ours}). Hãy cập nhật phần mềm; "
    "tệp được giữ nguyên."
)


def check_before_open(path: Path, application_id: int) -> None:
    """Read-only checks, so that a refused file is left byte-for-byte untouched."""
    if path.is_dir():
        raise DatabaseError(f"«{path}» là một thư mục, không phải tệp cơ sở dữ liệu.")
    if path.stat().st_size == 0:
        return
    try:
        # as_uri() percent-encodes "#", "?", "%" and spaces, which a raw
        # "file:{path}" would misread (and "#" would drop "mode=ro").
        # Without a -wal file there is nothing uncheckpointed to read, so open
        # "immutable": SQLite then leaves no -wal/-shm files beside a refused file.
        wal = Path(f"{path}-wal").exists()
        mode = "mode=ro" if wal else "mode=ro&immutable=1"
        con = sqlite3.connect(f"{path.absolute().as_uri()}?{mode}", uri=True)
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
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Tệp «{path}» không phải cơ sở dữ liệu hợp lệ hoặc đã bị hỏng ({exc})."
        ) from exc
    if app_id not in (0, application_id) or (app_id == 0 and tables - {"alembic_version"}):
        raise DatabaseError(f"Tệp «{path}» không phải cơ sở dữ liệu của gocong_desktop.")
    ours = schema_version()
    if user_version > ours or (revision is not None and revision not in known_revisions()):
        raise DatabaseError(_NEWER.format(path=path, found=revision or user_version, ours=ours))


def backup_copy(path: Path, tag: str) -> Path:
    """A consistent copy through SQLite's backup API, verified before use."""
    target = path.with_name(f"{path.stem}.truoc-nang-cap-{tag}{path.suffix or '.db'}")
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        raise DatabaseError(f"Bản sao lưu trước khi nâng cấp «{target}» bị lỗi; chưa nâng cấp.")
    return target


def upgrade(engine: Engine, path: Path, application_id: int) -> None:
    head = head_revision()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    if current is not None:
        backup_copy(path, current)
    cfg = alembic_config()
    with engine.connect() as conn:
        # Batch migrations copy tables; foreign keys are checked after, not during.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.exec_driver_sql(f"PRAGMA application_id={application_id}")
        conn.exec_driver_sql(f"PRAGMA user_version={int(head)}")
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
