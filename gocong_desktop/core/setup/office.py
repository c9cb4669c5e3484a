"""Setting up an office database (wizard and CLI alike): the hamlet list, the
storage-place warning, and creating the database in one all-or-nothing step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from gocong_desktop.core.db.engine import Database, new_encrypted, open_database
from gocong_desktop.core.db.location import ServerAddress, parse_location
from gocong_desktop.core.sqlite.files import discard_created, missing_parents
from gocong_desktop.core.sqlite.key_slots import read_table
from gocong_desktop.core.sqlite.unlocked import remember
from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.demo import DemoSummary, generate_demo
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.paths import default_database_path
from gocong_desktop.core.rules import field_rule
from gocong_desktop.core.services.account_names import normal_username
from gocong_desktop.core.services.accounts import create_first_admin
from gocong_desktop.core.sync.escrow import KeyBackup, install_key_backup
from gocong_desktop.core.sync.keys import ensure_office_keys
from gocong_desktop.core.services.hamlets import add_hamlet
from gocong_desktop.core.services.office import find_office, setup_office
from gocong_desktop.core.services.prevention import ensure_default_catalogue
from gocong_desktop.core.text import fold, nfc
from gocong_desktop.core.setup.storage_place import storage_warning  # noqa: F401 (its callers import it from here)

HAMLET_TYPES = ("ấp", "khu phố", "khóm")
MAX_NAME = field_rule("admin_unit", "name").max_len
# Mount points of USB sticks and network shares on Linux and macOS.

@dataclass(frozen=True)
class FirstAdmin:
    """The first administrator account, made with the office."""

    username: str
    display_name: str
    password: str
    confirm: str | None = None

    def __repr__(self) -> str:  # never a password in a log or a traceback
        return f"FirstAdmin(username={self.username!r})"


@dataclass(frozen=True)
class CreatedOffice:
    path: Path | ServerAddress
    recovery_code: str | None  # shown once to the administrator; None without an account


@dataclass(frozen=True)
class OfficeSetup:
    role: str
    unit_type: str
    unit_name: str
    province: str
    unit_code: str | None = None
    district: str | None = None
    upper_office: str | None = None
    hamlet_type: str = "ấp"
    hamlets: tuple[str, ...] = ()
    admin: FirstAdmin | None = None  # the wizard always makes one; the CLI may later
    key_backup: KeyBackup | None = None  # set up again on a new PC: the unit's id and keys from its backup


def setup_from_key_backup(backup: KeyBackup, **kwargs) -> OfficeSetup:
    """The office of a key backup set up again (same unit, names, keys);
    ``kwargs``: the rest (hamlets, first administrator)."""
    office = backup.info.office
    return OfficeSetup(role=office.role, unit_type=office.unit_type, unit_name=office.unit_name,
                       province=office.province_name or "", unit_code=office.unit_code,
                       district=office.district_name, upper_office=office.upper_office_name,
                       key_backup=backup, **kwargs)


@dataclass
class HamletList:
    names: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (dropped, kept)
    too_long: list[str] = field(default_factory=list)


def parse_hamlets(text: str, type_word: str = "ấp") -> HamletList:
    """One hamlet per line: NFC, blank lines ignored, a leading type word
    ("ấp Lợi An") dropped, and names that differ only by marks or case kept
    once — the services treat them as the same hamlet."""
    result, seen = HamletList(), {}
    for raw in text.splitlines():
        name = _without_type_word(nfc(raw) or "", type_word)
        if not name:
            continue
        key = fold(name)
        if key in seen:
            result.duplicates.append((name, seen[key]))
            continue
        seen[key] = name
        result.names.append(name)
        if len(name) > MAX_NAME:
            result.too_long.append(name)
    return result


def _without_type_word(name: str, type_word: str) -> str:
    words, type_words = name.split(), type_word.split()
    n = len(type_words)
    if n and len(words) > n and fold(" ".join(words[:n])) == fold(type_word):
        return " ".join(words[n:])
    return name


def default_demo_path() -> Path:
    """Demo data lives beside, never in, the real database."""
    return default_database_path().with_name("du-lieu-mau.db")


def create_demo_database(path: Path, *, households: int = 1500) -> DemoSummary | None:
    """Demo data in ``path``; None when a demo made earlier is reused."""
    path = Path(path).expanduser()
    if path.is_file() and path.stat().st_size > 0:
        return None
    return generate_demo(path, households=households)


def create_office_database(path: str | Path | ServerAddress, setup: OfficeSetup) -> CreatedOffice:
    """Create (or fill an empty) database for ``setup``: the office, its
    hamlets, the default catalogue and the first administrator in one transaction. On any failure
    nothing is left behind: a file or folder we made is removed again.
    ``path`` may be a ``postgresql://`` URL (an upper office on a server)."""
    location = parse_location(path)
    if isinstance(location, ServerAddress):
        return _create_on_server(location, setup)
    path = location.expanduser()
    if path.is_dir():
        raise ValidationError(f"«{path}» là một thư mục; hãy nhập cả tên tệp, ví dụ «gocong.db».",
                              field="path")
    was_empty = path.is_file() and path.stat().st_size == 0
    existed, new_dirs = path.exists(), missing_parents(path)
    db: Database | None = None
    try:
        # With an administrator the file is encrypted from its first byte; without
        # one (a CLI init that adds accounts later) there is no password to wrap its key.
        new_file = not existed or was_empty  # an existing file is only read (and refused)
        key = new_encrypted(path) if setup.admin is not None and new_file else None
        db = open_database(path, create=True, key=key)
        with db.session() as session:
            code = _set_up(session, setup, f"Tệp «{path}» đã có dữ liệu của {{office}}. Hãy chọn tên "
                                           "tệp khác, hoặc mở tệp đó thay vì thiết lập lại.")
    except BaseException:
        if db is not None:
            db.close()
        if not existed or was_empty:  # an existing database is never touched
            discard_created(path, was_empty_file=was_empty, new_dirs=new_dirs)
        raise
    db.close()
    if key is not None:  # the administrator who just chose the password is not asked for it again
        remember(read_table(path).key_id, key, normal_username(setup.admin.username))
    return CreatedOffice(path=path, recovery_code=code)


