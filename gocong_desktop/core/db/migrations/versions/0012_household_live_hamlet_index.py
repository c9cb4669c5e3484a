"""household live hamlet index: the households on the register per hamlet, from one index.

The Overview page (the window's start page) counts the households on the
register per hamlet and their pledges of the year. Without this index both
counts read every household row to learn its hamlet (issue 16: an encrypted
file decrypts every page it reads; at 50,000 households ~1.1 s of the 1.4 s
the page took to show its figures); with it they read the index alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:30:00
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_household_live_hamlet', 'household',
                    ['deleted', 'moved_out_date', 'hamlet_id', 'id'], unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index('ix_household_live_hamlet', table_name='household')
