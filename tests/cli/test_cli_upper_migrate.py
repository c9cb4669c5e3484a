"""``gocong-desktop upper migrate --from FILE --to postgresql://…`` (issue 19): an
encrypted upper office moved by its administrator, whose password opens the file and
then signs in on the server; bad inputs are one Vietnamese line, exit 1, nothing
written on either side."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.unlocking import unlock_with_password
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
from tests import app_sqlite as sqlite3
from tests.conftest import file_digest
from tests.encrypted import forget_keys
from tests.pg_server import PASSWORD as SERVER_PASSWORD
from tests.pg_server import server_tables

pytestmark = pytest.mark.pg

PASSWORD = "Mat-khau-quan-tri-9"
CLERK_PASSWORD = "Mat-khau-can-bo-1"
SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Quản trị tỉnh", password=PASSWORD))


@pytest.fixture(scope="module")
def _encrypted_upper(tmp_path_factory) -> Path:
    """An encrypted upper office with its administrator and a clerk, closed."""
    path = tmp_path_factory.mktemp("upper-enc") / "tinh.db"
    create_office_database(path, SETUP)
    forget_keys()
    unlock_with_password(path, "quantri", PASSWORD)
    db = open_database(path)
    try:
        accounts.sign_in(db, "quantri", PASSWORD)
        with db.session() as session:
            accounts.add_account(session, username="canbo1", display_name="Cán bộ Một", role="clerk",
                                 password=CLERK_PASSWORD)
    finally:
        db.close()
        forget_keys()
    return path


@pytest.fixture
def encrypted_upper(tmp_path, _encrypted_upper) -> Path:
    from tests.conftest import copy_database

    return copy_database(_encrypted_upper, tmp_path / "tinh.db")



def migrate(run, source: Path, url: str, password: str | None = PASSWORD, user: str = "quantri"):
    return run("upper", "migrate", "--from", source, "--to", url, "--user", user, "--password-stdin",
               input=f"{password}\n" if password is not None else "")


def test_the_administrator_moves_the_encrypted_office_and_signs_in_on_the_server(run, encrypted_upper,
                                                                                pg_empty_url):
    before = file_digest(encrypted_upper)
    done = migrate(run, encrypted_upper, pg_empty_url)
    assert done.returncode == 0, done.stderr
    assert "mã băm khớp" in done.stdout and "audit_log" in done.stdout and "được giữ nguyên" in done.stdout
    assert "chép bảng household" in done.stderr
    assert "Mã khôi phục mới: " in done.stdout and "canbo1" in done.stdout
    assert SERVER_PASSWORD not in done.stdout + done.stderr and PASSWORD not in done.stdout
    assert file_digest(encrypted_upper) == before
    code = done.stdout.split("Mã khôi phục mới: ")[1].split()[0]
    db = open_database(pg_empty_url)
    try:
        assert accounts.sign_in(db, "quantri", PASSWORD).username == "quantri"
        with pytest.raises(PermissionDeniedError):  # its secret stayed in the file's key slots
            accounts.sign_in(db, "canbo1", CLERK_PASSWORD)
        with db.session() as session:  # the recovery code shown works on the server
            accounts.recover_with_code(session, "quantri", code, "Mat-khau-moi-10")
    finally:
        db.close()


@pytest.mark.parametrize("password, user, words", [
    ("sai-mat-khau", "quantri", "không đúng"),
    (CLERK_PASSWORD, "canbo1", "Chỉ quản trị viên"),
])
def test_a_wrong_password_or_a_clerk_is_refused_untouched(run, encrypted_upper, pg_empty_url, password, user,
                                                          words):
    before = file_digest(encrypted_upper)
    done = migrate(run, encrypted_upper, pg_empty_url, password, user)
    assert done.returncode == 1 and words in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert file_digest(encrypted_upper) == before and server_tables(pg_empty_url) == set()


def test_a_database_with_data_is_refused_in_one_line(run, encrypted_upper, pg_url):
    assert migrate(run, encrypted_upper, pg_url).returncode == 0  # set up, empty: taken
    done = migrate(run, encrypted_upper, pg_url)
    assert done.returncode == 1 and "đã có dữ liệu" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_unreachable_server_or_a_wrong_server_password_is_one_line(run, encrypted_upper, pg_server,
                                                                      pg_template, tmp_path):
    before = file_digest(encrypted_upper)
    wrong = migrate(run, encrypted_upper, pg_server.url_text(pg_template, password="sai-roi"))
    assert wrong.returncode == 1 and "sai mật khẩu" in wrong.stderr and "sai-roi" not in wrong.stderr
    nowhere = migrate(run, encrypted_upper, f"postgresql://gocong@/gocong?host={tmp_path}&port=5999")
    assert nowhere.returncode == 1 and "Không kết nối được" in nowhere.stderr
    for done in (wrong, nowhere):
        assert len(done.stderr.strip().splitlines()) == 1
    assert file_digest(encrypted_upper) == before


def test_a_missing_file_or_a_path_for_the_server_is_one_line(run, tmp_path, pg_empty_url, encrypted_upper):
    missing = migrate(run, tmp_path / "khong-co.db", pg_empty_url)
    assert missing.returncode == 1 and "Không tìm thấy" in missing.stderr
    no_password = migrate(run, tmp_path / "khong-co.db", pg_empty_url, password=None)  # said before any is asked
    assert no_password.returncode == 1 and "Không tìm thấy" in no_password.stderr
    not_a_server = migrate(run, encrypted_upper, tmp_path / "dich.db")
    assert not_a_server.returncode == 1 and "không phải địa chỉ máy chủ" in not_a_server.stderr
    assert not (tmp_path / "dich.db").exists() and server_tables(pg_empty_url) == set()


def test_a_file_of_another_program_is_one_line(run, tmp_path, pg_empty_url):
    other = tmp_path / "bang-tinh.db"
    other.write_bytes(b"PK\x03\x04 not a database" * 100)
    before = file_digest(other)
    done = migrate(run, other, pg_empty_url)
    assert done.returncode == 1 and "gocong_desktop" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert file_digest(other) == before and server_tables(pg_empty_url) == set()


def test_the_key_slot_table_is_left_as_it_was_too(run, encrypted_upper, pg_empty_url):
    slots = Path(f"{encrypted_upper}.khoa")
    before = file_digest(slots)
    assert migrate(run, encrypted_upper, pg_empty_url).returncode == 0
    assert file_digest(slots) == before


def test_a_file_holding_a_value_no_form_accepts_is_refused_in_one_line(run, encrypted_upper, pg_empty_url):
    """Edited outside the app: refused before the server is touched, naming the value
    and the command that lists them all."""
    unlock_with_password(encrypted_upper, "quantri", PASSWORD)
    con = sqlite3.connect(encrypted_upper)
    unit = con.execute("SELECT unit_id FROM office").fetchone()[0]
    con.execute("UPDATE admin_unit SET name = ? WHERE id = ?", (unicodedata.normalize("NFD", "Tiền Giang"), unit))
    con.commit()
    con.close()
    forget_keys()
    before = file_digest(encrypted_upper)
    done = migrate(run, encrypted_upper, pg_empty_url)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert (f"Bản ghi đơn vị hành chính {unit}: trường «name» (tên đơn vị) chưa ở dạng Unicode dựng sẵn (NFC)"
            in done.stderr)
    assert f'«gocong-desktop check --full --db "{encrypted_upper}"»' in done.stderr
    assert file_digest(encrypted_upper) == before and server_tables(pg_empty_url) == set()
