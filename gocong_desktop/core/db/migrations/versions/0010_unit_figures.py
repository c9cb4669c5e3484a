"""unit figures: each commune's dashboard figures kept beside its records.

The upper office's comparison dashboard counted every commune's records each
time it opened (issue 16: ~1.4 s at 100 communes × 3,000 households). Whatever
changes a commune's records there (an import, its undo, a conflict resolved)
now counts that commune again, in its own transaction, into ``unit_figures``;
the dashboard reads those rows. Three indexes let that count read one commune's
meetings, attendance and pledges instead of every commune's (attendance's
replaces its index on meeting_id alone, which it begins with).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 14:15:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

INDEXES = (('ix_meeting_owner_starts_at', 'meeting', ['owner_unit_id', 'starts_at']),
           ('ix_attendance_meeting_owner', 'attendance', ['meeting_id', 'owner_unit_id']),
           ('ix_pledge_owner_unit_year', 'pledge', ['owner_unit_id', 'year']))
REPLACED = ('ix_attendance_meeting_id', 'attendance', ['meeting_id'])
COUNTS = ('groups', 'households', 'meetings', 'meetings_final', 'groups_met', 'attendance_present',
          'attendance_total', 'pledges_signed', 'pledges_total')


def upgrade() -> None:
    # A file put back to an older schema by hand (as tests of older migrations do)
    # may still have the table and indexes.
    if 'unit_figures' not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table(
            'unit_figures',
            sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
            sa.Column('window_start', sa.Date(), nullable=False),
            sa.Column('window_end', sa.Date(), nullable=False),
            sa.Column('stamp', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
            sa.PrimaryKeyConstraint('unit_id'),
        )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False, if_not_exists=True)
    # Attendance is the largest table: its new index serves what this one did.
    op.drop_index(REPLACED[0], table_name=REPLACED[1], if_exists=True)


def downgrade() -> None:
    op.create_index(*REPLACED, unique=False, if_not_exists=True)
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table('unit_figures')
