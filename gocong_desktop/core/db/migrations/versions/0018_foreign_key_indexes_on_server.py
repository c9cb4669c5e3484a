"""foreign key indexes on a server: a deleted record's references found through an index.

PostgreSQL checks, for each row deleted, that no row of a referencing table names
it: a query on the referencing column, which without an index reads the whole
table. Undoing a commune's full import deletes its 3,000 households, each then
checked against every pledge, meeting, opinion and group of the province: 73 s
at 5 communes and growing with each (issue 19). These columns had no index of
their own (nor lead one). SQLite imports and undoes with its foreign keys off and
is left as it is: the indexes would only cost its writes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:50:00
"""
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# (table, referencing column)
COLUMNS = (
    ('agenda_opinion', 'household_id'),
    ('evaluation', 'criteria_set_id'),
    ('meeting', 'chair_household_id'),
    ('meeting', 'secretary_household_id'),
    ('office', 'unit_id'),
    ('pledge', 'template_id'),
    ('pledge', 'witness_household_id'),
    ('pledge_campaign', 'template_id'),
    ('propaganda_activity', 'hamlet_id'),
    ('propaganda_activity', 'model_id'),
    ('self_managed_group', 'deputy_household_id'),
    ('self_managed_group', 'leader_household_id'),
)


def _on_server() -> bool:
    return op.get_bind().dialect.name != "sqlite"


def upgrade() -> None:
    if _on_server():
        for table, column in COLUMNS:
            op.create_index(f'ix_fk_{table}_{column}', table, [column], if_not_exists=True)


def downgrade() -> None:
    if _on_server():
        for table, column in COLUMNS:
            op.drop_index(f'ix_fk_{table}_{column}', table_name=table, if_exists=True)
