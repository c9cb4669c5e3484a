"""import journal: what each import changed, so that it can be undone.

An import at the upper office copied and verified the whole database first
(issue 16: 7.9 s of a 12.3 s import at 2.36 GB, again for every package). It
now records, in its own transaction, each row it inserted, updated or deleted
(``import_journal``), and an undo puts them back in one transaction. The ledger
keeps an undone import (status "undone"): a package is recorded once unless an
earlier import of it was undone, and the per-sender index carries the status
so that the ledger's questions still read it alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SENDER_INDEX = ('ix_sync_package_sender', ['direction', 'sender_unit_id', 'sequence', 'full'])
# The unnamed UNIQUE (direction, package_uuid) of 0001, named to be dropped.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s"}


def upgrade() -> None:
    # What is already there is kept: a file put back to an older schema by hand
    # (as tests of older migrations do) may still have the table and indexes.
    inspector = sa.inspect(op.get_bind())
    if 'import_journal' not in inspector.get_table_names():
        op.create_table(
            'import_journal',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('package_uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
            sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column('record_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column('before_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
            sa.Column('after_digest', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
            sa.PrimaryKeyConstraint('id'),
        )
    op.create_index('ix_import_journal_package_uuid', 'import_journal', ['package_uuid'], unique=False,
                    if_not_exists=True)
    unique = [c for c in inspector.get_unique_constraints('sync_package')
              if c['column_names'] == ['direction', 'package_uuid']]
    if unique:  # SQLite's is unnamed (named by NAMING for the table copy); PostgreSQL named it
        with op.batch_alter_table('sync_package', schema=None, naming_convention=NAMING) as batch_op:
            batch_op.drop_constraint(unique[0]['name'] or 'uq_sync_package_direction_package_uuid', type_='unique')
    live = sa.text("status != 'undone'")
    op.create_index('ux_sync_package_live', 'sync_package', ['direction', 'package_uuid'], unique=True,
                    sqlite_where=live, postgresql_where=live, if_not_exists=True)
    op.drop_index(SENDER_INDEX[0], table_name='sync_package', if_exists=True)
    op.create_index(SENDER_INDEX[0], 'sync_package', [*SENDER_INDEX[1], 'status'], unique=False)


def downgrade() -> None:
    op.drop_index(SENDER_INDEX[0], table_name='sync_package')
    op.drop_index('ux_sync_package_live', table_name='sync_package')
    op.execute("DELETE FROM sync_package WHERE status = 'undone'")  # the older schema cannot hold them
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_sync_package_direction_package_uuid', ['direction', 'package_uuid'])
    op.create_index(SENDER_INDEX[0], 'sync_package', SENDER_INDEX[1], unique=False)
    op.drop_index('ix_import_journal_package_uuid', table_name='import_journal')
    op.drop_table('import_journal')
