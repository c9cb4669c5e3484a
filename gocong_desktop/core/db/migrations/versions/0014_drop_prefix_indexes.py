"""drop prefix indexes: indexes whose columns begin another index of their table.

Each of these indexes is the leading part of a composite index or UNIQUE
constraint of the same table, which SQLite uses for the same lookups; keeping
both only costs pages on every insert and update (issue 16: an import at the
upper office writes every commune's pledges and meetings into these b-trees).
The models declare the same (``owner_unit_field(index=False)``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:40:00
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# (index, table, its columns): what serves it instead in the comment.
DROPPED = (
    ('ix_pledge_household_id', 'pledge', ['household_id']),  # UNIQUE(household_id, year)
    ('ix_pledge_owner_unit_id', 'pledge', ['owner_unit_id']),  # ix_pledge_owner_unit_year
    ('ix_meeting_owner_unit_id', 'meeting', ['owner_unit_id']),  # ix_meeting_owner_starts_at
    ('ix_meeting_group_id', 'meeting', ['group_id']),  # UNIQUE(group_id, minutes_year, minutes_number)
    ('ix_pledge_campaign_owner_unit_id', 'pledge_campaign', ['owner_unit_id']),  # UNIQUE(owner_unit_id, year)
    # UNIQUE(owner_unit_id, year, template_version)
    ('ix_pledge_template_owner_unit_id', 'pledge_template', ['owner_unit_id']),
    ('ix_criteria_set_owner_unit_id', 'criteria_set', ['owner_unit_id']),  # UNIQUE(owner_unit_id, code, ...)
    # UNIQUE(owner_unit_id, period_start, period_end)
    ('ix_review_narrative_owner_unit_id', 'review_narrative', ['owner_unit_id']),
    ('ix_unit_succession_old_unit_id', 'unit_succession', ['old_unit_id']),  # UNIQUE(old_unit_id, new_unit_id)
)


def upgrade() -> None:
    for name, table, _columns in DROPPED:
        op.drop_index(name, table_name=table, if_exists=True)


def downgrade() -> None:
    for name, table, columns in DROPPED:
        op.create_index(name, table, columns, unique=False, if_not_exists=True)
