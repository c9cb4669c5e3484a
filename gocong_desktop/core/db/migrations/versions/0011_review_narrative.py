"""review narrative: the written sections of a review report, per office and period.

A sơ kết/tổng kết report has narrative sections around its figures (đặc điểm
tình hình, kết quả, ưu điểm, tồn tại, nguyên nhân, phương hướng, kiến nghị;
issue 17 point 10). The officer writes them in the app; they are kept with the
period, one record per owner unit and period, synced like other records.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SECTIONS = ('situation', 'results', 'strengths', 'shortcomings', 'causes', 'directions', 'proposals')


def upgrade() -> None:
    if 'review_narrative' in sa.inspect(op.get_bind()).get_table_names():
        return  # a file put back to an older schema by hand may still have it
    op.create_table(
        'review_narrative',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column('change_seq', sa.Integer(), nullable=True),
        sa.Column('period_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        *(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=True) for name in SECTIONS),
        sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('owner_unit_id', 'period_start', 'period_end'),
    )
    with op.batch_alter_table('review_narrative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_narrative_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_narrative_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_narrative_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_table('review_narrative')