def _create_on_server(address: ServerAddress, setup: OfficeSetup) -> CreatedOffice:
    """The upper office on a PostgreSQL server: the schema, then the set-up in one
    transaction. A shared database gets its administrator from the start (no key
    slots: the server's own accounts guard the data). A failed set-up leaves at most
    the empty schema, which a new ``init`` fills."""
    if setup.role != OfficeRole.UPPER:
        raise ValidationError("Cơ sở dữ liệu trên máy chủ PostgreSQL chỉ dành cho cơ quan cấp trên "
                              "(--role upper); xã dùng một tệp trên máy của mình.")
    if setup.admin is None:
        raise ValidationError("Cơ sở dữ liệu trên máy chủ dùng chung cần quản trị viên ngay từ đầu: "
                              "hãy cho biết tài khoản quản trị (--admin TÊN_ĐĂNG_NHẬP).")
    db = open_database(address, create=True)
    try:
        with db.session() as session:
            code = _set_up(session, setup, f"Cơ sở dữ liệu «{address}» đã có dữ liệu của {{office}}; chưa "
                                           "thay đổi gì. Hãy dùng cơ sở dữ liệu khác, hoặc mở nó thay vì thiết lập lại.")
    finally:
        db.close()
    return CreatedOffice(path=address, recovery_code=code)


def _set_up(session: Session, setup: OfficeSetup, taken: str) -> str | None:
    """``taken``: the refusal of a second set-up, with "{office}" for the office found."""
    if (info := find_office(session)) is not None:
        raise ConflictError(taken.replace("{office}", info.display_name), field="path")  # not format(): a path may hold braces
    backup = setup.key_backup
    if backup is not None and backup.info.office.role != setup.role:
        raise ConflictError(f"Tệp khóa dự phòng là của {backup.info.office.display_name}, khác vai trò đơn vị "
                            "đang thiết lập.")
    setup_office(session, unit_name=setup.unit_name, unit_code=setup.unit_code,
                 role=setup.role, unit_type=setup.unit_type, province_name=setup.province,
                 district_name=setup.district, upper_office_name=setup.upper_office,
                 unit_id=backup and backup.info.office.unit_id)
    if setup.role == OfficeRole.COMMUNE:
        for name in setup.hamlets:
            add_hamlet(session, name, unit_type=setup.hamlet_type)
    ensure_default_catalogue(session)
    if backup is not None:  # the unit's own keys: packages sealed to them stay readable
        install_key_backup(session, backup)
    else:
        ensure_office_keys(session)  # made now, so that reading the key card never has to write
    if (admin := setup.admin) is not None:
        return create_first_admin(session, username=admin.username, display_name=admin.display_name,
                                  password=admin.password, confirm=admin.confirm)
    return None
