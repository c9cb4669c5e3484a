"""evaluation time and team: when an evaluation was held and who evaluated.

The evaluation record prints "Thời gian: bắt đầu lúc …, kết thúc lúc …" and
the members of the evaluation team (issue 17 point 13). Three nullable
columns: evaluations recorded before keep none and still print.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

COLUMNS = (('started_at', sa.DateTime()), ('ended_at', sa.DateTime()),
           ('team_json', sqlmodel.sql.sqltypes.AutoString()))


def upgrade() -> None:
    present = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('evaluation')}
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            if name not in present:  # a file put back to an older schema by hand may have them
                batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
