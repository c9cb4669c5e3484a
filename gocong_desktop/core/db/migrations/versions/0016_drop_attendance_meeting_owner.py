"""drop attendance meeting owner: the attendance index that no query searched by both columns.

Migration 0010 put ``ix_attendance_meeting_owner`` (meeting_id, owner_unit_id) in
place of the index on meeting_id alone. No query filters attendance by both: every
plan that used it searched by meeting_id only (EXPLAIN QUERY PLAN of the start
page's, the figures', the attendance pages', the upper office's dashboard and
unit figures' reads), which UNIQUE(meeting_id, household_id) serves as well. Kept,
it only cost pages on every attendance written (issue 16: an upper office import
writes every commune's attendance).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 23:10:00
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

DROPPED = ('ix_attendance_meeting_owner', 'attendance', ['meeting_id', 'owner_unit_id'])


def upgrade() -> None:
    name, table, _columns = DROPPED
    op.drop_index(name, table_name=table, if_exists=True)


def downgrade() -> None:
    name, table, columns = DROPPED
    op.create_index(name, table, columns, unique=False, if_not_exists=True)
