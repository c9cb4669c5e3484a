"""Opening a database: checks before any write, pragmas, migrations, sessions."""

from __future__ import annotations

import getpass
from gocong_desktop.core.sqlite import cipher
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from gocong_desktop.core.errors import DatabaseError, NotFoundError, UserError, os_reason
from gocong_desktop.core.db import access, changes, migrate, models, ownership, record_hooks
from gocong_desktop.core.sqlite import unlocked
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.storage.interrupted import finish_restore
from gocong_desktop.core.sqlite.io_errors import storage_error
from gocong_desktop.core.sqlite.raw import APPLICATION_ID
from gocong_desktop.core.sqlite.key_slots import KeySlotsError, new_data_key, new_table, write_table
from gocong_desktop.core.db.location import ServerAddress, parse_location
from gocong_desktop.core.db.models import Office
from gocong_desktop.core.db.server import checked_revision, connection_error, make_server_engine
from gocong_desktop.core.db.vault import Vault, install_slot_changes, mismatch_message, open_vault
from gocong_desktop.core.db.wal_checkpoint import BackgroundCheckpoint

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024


def _set_pragmas(dbapi_conn: cipher.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    # WAL + synchronous=FULL: a power cut never loses an acknowledged commit.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # 32 MB of decrypted pages kept per connection (SQLite's default is 2 MB): an encrypted
    # file decrypts each page it reads from disk again, so a search repeated while typing
    # should find its pages here (bench/bench_encryption.py: 3.5x slower without).
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cur.close()


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """``key``: the data key of an encrypted file, given to every connection first."""
    def connect() -> cipher.Connection:
        return cipher.connect(path, key, check_same_thread=False)

    # URL.create, not an f-string: a file name with "#", "?" or "%" (e.g. "Tổ #5.db")
    # must not be parsed as a URL. The creator opens the file; the URL only tells
    # SQLAlchemy it is a file (a pool of connections, not a single one).
    # LIFO: the connection used last, its cache of decrypted pages warm, is handed out next.
    # Handed out in turn (the default), each of the pool's connections had to read the
    # table in cold: the first three searches of 50,000 households took 130-160 ms each.
    engine = create_engine(URL.create("sqlite", database=str(path)), creator=connect, module=cipher.driver,
                           pool_use_lifo=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


@dataclass
class Database:
    """An open database: a file, or (``server``) a database on a PostgreSQL server,
    where ``path`` is None. Services get sessions from ``session()``."""

    path: Path | None
    engine: Engine
    _factory: sessionmaker = field(init=False, repr=False)
    _owner_unit_id: str | None = field(default=None, init=False, repr=False)
    _on_close: list[Callable[[], None]] = field(default_factory=list, init=False, repr=False)
    # A file's checkpoint after a sync write, run beside the next work (``wal_checkpoint.py``).
    checkpoint: BackgroundCheckpoint = field(init=False, repr=False)
    # The signed-in person (accounts.sign_in); None: the system (see access.py).
    user: Principal | None = field(default=None, init=False)
    # The key slots of an encrypted file (None: a plain file, from before encryption).
    vault: Vault | None = None
    server: ServerAddress | None = None

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, class_=Session, expire_on_commit=False)
        self.checkpoint = BackgroundCheckpoint(self.engine)
        event.listen(self._factory, "before_flush", _load_every_table)
        access.install_role_guard(self._factory)  # before the hooks that add audit entries
        record_hooks.install(self._factory)
        changes.install(self._factory)  # the tables each commit wrote, for the screens showing them
        install_slot_changes(self._factory)  # key slots written with the account change's commit
        ownership.install_read_only_guard(self._factory)  # another unit's records are read-only

    @contextmanager
    def session(self, *, actor: str | None = None) -> Iterator[Session]:
        """One session per user action: committed on success, rolled back on error."""
        session = self._factory()
        session.info["actor"] = actor or self.actor()
        session.info["vault"] = self.vault
        try:
            session.info["owner_unit_id"] = self.office_unit_id(session)  # first connect: may fail
            session.info["role"] = access.effective_role(session, self.user)
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            if (friendly := self._friendly_error(exc)) is not None:  # disk full, server gone
                raise friendly from exc
            raise
        finally:
            session.close()

    def _friendly_error(self, exc: BaseException) -> UserError | None:
        if self.server is not None:
            return connection_error(exc, self.server)
        return storage_error(exc, self.path)

    @property
    def where(self) -> str:
        """The file's path, or the server's URL with its password masked (for messages)."""
        return str(self.server if self.server is not None else self.path)

    @property
    def place(self) -> str:
        """The file's path, or the server's database as people name it (for the window)."""
        return str(self.path) if self.server is None else self.server.place

    def actor(self) -> str:
        """The name audit entries record: the signed-in account, else the OS user."""
        return self.user.username if self.user else _default_actor()

    def role(self) -> Role:
        """The acting role now (for writes that do not go through ``session()``)."""
        if self.user is not None:  # the usual case in the app: no query (asked on every screen build)
            return self.user.role
        with self.engine.connect() as conn:
            return access.effective_role(conn, self.user)

    def office_unit_id(self, session: Session) -> str | None:
        if self._owner_unit_id is None:
            office = session.get(Office, 1)
            self._owner_unit_id = office.unit_id if office else None
        return self._owner_unit_id

    def forget_office(self) -> None:
        """Call after the office row changes (set-up)."""
        self._owner_unit_id = None

    def call_on_close(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once when the database is closed (e.g. release its lock)."""
        self._on_close.append(fn)

    def release_connections(self) -> None:
        """No connection left holding the file (it is about to be replaced): the
        pool's closed once the checkpoint running beside the work has finished."""
        self.checkpoint.wait()
        self.engine.dispose()

    def close(self) -> None:
        self.release_connections()
        while self._on_close:
            self._on_close.pop()()


def _load_every_table(_session: Session, _context: object, _instances: object) -> None:
    """A flush may resolve a foreign key to the table it names (ordering inserts):
    every table is registered first (a read needs only the tables it names)."""
    models.load_all()


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows set-ups
        return "?"


def open_database(path: str | Path | ServerAddress, *, create: bool = False, key: bytes | None = None) -> Database:
    """Open (and migrate) the database at ``path``: a file, or a ``postgresql://`` URL
    (``open_server_database``; a URL is never taken for a path).

    With ``create`` a missing file is created; otherwise it is refused. A file
    that is not ours, or was written by a newer version, is refused untouched.
    An encrypted file needs its data key: ``key``, or the one unlocked in this
    process by signing in (``vault.unlock``); a new file is encrypted when
    ``key`` is given and its slot table was written first (``new_encrypted``).
    """
    location = parse_location(path)
    if isinstance(location, ServerAddress):
        if key is not None:
            raise DatabaseError("Cơ sở dữ liệu trên máy chủ PostgreSQL không dùng khóa mã hóa tệp.")
        return open_server_database(location, create=create)
    path = location.expanduser().absolute()
    finish_restore(path)  # a restore a power cut stopped before the file was in place
    vault = _vault_for(path, key)
    revision = None
    if path.is_file() and path.stat().st_size == 0 and not create:
        # Made by a file picker, or a copy cut short: set up on purpose only
        # (wizard, init), never turned into an empty database by a command.
        raise DatabaseError(f"Tệp «{path}» trống (0 byte), chưa có dữ liệu. Hãy chọn đúng tệp dữ liệu, "
                            "hoặc thiết lập đơn vị mới vào tệp này.")
    if path.exists():
        revision = _checked_before_open(path, vault)
    elif not create:
        raise NotFoundError(
            f"Không tìm thấy cơ sở dữ liệu «{path}». Hãy kiểm tra đường dẫn, "
            "hoặc tạo mới bằng lệnh «gocong-desktop init»."
        )
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Không tạo được thư mục «{path.parent}»: {os_reason(exc)}.") from exc
    engine = make_engine(path, vault.key if vault else None)
    if revision == migrate.head_revision():
        return Database(path=path, engine=engine, vault=vault)  # up to date: no alembic needed
    try:
        migrate.upgrade(engine, path, APPLICATION_ID)
    except BaseException as exc:
        engine.dispose()
        if (friendly := storage_error(exc, path)) is not None:  # read-only folder, disk full
            raise friendly from exc
        raise
    return Database(path=path, engine=engine, vault=vault)


def open_server_database(address: ServerAddress, *, create: bool = False) -> Database:
    """Open (and migrate) a database on a PostgreSQL server. With ``create`` an empty
    database gets the schema; without, it is refused (like a missing file)."""
    engine = make_server_engine(address)
    try:
        with engine.connect() as conn:
            revision = checked_revision(conn, address, create=create)
        if revision != migrate.head_revision():
            migrate.upgrade_server(engine)
    except BaseException as exc:
        engine.dispose()
        if (friendly := connection_error(exc, address)) is not None:
            raise friendly from exc
        raise
    return Database(path=None, engine=engine, server=address)


def _vault_for(path: Path, key: bytes | None) -> Vault | None:
    """The slot handle of an encrypted (or to-be-encrypted) file; None for a plain one."""
    if key is None:
        key = unlocked.key_for_path(path)  # None for plain; LockedError if nobody signed in
        if key is None:
            return None
    return open_vault(path, key)


def _checked_before_open(path: Path, vault: Vault | None) -> str | None:
    """``migrate.check_before_open``; on an encrypted file a key that does not read it
    means the slot table beside it is another file's (or the file is damaged): said by name."""
    try:
        return migrate.check_before_open(path, APPLICATION_ID)
    except DatabaseError as exc:
        if vault is not None and isinstance(exc.__cause__, cipher.DatabaseError):
            raise KeySlotsError(mismatch_message(path)) from exc
        raise


def new_encrypted(path: Path) -> bytes:
    """Write the slot table of a new encrypted database at ``path`` (before creating
    it) and return its data key; the first account's slot is added by the services."""
    if path.is_file() and path.stat().st_size > 0:  # never a new slot table beside existing data
        raise DatabaseError(f"Tệp «{path}» đã có dữ liệu; chưa thay đổi gì.")
    key = new_data_key()
    path.parent.mkdir(parents=True, exist_ok=True)  # the caller removes folders it made, on failure
    write_table(path, new_table(key))
    return key
