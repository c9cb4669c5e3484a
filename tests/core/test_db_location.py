"""A database URL is never taken for a path (issue 19): parsed, checked, its password
masked; a path that ``Path()`` made of a URL is refused before anything is created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.location import DRIVER, ServerAddress, is_url, parse_location, parse_server_url
from gocong_desktop.core.errors import DatabaseError, ValidationError

SECRET = "bi-mat-42"
NOWHERE = f"postgresql://canbo:{SECRET}@/gocong?host=/khong/co/may/chu"  # a socket folder that does not exist


@pytest.mark.parametrize("text", ["postgresql://h/db", "postgresql+psycopg://u:p@h:5433/db", "mysql://h/db",
                                  "  postgresql://h/db", "sqlite:///x.db"])
def test_a_scheme_makes_a_url(text):
    assert is_url(text)


@pytest.mark.parametrize("text", ["gocong.db", "/tmp/x.db", r"C:\Dữ liệu\xa.db", "C://du-lieu/xa.db",
                                  "./postgresql", "Tổ #5.db"])
def test_paths_stay_paths(text):
    assert not is_url(text)
    assert parse_location(text) == Path(text)


def test_a_server_url_is_parsed_and_its_password_masked():
    address = parse_server_url(f"postgresql://canbo:{SECRET}@may-chu:5433/tinh")
    assert address.url.drivername == DRIVER and address.database == "tinh" and address.url.port == 5433
    assert SECRET not in str(address) and SECRET not in repr(address) and "***" in str(address)
    assert address.url.password == SECRET  # still there to connect with


@pytest.mark.parametrize("text, words", [
    (f"mysql://canbo:{SECRET}@h/db", "chỉ hỗ trợ"),
    ("postgresql://may-chu/", "thiếu tên cơ sở dữ liệu"),
    (f"postgresql://canbo:{SECRET}@may-chu:cong/db", "không hợp lệ"),
])
def test_urls_we_cannot_use_are_refused_without_showing_the_password(text, words):
    with pytest.raises(ValidationError) as err:
        parse_location(text)
    assert words in err.value.message and SECRET not in err.value.message


def test_open_database_takes_a_url_for_a_server_not_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseError) as err:
        open_database(NOWHERE, create=True)
    assert "Không kết nối được máy chủ PostgreSQL" in err.value.message and SECRET not in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_url_that_path_mangled_is_refused_before_anything_is_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for mangled in (Path("postgresql://h/db"), "postgresql:/h/db"):
        with pytest.raises(ValidationError) as err:
            open_database(mangled, create=True)
        assert "địa chỉ máy chủ" in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_server_address_is_accepted_as_is():
    address = parse_server_url("postgresql://h/db")
    assert parse_location(address) is address and isinstance(address, ServerAddress)


def _cli(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "gocong_desktop", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", input="")


@pytest.mark.parametrize("argv", [
    ["init", "--role", "upper", "--unit-name", "Sở Tư pháp", "--db", NOWHERE],
    ["init", "--role", "upper", "--unit-name", "Sở Tư pháp", "--db", f"oracle://canbo:{SECRET}@h/db"],
    ["list", "households", "--db", NOWHERE],
    ["check", "--db", NOWHERE],
])
def test_cli_never_makes_a_folder_of_a_url(tmp_path, argv):
    done = _cli(tmp_path, *argv)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and SECRET not in done.stderr + done.stdout
    assert list(tmp_path.iterdir()) == []
