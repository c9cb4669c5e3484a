"""The schema on PostgreSQL (issue 19): the whole alembic history on an empty
database gives exactly the models' metadata; connections refused say why."""

from __future__ import annotations

import pytest
from sqlalchemy import Index, MetaData, PrimaryKeyConstraint, Table, UniqueConstraint, create_engine, text
from sqlmodel import SQLModel

from gocong_desktop.core.db import migrate, models
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.errors import DatabaseError, NotFoundError
from tests.pg_server import PASSWORD, server_tables

pytestmark = pytest.mark.pg



def test_the_whole_history_runs_on_an_empty_database(pg_empty_url):
    db = open_database(pg_empty_url, create=True)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert db.path is None and db.server is not None and PASSWORD not in db.where
    finally:
        db.close()
    models.load_all()
    assert server_tables(pg_empty_url) == set(SQLModel.metadata.tables) | {"alembic_version"}


def _server_metadata() -> MetaData:
    """The models' metadata as migrations 0015 and 0018 leave it on a server: every
    foreign key deferrable (an import defers them to its commit), checked at once
    otherwise, and each referencing column leading an index (``_unindexed``)."""
    metadata = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(metadata)
    for table in metadata.tables.values():
        for fk in table.foreign_key_constraints:
            fk.deferrable, fk.initially = True, "IMMEDIATE"
        for column in _unindexed(table):
            Index(f"ix_fk_{table.name}_{column}", table.c[column])
    return metadata


def _unindexed(table: Table) -> list[str]:
    """Referencing columns that lead no index, primary key or unique constraint of
    the models: a server checks each deleted record's references through them."""
    leading = {next(iter(i.columns)).name for i in table.indexes}
    leading |= {next(iter(c.columns)).name for c in table.constraints
                if isinstance(c, (PrimaryKeyConstraint, UniqueConstraint)) and len(c.columns)}
    return sorted({fk.column_keys[0] for fk in table.foreign_key_constraints} - leading)


def test_the_migrated_schema_is_the_models_metadata(pg_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    models.load_all()
    engine = create_engine(parse_server_url(pg_url).url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    _server_metadata())
    finally:
        engine.dispose()
    assert diff == []


def test_the_live_package_index_is_partial_on_the_server_too(pg_url):
    """An undone import may be imported again: the unique index skips undone rows."""
    engine = create_engine(parse_server_url(pg_url).url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ux_sync_package_live'")).scalar()
    finally:
        engine.dispose()
    assert "UNIQUE" in row and "WHERE" in row and "undone" in row


def test_an_empty_database_is_not_opened_without_create(pg_empty_url):
    with pytest.raises(NotFoundError, match="chưa được thiết lập"):
        open_database(pg_empty_url)
    assert server_tables(pg_empty_url) == set()


def test_a_database_of_another_program_is_refused_untouched(pg_empty_url):
    engine = create_engine(parse_server_url(pg_empty_url).url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE khach_hang (id integer PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="không phải của gocong_desktop"):
        open_database(pg_empty_url, create=True)
    assert server_tables(pg_empty_url) == {"khach_hang"}


def test_a_database_of_a_newer_version_is_refused_untouched(pg_url):
    engine = create_engine(parse_server_url(pg_url).url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="phiên bản gocong_desktop mới hơn"):
        open_database(pg_url)


def test_a_wrong_password_is_said_without_showing_it(pg_server, pg_template):
    url = pg_server.url_text(pg_template, password="khong-phai-mat-khau")
    with pytest.raises(DatabaseError) as err:
        open_database(url)
    assert "sai mật khẩu" in err.value.message and "khong-phai-mat-khau" not in err.value.message


def test_no_password_at_all_is_a_login_refusal(pg_server, pg_template, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    with pytest.raises(DatabaseError, match="từ chối đăng nhập"):
        open_database(pg_server.url_text(pg_template, password=None))


def test_pgpassword_is_read_by_the_driver(pg_server, pg_url, monkeypatch):
    """A URL without its password: libpq takes it from PGPASSWORD (or ~/.pgpass)."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = pg_url.replace(parse_server_url(pg_url).url.render_as_string(hide_password=False),
                         parse_server_url(pg_url).url.set(password=None).render_as_string(hide_password=False))
    open_database(url).close()


def test_a_missing_database_is_named(pg_server):
    with pytest.raises(NotFoundError, match="không có cơ sở dữ liệu «khong_co»"):
        open_database(pg_server.url_text("khong_co"))
