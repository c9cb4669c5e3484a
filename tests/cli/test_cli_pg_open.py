"""The upper office's commands on its PostgreSQL database (issue 19): each officer
signs in with their own account; no lock file; the server named by a URL or by a
``.gcserver`` settings file (its password from PGPASSWORD or asked first); what
only makes sense for a data file is refused in one line saying why, untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.db.server_file import ServerSettings, write_server_file
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
from tests.pg_server import PASSWORD as SERVER_PASSWORD
from tests.pg_server import SUPERUSER

pytestmark = pytest.mark.pg

ADMIN_PASSWORD = "Mat-khau-quan-tri-9"
CLERK_PASSWORD = "Mat-khau-can-bo-9"
SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Quản trị tỉnh", password=ADMIN_PASSWORD))


@pytest.fixture
def upper_url(pg_url: str) -> str:
    """The upper office set up on a fresh server database, with its administrator «quantri»."""
    create_office_database(pg_url, SETUP)
    return pg_url


@pytest.fixture
def server_file(upper_url: str, tmp_path: Path, monkeypatch) -> Path:
    """A ``.gcserver`` naming ``upper_url``'s database (no password in it); libpq
    finds no password anywhere (no PGPASSWORD, no ~/.pgpass)."""
    url = parse_server_url(upper_url).url
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "khong-co-pgpass"))
    settings = ServerSettings(host=url.query["host"], port=int(url.query["port"]), database=url.database,
                              user=SUPERUSER)
    return write_server_file(tmp_path / "may-chu.gcserver", settings)


def _rows(url: str) -> dict[str, list]:
    """Every row of the tables a command could write, to prove a refusal wrote nothing."""
    engine = create_engine(parse_server_url(url).url)
    try:
        with engine.connect() as conn:
            return {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
                    for t in ("office", "account", "audit_log", "app_setting", "sync_package")}
    finally:
        engine.dispose()


def _actors(url: str) -> dict[str, set[str]]:
    """The accounts the audit log names per table, for the changes made after set-up."""
    engine = create_engine(parse_server_url(url).url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT table_name, actor FROM audit_log WHERE table_name IN "
                                     "('app_setting', 'account') AND action = 'create' OR action = 'update' AND table_name = 'app_setting'"))
            found: dict[str, set[str]] = {}
            for table, actor in rows:
                found.setdefault(table, set()).add(actor)
            return found
    finally:
        engine.dispose()


def _as_admin(run, url, *argv, input: str = ADMIN_PASSWORD + "\n"):
    return run(*argv, "--db", url, "--user", "quantri", "--password-stdin", input=input)


def test_officers_work_on_the_server_with_their_own_accounts(run, upper_url, tmp_path):
    done = run("account", "add", "--db", upper_url, "--user", "quantri", "--password-stdin",
               "--username", "canbo", "--name", "Lê Thị Bình", "--role", "clerk",
               input=f"{ADMIN_PASSWORD}\n{CLERK_PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    listed = _as_admin(run, upper_url, "account", "list")
    assert listed.returncode == 0 and "canbo" in listed.stdout and "Lê Thị Bình" in listed.stdout
    clerk = run("account", "list", "--db", upper_url, "--user", "canbo", "--password-stdin",
                input=CLERK_PASSWORD + "\n")
    assert clerk.returncode == 1 and "Chỉ quản trị viên" in clerk.stderr  # signed in as the clerk, not the admin
    households = run("list", "households", "--db", upper_url, "--user", "canbo", "--password-stdin",
                     input=CLERK_PASSWORD + "\n")
    assert households.returncode == 0 and "(0 dòng)" in households.stdout
    assert _as_admin(run, upper_url, "settings", "set", "security.idle_lock_minutes", "20").returncode == 0
    got = run("settings", "get", "security.idle_lock_minutes", "--db", upper_url, "--user", "canbo", "--password-stdin",
              input=CLERK_PASSWORD + "\n")
    assert got.stdout.strip() == "20"
    keys = _as_admin(run, upper_url, "keys", "export", "--out", tmp_path)
    assert keys.returncode == 0 and keys.stdout.strip().endswith(".gckey")
    actors = _actors(upper_url)  # who did what: audited under their own account
    assert actors["app_setting"] == {"quantri"} and "quantri" in actors["account"]
    assert not list(Path.cwd().glob("postgresql*")) and not list(tmp_path.glob("*.lock"))  # no lock file


def test_a_wrong_password_is_refused_in_one_line(run, upper_url):
    before = _rows(upper_url)
    done = _as_admin(run, upper_url, "settings", "set", "security.idle_lock_minutes", "20", input="sai-mat-khau\n")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert SERVER_PASSWORD not in done.stderr and "sai-mat-khau" not in done.stderr
    after = _rows(upper_url)
    assert after["app_setting"] == before["app_setting"] and after["office"] == before["office"]


@pytest.mark.parametrize("argv, why", [
    (("encrypt",), "mã hóa là việc của một tệp dữ liệu"),
    (("restore", "ban-sao.db"), "pg_restore"),
    (("account", "create-admin", "--username", "moi", "--name", "Mới"), "init --role upper --admin"),
])
def test_what_only_a_data_file_has_is_refused_saying_why(run, upper_url, argv, why):
    before = _rows(upper_url)
    done = _as_admin(run, upper_url, *argv)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "máy chủ PostgreSQL" in lines[0] and why in lines[0], done.stderr
    assert SERVER_PASSWORD not in done.stderr
    assert _rows(upper_url) == before


def test_demo_on_a_server_is_refused(run, upper_url):
    done = run("demo", "--db", upper_url)
    assert done.returncode == 1 and "dữ liệu mẫu là một xã" in done.stderr


def test_sync_import_reaches_the_server_database(run, upper_url, tmp_path):
    """The import itself is ported elsewhere; a package that is not one is refused
    by it (a line naming the file), the database untouched."""
    bogus = tmp_path / "xa.gcsync"
    bogus.write_bytes(b"khong phai goi dong bo")
    before = _rows(upper_url)
    done = _as_admin(run, upper_url, "import", bogus)
    assert done.returncode == 1 and f"Từ chối {bogus}" in done.stderr, done.stderr
    assert _rows(upper_url) == before


def test_a_server_file_opens_the_database_asking_the_server_password_first(run, server_file, upper_url):
    done = run("account", "list", "--db", server_file, "--user", "quantri", "--password-stdin",
               input=f"{SERVER_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "quantri" in done.stdout and SERVER_PASSWORD not in done.stdout + done.stderr


def test_a_server_file_with_pgpassword_asks_nothing_more(run, server_file, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", SERVER_PASSWORD)
    done = run("settings", "get", "security.idle_lock_minutes", "--db", server_file, "--user", "quantri",
               "--password-stdin", input=ADMIN_PASSWORD + "\n")
    assert done.returncode == 0 and done.stdout.strip().isdigit(), done.stderr


def test_a_wrong_server_password_is_one_line(run, server_file):
    done = run("list", "households", "--db", server_file, "--password-stdin", input="sai\n")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "từ chối đăng nhập" in lines[0], done.stderr


def test_the_program_itself_opens_a_server_file(server_file, env):
    """A real process: ``python -m gocong_desktop`` with the settings file and PGPASSWORD."""
    done = subprocess.run([sys.executable, "-m", "gocong_desktop", "account", "list", "--db", str(server_file),
                           "--user", "quantri", "--password-stdin"], input=ADMIN_PASSWORD + "\n",
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env=dict(env, PGPASSWORD=SERVER_PASSWORD, PGPASSFILE=os.environ["PGPASSFILE"]))
    assert done.returncode == 0, done.stderr
    assert "Quản trị tỉnh" in done.stdout


@pytest.mark.parametrize("command", [("list", "households"), ("gui",)])
def test_a_crafted_server_file_is_refused_in_one_line_before_anything_connects(run, tmp_path, command):
    crafted = tmp_path / "may-chu.gcserver"
    crafted.write_text("[gocong-server]\nhost = evil;host\ndatabase = g\nuser = u\npassword = x\n", encoding="utf-8")
    done = run(*command, "--db", crafted)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "không bao giờ ghi mật khẩu" in lines[0], done.stderr
