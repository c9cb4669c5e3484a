"""Moving an upper office's file to a database on a PostgreSQL server (issue 19).

The file is only read (a read-only connection, held under the office lock so that
nothing writes to it meanwhile) and stays byte-for-byte as it was. The server's
database must be empty: it gets the same schema revision, every table is copied
and each table's row count and content digest are compared on both sides, all in
one transaction: a refusal or a difference leaves the server as it was. A file
holding a value no form accepts (edited outside the app) is refused before the
server is touched, naming the first ones (``sync.stored_values``, as ``check --full``).

On the server the office starts a new incarnation (``incarnation.MIGRATE``), with
its own audit chain: the file may live on beside it, and the two must never
extend the same chain. The move itself is the new chain's first entry.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterator

import psycopg
from sqlalchemy import Boolean, Connection, delete, exists, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.access import Principal, Role, ensure_admin, file_has_accounts
from gocong_desktop.core.db.location import ServerAddress
from gocong_desktop.core.db.models import TABLE_NAMES, Account, AuditEntry, Office, OfficeRole, new_id, utcnow
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.db.server import checked_revision, connection_error, make_server_engine
from gocong_desktop.core.db.vault import WRONG_PASSWORD
from gocong_desktop.core.db.table_copy import Progress, copy_order, copy_tables, reset_sequences
from gocong_desktop.core.db.table_digest import TableDigest, read_only_file_engine, table_digest
from gocong_desktop.core.errors import DatabaseError, NotFoundError, PermissionDeniedError
from gocong_desktop.core.sync.stored_values import BadValue, bad_values
from gocong_desktop.core.sqlite import cipher
from gocong_desktop.core.sqlite.raw import APPLICATION_ID, connect_readonly, table_columns, tables
from gocong_desktop.core.storage import audit_chain, incarnation
from gocong_desktop.core.storage.lock import acquire_lock

ACTION = "move_to_server"  # the audit entry of the move, on the server
LOCK_HOLDER = "upper migrate"
WHAT = "chuyển dữ liệu lên máy chủ"
# Rows the schema's history itself writes (migration 0006 starts a clock): not data.
SCHEMA_ROWS = frozenset({"sync_clock"})
REFUSED_NAMED = 3  # values breaking their rules named in a refusal


@dataclass(frozen=True)
class MovedTable:
    name: str
    source: TableDigest
    target: TableDigest

    @property
    def matches(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class MoveSummary:
    source: Path
    target: ServerAddress
    tables: list[MovedTable]
    # An encrypted file's secrets stay in its key slots: the mover's password is
    # stored on the server with a new recovery code (shown once); the other active
    # accounts need a new password from an administrator.
    recovery_code: str | None = None
    need_password: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return sum(t.source.rows for t in self.tables)


class CopyMismatch(DatabaseError):
    """The copy on the server differs from the file: nothing was kept."""


def mover(path: Path, username: str | None, password: str | None) -> Principal | None:
    """Who moves the file: an administrator of it, password checked without writing
    to it (an encrypted file is unlocked with it). None: a file without accounts."""
    path = existing_file(path)
    if cipher.is_encrypted(path):
        from gocong_desktop.core.services.unlocking import unlock_with_password

        name = unlock_with_password(path, _named(path, username), password or "")
        principal = _account_now(path, name)
    elif file_has_accounts(path):
        from gocong_desktop.core.services.accounts import authenticate

        with _read_session(path) as session:
            principal = authenticate(session, _named(path, username), password or "")
    else:
        return None
    ensure_admin(principal.role, WHAT)
    return principal


def _named(path: Path, username: str | None) -> str:
    if not username:
        raise PermissionDeniedError(f"Dữ liệu «{path}» có tài khoản bảo vệ: chỉ quản trị viên mới được {WHAT}; "
                                    "hãy thêm «--user TÊN_ĐĂNG_NHẬP» của quản trị viên (sẽ hỏi mật khẩu).")
    return username


def _account_now(path: Path, username: str) -> Principal:
    from gocong_desktop.core.services.accounts import refreshed

    with _read_session(path) as session:
        principal = refreshed(session, Principal(username=username, display_name=username, role=Role.VIEWER))
    if principal is None:  # the key slot opened, but the account is gone or disabled
        raise PermissionDeniedError(WRONG_PASSWORD)
    return principal


def move_to_server(path: Path, address: ServerAddress, *, actor: str, password: str | None = None,
                   on_progress: Progress = lambda _table, _rows: None) -> MoveSummary:
    """Copy the upper office's file at ``path`` into the empty database at
    ``address`` and verify it; ``actor`` is recorded as who moved it (``mover``
    says who may). An encrypted file needs ``password``, the actor's, checked
    again here: it becomes their password on the server."""
    path = existing_file(path)
    encrypted = cipher.is_encrypted(path)
    if encrypted:  # the password kept on the server must be this administrator's own
        mover(path, actor, password)
    office = _checked_source(path)
    lock = acquire_lock(path, holder=LOCK_HOLDER)  # no writer while the file is read
    source_engine, target_engine = read_only_file_engine(path), make_server_engine(address)
    try:
        with source_engine.connect() as source, target_engine.begin() as target:
            _prepare_target(target, address)
            digests = _copied(source, target, on_progress)
            reset_sequences(target)
            moved = verify_copy(target, digests)
            code, others = _secrets_off_key_slots(target, actor, password) if encrypted else (None, ())
            _record_move(target, office, actor, {"from": str(path), "to": str(address),
                                                 "rows": sum(d.rows for d in digests.values()),
                                                 "need_password": list(others)})
        return MoveSummary(path, address, moved, code, others)
    except (DBAPIError, OSError) as exc:
        if (friendly := connection_error(exc, address)) is not None:
            raise friendly from exc
        raise
    finally:
        source_engine.dispose()
        target_engine.dispose()
        lock.release()


def existing_file(path: Path) -> Path:
    path = Path(path).expanduser().absolute()
    if not path.is_file():
        raise NotFoundError(f"Không tìm thấy tệp dữ liệu «{path}». Hãy kiểm tra đường dẫn.")
    return path


def _checked_source(path: Path) -> Office:
    """The file's office row, once the file is known to be an upper office's of this
    schema version (refused otherwise, untouched: read-only checks)."""
    revision = migrate.check_before_open(path, APPLICATION_ID)  # another program's, a newer version's
    if revision is None:
        raise DatabaseError(f"Tệp «{path}» còn trống, chưa có dữ liệu của đơn vị nào: không có gì để chuyển.")
    if revision != migrate.head_revision():
        raise DatabaseError(f"Tệp «{path}» được ghi bởi phiên bản cũ hơn (lược đồ {revision}, phiên bản này dùng "
                            f"{migrate.head_revision()}). Hãy mở tệp bằng phiên bản này một lần (chương trình tự "
                            "nâng cấp tệp, có sao lưu trước), rồi chuyển lại.")
    con = connect_readonly(path)
    try:
        wrong = _schema_difference(con)
        loose = _loose_booleans(con) if wrong is None else None
        office = con.execute("SELECT id, role, unit_id, upper_office_name FROM office WHERE id = 1").fetchone()
        ours = wrong is None and loose is None and office is not None and office[1] == OfficeRole.UPPER
        refused = _refused_values(con) if ours else []  # read only once the file is known to be one to move
    finally:
        con.close()
    if wrong is not None:
        raise DatabaseError(f"Tệp «{path}» có {wrong} khác lược đồ của phiên bản này: không chuyển được. "
                            "Hãy chạy «gocong-desktop check --db …» trên tệp.")
    if loose is not None:
        raise DatabaseError(f"Tệp «{path}» có {loose}: chỉ được 0, 1 hoặc để trống. Không chuyển được; tệp được "
                            "giữ nguyên, máy chủ chưa thay đổi gì.")
    if office is None or office[1] != OfficeRole.UPPER:
        raise DatabaseError(f"Tệp «{path}» là dữ liệu của một xã, không phải của cơ quan cấp trên: chỉ dữ liệu "
                            "cơ quan cấp trên mới chuyển lên máy chủ PostgreSQL.")
    if refused:
        raise _values_refusal(path, refused)
    return Office(id=office[0], role=office[1], unit_id=office[2], upper_office_name=office[3])


def _schema_difference(con: cipher.Connection) -> str | None:
    """What in the file differs from the models (a table or its columns), or None."""
    order, _late = copy_order()
    missing = set(TABLE_NAMES) - set(tables(con))
    if missing:
        return f"bảng {', '.join(sorted(missing))} thiếu"
    for table in order:
        if table_columns(con, table.name) != {c.name for c in table.columns}:
            return f"các cột của bảng {table.name}"
    return None


def _refused_values(con: cipher.Connection) -> list[BadValue]:
    """The first values breaking their form's rule (``check --full`` lists them all):
    a server must hold only what the app would have written (the first few suffice
    to refuse)."""
    return list(islice(bad_values(con, lambda table: table_columns(con, table)), REFUSED_NAMED + 1))


def _values_refusal(path: Path, refused: list[BadValue]) -> DatabaseError:
    named = "; ".join(bad.message.rstrip(".") for bad in refused[:REFUSED_NAMED])
    more = "; còn các giá trị sai khác" if len(refused) > REFUSED_NAMED else ""
    return DatabaseError(f"Tệp «{path}» có giá trị mà biểu mẫu của chương trình không nhận: {named}{more}. Không "
                         "chuyển được; tệp được giữ nguyên, máy chủ chưa thay đổi gì. Hãy chạy «gocong-desktop check "
                         f"--full --db \"{path}\"» để xem mọi giá trị sai, sửa chúng rồi chuyển lại.")


def _loose_booleans(con: cipher.Connection) -> str | None:
    """A yes/no column holding anything but 0, 1 or NULL (a crafted file's "có",
    "false"): read through the models it would arrive as True. One scan per table."""
    order, _late = copy_order()
    for table in order:
        flags = [c.name for c in table.columns if isinstance(c.type, Boolean)]
        if flags:
            where = " OR ".join(f'"{name}" NOT IN (0, 1)' for name in flags)
            if con.execute(f'SELECT 1 FROM "{table.name}" WHERE {where} LIMIT 1').fetchone():
                return f"giá trị có/không không hợp lệ ở bảng {table.name} (cột {', '.join(flags)})"
    return None


@contextmanager
def _read_session(path: Path) -> Iterator[Session]:
    engine = read_only_file_engine(path)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _prepare_target(conn: Connection, address: ServerAddress) -> None:
    """The schema on an empty database; one that holds any row is refused. The clock
    the schema's history starts (``SCHEMA_ROWS``) makes way for the file's own."""
    order, _late = copy_order()
    revision = checked_revision(conn, address, create=True)  # another program's, a newer version's
    if revision is not None:
        filled = [t.name for t in order if t.name not in SCHEMA_ROWS
                  and conn.execute(select(exists().select_from(t))).scalar()]
        if filled:
            raise DatabaseError(f"Cơ sở dữ liệu «{address}» đã có dữ liệu (bảng {', '.join(filled[:3])}…): chỉ "
                                "chuyển vào một cơ sở dữ liệu trống (tạo mới bằng createdb, chưa chạy init). "
                                "Chưa thay đổi gì.")
    if revision != migrate.head_revision():
        migrate.upgrade_server_connection(conn)
    for table in order:
        if table.name in SCHEMA_ROWS:
            conn.execute(delete(table))


def _copied(source: Connection, target: Connection, on_progress: Progress) -> dict[str, TableDigest]:
    """``copy_tables``; a row the server refuses (or a value the file holds that its
    column's type cannot read) is named by its table."""
    current = [""]

    def progress(table: str, rows: int) -> None:
        current[0] = table
        on_progress(table, rows)

    try:
        return copy_tables(source, target, progress)
    except (DBAPIError, psycopg.Error, ValueError, TypeError) as exc:
        driver = exc.orig if isinstance(exc, DBAPIError) else exc  # COPY speaks to the driver directly
        if isinstance(driver, psycopg.OperationalError) and driver.sqlstate is None:
            # the connection itself failed (libpq gives no SQLSTATE): said by the caller
            raise exc if isinstance(exc, DBAPIError) else OperationalError(None, None, exc) from exc
        reason = (str(driver).strip().splitlines() or [type(driver).__name__])[0]
        raise DatabaseError(f"Không chép được bảng «{current[0]}» lên máy chủ ({reason}). Đã hủy, máy chủ không "
                            "thay đổi gì; hãy chạy «gocong-desktop check --db …» trên tệp.") from exc


def verify_copy(target: Connection, digests: dict[str, TableDigest]) -> list[MovedTable]:
    """Each table's count and digest read back on ``target``, compared with the
    file's ``digests``; any difference raises ``CopyMismatch`` naming the tables."""
    order, _late = copy_order()
    moved = [MovedTable(t.name, digests[t.name], table_digest(target, t)) for t in order]
    different = [m for m in moved if not m.matches]
    if different:
        named = "; ".join(f"{m.name} ({m.source.rows} dòng trong tệp, {m.target.rows} trên máy chủ)"
                          for m in different)
        raise CopyMismatch(f"Bản chép trên máy chủ khác tệp gốc ở bảng {named}. Đã hủy, máy chủ không thay "
                           "đổi gì; tệp được giữ nguyên.")
    return moved


def _secrets_off_key_slots(conn: Connection, actor: str, password: str) -> tuple[str, tuple[str, ...]]:
    """An encrypted file's accounts hold their secrets in its key slots, which stay
    with the file: on the server the mover's password is stored as its hash, with a
    new recovery code (returned); the other active accounts are returned by name."""
    from gocong_desktop.core.services.accounts import IN_KEY_SLOT, hashed_secrets, new_recovery_code

    code = new_recovery_code()
    password_hash, recovery_hash = hashed_secrets(password, code)
    account = Account.__table__
    conn.execute(update(account).where(account.c.recovery_hash == IN_KEY_SLOT).values(recovery_hash=None))
    conn.execute(update(account).where(account.c.username == actor).values(
        password_hash=password_hash, recovery_hash=recovery_hash, updated_at=utcnow()))
    others = conn.execute(select(account.c.username).where(
        account.c.active.is_(True), account.c.password_hash == IN_KEY_SLOT).order_by(account.c.username))
    return code, tuple(others.scalars())


def _record_move(conn: Connection, office: Office, actor: str, summary: dict) -> None:
    """A new incarnation and chain on the server, opened by the move's audit entry."""
    execute = qmark_execute(conn)
    if incarnation.read_clock(execute) is not None:
        incarnation.fork(execute, incarnation.MIGRATE)
        execute("UPDATE sync_clock SET machine = NULL WHERE id = 1", ())  # a server's: written from any PC
    else:
        audit_chain.start_new_chain(execute)
    conn.execute(insert(AuditEntry.__table__).values(
        id=new_id(), at=utcnow(), actor=actor, action=ACTION, table_name="office", record_id=office.unit_id,
        changes_json=json.dumps(summary, ensure_ascii=False)))
    audit_chain.seal(execute)

