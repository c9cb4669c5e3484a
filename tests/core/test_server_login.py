"""The server password the app asks for (issue 19) goes to the server a URL or a
``.gcserver`` file names — which a crafted file chooses. A server that asks for the
password in clear (instead of proving it knows it, SCRAM or MD5) is refused before
the password leaves, and so is one that asks for an MD5 hash of it (the server
chooses the salt: a crafted one could crack the password offline): here fake
servers that only ask for it those ways."""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.db.server_login import open_location, password_for
from gocong_desktop.core.errors import DatabaseError

TYPED = "mat-khau-may-chu-da-go"
CLEARTEXT = struct.pack("!cii", b"R", 8, 3)  # AuthenticationCleartextPassword
MD5 = struct.pack("!cii4s", b"R", 12, 5, b"salt")  # AuthenticationMD5Password, the server's salt


class PasswordCatcher:
    """Answers every connection with ``request`` (the password in clear, or its MD5
    hash), and keeps whatever the client sends back."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.received = b""
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    first = conn.recv(8)
                    if first[4:8] == struct.pack("!i", 80877103):  # SSLRequest: no TLS here
                        conn.sendall(b"N")
                        first = conn.recv(8)
                    conn.recv(struct.unpack("!i", first[:4])[0] - 8 + 4096)
                    conn.sendall(self.request)
                    self.received += conn.recv(4096)
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(params=[CLEARTEXT, MD5], ids=["in clear", "md5"])
def catcher(request, monkeypatch, tmp_path):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "khong-co-pgpass"))
    server = PasswordCatcher(request.param)
    yield server
    server.close()


def _address(port: int):
    return parse_server_url(f"postgresql://canbo@127.0.0.1:{port}/gocong?sslmode=disable")


def test_an_asked_password_is_never_sent_in_clear_nor_hashed_with_the_servers_salt(catcher):
    with pytest.raises(DatabaseError):
        open_location(_address(catcher.port), ask=lambda _address: TYPED)
    assert catcher.received == b""  # no password message, in clear or hashed


def test_nor_for_check_or_backup(catcher):
    address = password_for(_address(catcher.port), ask=lambda _address: TYPED)
    assert catcher.received == b""  # no password message, in clear or hashed
    assert address.url.password is None  # refused before the server could ask for one: nothing typed


def test_pg_dump_is_given_the_same_requirements(catcher):
    from gocong_desktop.core.maintenance.server_backup import server_env

    address = password_for(_address(catcher.port), ask=lambda _address: TYPED)
    env = server_env(address)
    assert env["PGREQUIREAUTH"] == "!password,!md5" and env["PGSSLMODE"] == "disable"


def test_the_refusal_says_the_password_was_not_sent(catcher):
    with pytest.raises(DatabaseError, match="mật khẩu chưa được gửi"):
        open_location(_address(catcher.port), ask=lambda _address: TYPED)


@pytest.mark.parametrize("url", ["postgresql://canbo@127.0.0.1:1/gocong?sslmode=disable&connect_timeout=2",
                                 "postgresql://canbo@/gocong?host=/khong-co-thu-muc&port=5999"])
def test_a_refused_connection_names_the_server_as_a_place(url):
    from gocong_desktop.core.db.engine import open_database

    with pytest.raises(DatabaseError) as refused:
        open_database(parse_server_url(url))
    said = str(refused.value)
    assert "máy chủ PostgreSQL" in said and "cơ sở dữ liệu «gocong»" in said
    assert "postgresql+psycopg" not in said and "?" not in said and "\n" not in said


def test_a_password_from_the_environment_is_held_to_the_same_rule(catcher, monkeypatch):
    """PGPASSWORD (or a wildcard ~/.pgpass line) is sent by libpq on its own, to whatever
    host a crafted settings file names: never in clear nor as an MD5 hash either."""
    monkeypatch.setenv("PGPASSWORD", "mat-khau-trong-moi-truong")
    with pytest.raises(DatabaseError, match="mật khẩu chưa được gửi"):
        open_location(_address(catcher.port), ask=lambda _address: TYPED)
    assert catcher.received == b""


def test_pg_dump_always_gets_the_rule_even_from_a_url_that_loosens_it():
    from gocong_desktop.core.maintenance.server_backup import server_env

    address = parse_server_url("postgresql://canbo@127.0.0.1:5432/gocong?require_auth=password")
    assert server_env(address)["PGREQUIREAUTH"] == "!password,!md5"
