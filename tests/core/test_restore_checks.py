"""Restore checks whose backup it is: another commune's or the upper office's
backup is refused unless its name is typed, and a backup without an active
administrator never replaces a database protected by accounts. Every refusal
leaves the database byte-for-byte as it was, with nothing set aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocong_desktop.core.db.access import Role, file_has_accounts, has_accounts
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.maintenance.restore_checks import OtherOfficeBackup, read_identity
from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.services import accounts, office
from tests import app_sqlite as sqlite3
from tests.conftest import copy_database, file_digest
from tests.encrypted import forget_keys
from tests.core.sync.conftest import make_upper_office

PASSWORD = "mật khẩu đủ dài 2026"


def _commune(path: Path, name: str) -> Path:
    database = open_database(path, create=True)
    with database.session(actor="tester") as s:
        office.setup_office(s, unit_name=name, province_name="Tiền Giang")
    database.close()
    return path


def _add_admin(path: Path) -> None:
    database = open_database(path)
    with database.session(actor="tester") as s:
        accounts.create_first_admin(s, username="quantri", display_name="Quản trị", password=PASSWORD,
                                    confirm=PASSWORD)
    database.close()


@pytest.fixture(scope="module")
def _binh_nhi(tmp_path_factory) -> Path:
    return _commune(tmp_path_factory.mktemp("binh-nhi") / "xa.db", "Bình Nhì")


@pytest.fixture
def binh_nhi(_binh_nhi: Path, tmp_path: Path) -> Path:
    """A backup of another commune (xã Bình Nhì), without accounts."""
    copy = tmp_path / "sao-luu" / "binh-nhi.db"
    copy.parent.mkdir()
    return Path(copy_database(_binh_nhi, copy))


@pytest.fixture
def current(db) -> Path:
    """xã Bình Tân's database, closed."""
    db.close()
    return db.path


def refused(current: Path, backup: Path, error: type, *fragments: str, confirm: str | None = None) -> str:
    digest, files = file_digest(current), sorted(current.parent.iterdir())
    with pytest.raises(error) as caught:
        restore_backup(current, backup, confirm_office=confirm)
    for fragment in fragments:
        assert fragment in caught.value.message
    assert file_digest(current) == digest and sorted(current.parent.iterdir()) == files
    return caught.value.message


def test_another_communes_backup_needs_its_name_typed(current: Path, binh_nhi: Path) -> None:
    message = refused(current, binh_nhi, OtherOfficeBackup, "xã Bình Nhì", "không phải của xã Bình Tân",
                      '--confirm-office "xã Bình Nhì"', "Chưa khôi phục")
    assert "\n" not in message
    refused(current, binh_nhi, OtherOfficeBackup, "Tên đã gõ «xã Bình Tân» không khớp", confirm="xã Bình Tân")
    kept = restore_backup(current, binh_nhi, confirm_office="binh nhi")  # marks and case do not matter
    assert read_identity(current).unit_name == "Bình Nhì" and read_identity(kept).unit_name == "Bình Tân"


def test_the_upper_offices_backup_over_a_commune_is_refused(current: Path, tmp_path: Path) -> None:
    upper = make_upper_office(tmp_path / "tinh" / "tinh.db")
    refused(current, upper, OtherOfficeBackup, "Công an huyện Gò Công Tây (cơ quan cấp trên)",
            "khóa đồng bộ và tài khoản")
    restore_backup(current, upper, confirm_office="Công an huyện Gò Công Tây")
    assert read_identity(current).role == "upper"


def test_a_backup_without_an_administrator_never_replaces_a_protected_file(current: Path, binh_nhi: Path,
                                                                            tmp_path: Path) -> None:
    before_accounts = tmp_path / "truoc-khi-co-tai-khoan.db"
    copy_database(current, before_accounts)  # the same office, before its accounts were made
    _add_admin(current)
    refused(current, before_accounts, ConflictError, "không có tài khoản quản trị viên", "ai cũng tự tạo")
    refused(current, binh_nhi, ConflictError, "không có tài khoản quản trị viên", confirm="xã Bình Nhì")
    _add_admin(binh_nhi)
    restore_backup(current, binh_nhi, confirm_office="xã Bình Nhì")  # confirmed, and it has its administrator
    assert read_identity(current).unit_name == "Bình Nhì"


def test_a_backup_of_this_office_needs_no_confirmation(current: Path, tmp_path: Path) -> None:
    _add_admin(current)
    own = tmp_path / "cua-minh.db"
    copy_database(current, own)
    assert restore_backup(current, own) is not None and read_identity(current).unit_name == "Bình Tân"


def test_file_has_accounts_counts_disabled_accounts_like_an_open_database(current: Path, tmp_path: Path) -> None:
    assert not file_has_accounts(tmp_path / "khong-co.db") and not file_has_accounts(current)
    _add_admin(current)
    con = sqlite3.connect(current)
    con.execute("UPDATE account SET active = 0")
    con.commit()
    con.close()
    assert file_has_accounts(current)
    database = open_database(current)
    try:
        with database.session() as s:
            assert has_accounts(s) and database.role() == Role.SYSTEM
    finally:
        database.close()


def test_an_encrypted_file_has_accounts_unlocked_or_not(demo_files: dict[str, Path], tmp_path: Path) -> None:
    """What the CLI asked before a restore (an encrypted file is protected: only an
    account opens it), now the one rule's answer for a file not opened."""
    encrypted = copy_database(demo_files["encrypted"], tmp_path / "ma-hoa.db")
    assert file_has_accounts(encrypted)
    forget_keys()  # as in a process where nobody signed in to it
    assert file_has_accounts(encrypted)
