"""Backups of a server's database with pg_dump (issue 19): the dump reads back, a
database restored from it holds every table as it was, the password never goes on
a command line; a missing tool or a refused login is one message and no file."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import create_engine

from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.db.table_digest import database_digests
from gocong_desktop.core.errors import DatabaseError, NotFoundError
from gocong_desktop.core.maintenance import server_backup
from gocong_desktop.core.maintenance.server_backup import (connection_args, pg_tool, server_env,
                                                            write_server_backup)
from gocong_desktop.core.upper.move_to_server import move_to_server
from tests.conftest import copy_database
from tests.pg_server import PASSWORD

pytestmark = pytest.mark.pg


def digests(url: str) -> dict:
    engine = create_engine(parse_server_url(url).url)
    try:
        with engine.connect() as conn:
            return database_digests(conn)
    finally:
        engine.dispose()


@pytest.fixture
def moved_url(tmp_path, upper_with_communes, pg_empty_url) -> str:
    source = copy_database(upper_with_communes, tmp_path / "tinh.db")
    move_to_server(source, parse_server_url(pg_empty_url), actor="quantri")
    return pg_empty_url


def test_a_dump_restored_into_a_new_database_holds_every_table_as_it_was(moved_url, pg_server, tmp_path):
    address = parse_server_url(moved_url)
    written = write_server_backup(address, tmp_path)
    assert re.fullmatch(rf"{address.database}_\d{{8}}-\d{{6}}_thu-cong\.pgdump", written.name)
    assert [p.name for p in tmp_path.iterdir() if p.is_file() and p.suffix != ".db"] == [written.name]
    restored = pg_server.url_text(pg_server.new_database())  # empty: the dump brings the schema
    target = parse_server_url(restored)
    subprocess.run([str(pg_tool("pg_restore")), "--no-owner", "--exit-on-error", "--no-password",
                    *connection_args(target), str(written)], env=server_env(target), check=True,
                   capture_output=True)
    assert digests(restored) == digests(moved_url)


def test_the_password_goes_through_the_environment_only(moved_url):
    address = parse_server_url(moved_url)
    assert not any(PASSWORD in arg for arg in connection_args(address))
    assert server_env(address)["PGPASSWORD"] == PASSWORD


def test_a_refused_login_writes_no_file(pg_server, pg_template, tmp_path):
    address = parse_server_url(pg_server.url_text(pg_template, password="sai-roi"))
    with pytest.raises(DatabaseError, match="chưa có bản sao lưu nào") as caught:
        write_server_backup(address, tmp_path)
    assert "sai-roi" not in caught.value.message and list(tmp_path.iterdir()) == []


def test_a_missing_tool_says_what_to_install(monkeypatch, pg_url, tmp_path):
    monkeypatch.setattr(server_backup, "_SERVER_DIRS", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NotFoundError, match="pg_dump"):
        write_server_backup(parse_server_url(pg_url), tmp_path)
    assert list(tmp_path.iterdir()) == []
