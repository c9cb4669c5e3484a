"""``check``, ``backup`` and ``upper migrate`` on a server whose password nothing
supplied (not in the URL, no PGPASSWORD, no ~/.pgpass): asked like every other
command asks it (issue 19), read from stdin with ``--password-stdin`` in the order
``--help`` gives: the server's first for check and backup, the file account's first
for upper migrate (whose file is opened before the server is reached)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import URL

from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
from tests.pg_server import PASSWORD as SERVER_PASSWORD

pytestmark = pytest.mark.pg

ADMIN_PASSWORD = "Mat-khau-quan-tri-9"
SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Quản trị tỉnh", password=ADMIN_PASSWORD))


def _without_password(url: str) -> str:
    parsed = parse_server_url(url).url
    return URL.create(parsed.drivername, username=parsed.username, database=parsed.database,
                      query=parsed.query).render_as_string(hide_password=False)


@pytest.fixture
def no_password_anywhere(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "khong-co-pgpass"))


@pytest.mark.usefixtures("no_password_anywhere")
def test_check_asks_the_server_password(run, pg_url):
    url = _without_password(pg_url)
    done = run("check", "--db", url, "--password-stdin", input=SERVER_PASSWORD + "\n")
    assert done.returncode == 0 and "Không phát hiện vấn đề nào" in done.stdout, done.stderr
    assert SERVER_PASSWORD not in done.stdout + done.stderr


@pytest.mark.usefixtures("no_password_anywhere")
def test_check_as_an_officer_asks_the_server_password_first(run, pg_url):
    create_office_database(pg_url, SETUP)
    done = run("check", "--db", _without_password(pg_url), "--user", "quantri", "--password-stdin",
               input=f"{SERVER_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert done.returncode == 0 and "Không phát hiện vấn đề nào" in done.stdout, done.stderr


@pytest.mark.usefixtures("no_password_anywhere")
def test_backup_asks_the_server_password(run, pg_url, tmp_path):
    out = tmp_path / "sao-luu"
    out.mkdir()
    done = run("backup", "--db", _without_password(pg_url), "--out", out, "--password-stdin",
               input=SERVER_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert len(list(out.iterdir())) == 1 and SERVER_PASSWORD not in done.stdout + done.stderr


@pytest.mark.usefixtures("no_password_anywhere")
def test_a_wrong_asked_password_is_one_line_and_nothing_is_written(run, pg_url, tmp_path):
    out = tmp_path / "sao-luu"
    out.mkdir()
    done = run("backup", "--db", _without_password(pg_url), "--out", out, "--password-stdin", input="sai-roi\n")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "sai-roi" not in done.stderr, done.stderr
    assert list(out.iterdir()) == []


@pytest.mark.usefixtures("no_password_anywhere")
def test_upper_migrate_asks_the_server_password_after_the_files(run, tmp_path, pg_empty_url):

    source = tmp_path / "tinh.db"
    create_office_database(source, SETUP)
    done = run("upper", "migrate", "--from", source, "--to", _without_password(pg_empty_url), "--user", "quantri",
               "--password-stdin", input=f"{ADMIN_PASSWORD}\n{SERVER_PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "mọi bảng đã đối chiếu khớp" in done.stdout and SERVER_PASSWORD not in done.stdout + done.stderr


@pytest.mark.parametrize("command", ["check", "backup"])
def test_help_says_in_which_order_passwords_are_read(run, command):
    done = run(command, "--help")
    assert "mật khẩu máy chủ PostgreSQL" in " ".join(done.stdout.split())


def test_upper_migrate_help_says_in_which_order_passwords_are_read(run):
    done = run("upper", "migrate", "--help")
    text = " ".join(done.stdout.split())
    assert text.index("mật khẩu của --user") < text.index("mật khẩu máy chủ PostgreSQL")
