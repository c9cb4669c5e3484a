"""The server settings file (``.gcserver``, issue 19): what an administrator hands
out so officers open the upper office's PostgreSQL database without typing a URL.
It may be crafted: bounded before it is read, every field checked, never a password."""

from __future__ import annotations

from pathlib import Path

import pytest

from gocong_desktop.core.db.location import ServerAddress, parse_location
from gocong_desktop.core.db.server_file import (MAX_BYTES, ServerSettings, parse_server_settings, read_server_file,
                                                write_server_file)
from gocong_desktop.core.errors import NotFoundError, ValidationError

GOOD = "[gocong-server]\nhost = db.tinh.local\nport = 5433\ndatabase = gocong_tinh\nuser = canbo\n"


def _file(tmp_path: Path, text: str | bytes, name: str = "may-chu.gcserver") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_a_good_file_names_the_server_without_a_password(tmp_path):
    address = parse_location(_file(tmp_path, GOOD))
    assert isinstance(address, ServerAddress)
    url = address.url
    assert (url.host, url.port, url.database, url.username, url.password) == (
        "db.tinh.local", 5433, "gocong_tinh", "canbo", None)


def test_a_socket_folder_and_sslmode_and_a_notepad_bom_are_understood(tmp_path):
    text = "\ufeff# do quản trị viên gửi\n[gocong-server]\nhost = /run/postgresql\ndatabase = g\nuser = u\n" \
           "sslmode = require\n"
    url = parse_location(_file(tmp_path, text)).url
    assert url.query == {"host": "/run/postgresql", "port": "5432", "sslmode": "require"}


def test_written_then_read_back(tmp_path):
    settings = ServerSettings(host="127.0.0.1", port=54329, database="gocong_demo", user="gocong")
    path = write_server_file(tmp_path / "demo.gcserver", settings)
    assert read_server_file(path) == settings
    assert "mật khẩu" in path.read_text(encoding="utf-8").splitlines()[0]  # says where the password is not


@pytest.mark.parametrize("text, words", [
    (GOOD + "password = bimat\n", "không bao giờ ghi mật khẩu"),
    (GOOD + "passfile = /etc/x\n", "không bao giờ ghi mật khẩu"),
    (GOOD + "options = -c search_path=evil\n", "mục lạ «options»"),
    (GOOD + "user = other\n", "không đúng mẫu"),  # a key twice
    (GOOD + "[khac]\nhost = x\n", "đúng một mục"),
    ("host = x\n", "không đúng mẫu"),
    ("[gocong-server]\ndatabase = g\nuser = u\n", "máy chủ «» không hợp lệ"),
    (GOOD.replace("db.tinh.local", "evil host;rm"), "không hợp lệ"),
    (GOOD.replace("db.tinh.local", "/tmp/../etc"), "không hợp lệ"),
    (GOOD.replace("5433", "70000"), "cổng «70000»"),
    (GOOD.replace("5433", "５４３２"), "cổng"),  # full-width digits are digits to str.isdigit
    (GOOD.replace("gocong_tinh", "x\"; DROP"), "«database»"),
    (GOOD.replace("canbo", "cán_bộ"), "«user»"),
    (GOOD + "sslmode = none\n", "sslmode «none»"),
])
def test_a_crafted_or_wrong_file_is_refused_in_one_line(tmp_path, text, words):
    with pytest.raises(ValidationError) as refused:
        read_server_file(_file(tmp_path, text))
    message = refused.value.message
    assert words in message and "\n" not in message and "bimat" not in message


def test_a_big_or_binary_file_is_refused_before_it_is_parsed(tmp_path):
    big = _file(tmp_path, GOOD + "#" * MAX_BYTES)
    with pytest.raises(ValidationError, match="quá lớn"):
        read_server_file(big)
    with pytest.raises(ValidationError, match="UTF-8"):
        read_server_file(_file(tmp_path, b"[gocong-server]\nhost = \xff\xfe\n", "b.gcserver"))
    with pytest.raises(NotFoundError):
        parse_location(tmp_path / "khong-co.gcserver")


def test_parse_settings_text_directly():
    assert parse_server_settings(GOOD).port == 5433


# Probes of a file handed to a clerk by someone who wants the app to connect elsewhere,
# with other options, or to show something else than the server it names.
@pytest.mark.parametrize("text", [
    GOOD.replace("db.tinh.local", "/tmp -c log_statement=all"),  # libpq options through a socket folder
    GOOD.replace("db.tinh.local", "/tmp\n  options=-csearch_path=evil"),  # a continuation line
    GOOD.replace("db.tinh.local", "::1%eth0 sslmode=disable"),  # an IPv6 scope taking any text
    GOOD.replace("db.tinh.local", "::1%x\n  dbname=khac"),
    GOOD.replace("db.tinh.local", "postgresql://evil/db?sslmode=disable"),
    GOOD.replace("db.tinh.local", "db.tinh.lосal"),  # Cyrillic «о» and «с»: looks the same
    GOOD.replace("db.tinh.local", "db.tinh.local\u202e"),  # a right-to-left override
    GOOD.replace("db.tinh.local", "db\x00.tinh.local"),
    GOOD.replace("gocong_tinh", "gocong service=evil"),
    GOOD.replace("gocong_tinh", "service=evil"),
    GOOD.replace("gocong_tinh", "postgresql://evil/x"),
    GOOD.replace("gocong_tinh", "-gocong"),  # read as a pg_dump option
    GOOD.replace("canbo", "--help"),
    GOOD.replace("5433", "0"),
    GOOD.replace("5433", "-1"),
    GOOD.replace("5433", "65536"),
    GOOD.replace("5433", "5432 host=evil"),
    GOOD + "sslmode = disable host=evil\n",
    GOOD + "sslmode = REQUIRE\n",
    GOOD + "service = evil\n",
    GOOD + "PGHOST = evil\n",
], ids=lambda text: repr(text)[:40])
def test_a_crafted_field_never_reaches_libpq(tmp_path, text):
    with pytest.raises(ValidationError) as refused:
        read_server_file(_file(tmp_path, text))
    assert "\n" not in refused.value.message and "\u202e" not in refused.value.message


def test_an_ipv6_address_with_a_plain_scope_is_understood(tmp_path):
    address = parse_location(_file(tmp_path, GOOD.replace("db.tinh.local", "fe80::1%eth0")))
    assert address.url.host == "fe80::1%eth0"
