"""household live index: the living households in name order, read from one index.

The household list's first page and its count filter on ``deleted`` and
``moved_out_date`` and sort by ``name_sort_key``; with this index neither reads
the table itself (issue 14: an encrypted file decrypts every page it reads, and
a full scan of 50,000 households cost ~70 ms on each count).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:10:00
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_household_live_name', 'household',
                    ['deleted', 'moved_out_date', 'name_sort_key', 'id'], unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index('ix_household_live_name', table_name='household')
