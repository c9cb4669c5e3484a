"""deferrable foreign keys on a server: an import may write a record before the one it names.

An import writes a package's records kind by kind; some refer to records written
later in the same transaction (a self-managed group names its leader's household,
the household names its group: a cycle), and an undo takes them out in the
opposite order. SQLite imports with its foreign keys off for the transaction
(validation has proved beforehand that every reference is resolved).
PostgreSQL cannot turn them off for one connection: there they are made
DEFERRABLE (still checked at each statement, INITIALLY IMMEDIATE, for every other
writer), and an import or undo defers them to its commit (``SET CONSTRAINTS ALL
DEFERRED``, ``sync/txn.py``). SQLite's schema is left as it is.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 22:30:00
"""
from alembic import op
from sqlalchemy import text

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_FOREIGN_KEYS = ("SELECT conrelid::regclass::text, conname FROM pg_constraint "
                 "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2")


def _alter_all(words: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    for table, name in bind.execute(text(_FOREIGN_KEYS)).all():
        op.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" {words}')


def upgrade() -> None:
    _alter_all("DEFERRABLE INITIALLY IMMEDIATE")


def downgrade() -> None:
    _alter_all("NOT DEFERRABLE")
