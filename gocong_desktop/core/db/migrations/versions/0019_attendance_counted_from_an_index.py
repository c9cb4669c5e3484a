"""attendance counted from an index: the figures read (meeting_id, deleted, status) only.

Every figure of attendance (the Overview, the review report, the upper office's
dashboard and aggregate report) counts, per meeting held in a period, its live
rows and those marked present: each row was looked up in the table for its
status. An upper office's aggregate report of a year at 100 communes read most
of the attendance table that way (about 4 s of an encrypted file's 5 s, issue
16); from this index it reads a few pages per meeting. Its cost on writes is
small now that a package's ids sit together (db/ids.py): an import's attendance
lands on a few of its pages.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 07:20:00
"""
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

INDEX = ('ix_attendance_meeting_status', 'attendance', ['meeting_id', 'deleted', 'status'])


def upgrade() -> None:
    name, table, columns = INDEX
    op.create_index(name, table, columns, unique=False, if_not_exists=True)


def downgrade() -> None:
    name, table, _columns = INDEX
    op.drop_index(name, table_name=table, if_exists=True)
