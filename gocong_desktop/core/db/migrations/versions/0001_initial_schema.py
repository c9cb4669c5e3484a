"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 14:11:57.994526
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # household and self_managed_group name each other. SQLite takes a foreign key to a
    # table created later; PostgreSQL does not: there the household's is added after both.
    group_fk = [sa.ForeignKeyConstraint(['group_id'], ['self_managed_group.id'], )] if _on_sqlite() else []
    op.create_table('admin_unit',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_fold', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['parent_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_unit_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_name_fold'), ['name_fold'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_unit_updated_at'), ['updated_at'], unique=False)

    op.create_table('app_setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('audit_log',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('changes_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_record_id'), ['record_id'], unique=False)

    op.create_table('household',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('head_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_sort_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('search_fold', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('hamlet_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('citizen_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('moved_out_date', sa.Date(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    *group_fk,
    sa.ForeignKeyConstraint(['hamlet_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_hamlet_id'), ['hamlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_moved_out_date'), ['moved_out_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_name_sort_key'), ['name_sort_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_updated_at'), ['updated_at'], unique=False)

    op.create_table('self_managed_group',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_fold', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hamlet_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('leader_household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('deputy_household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('founded_date', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('retired_date', sa.Date(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['deputy_household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['hamlet_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['leader_household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('self_managed_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_managed_group_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_managed_group_hamlet_id'), ['hamlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_managed_group_name_fold'), ['name_fold'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_managed_group_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_managed_group_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_managed_group_updated_at'), ['updated_at'], unique=False)
    if not group_fk:  # the name PostgreSQL would have given it inline
        op.create_foreign_key('household_group_id_fkey', 'household', 'self_managed_group', ['group_id'], ['id'])

    op.create_table('sync_package',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('package_uuid', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sender_unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sender_unit_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('package_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('previous_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('processed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('counts_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('report_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('direction', 'package_uuid')
    )
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_package_package_uuid'), ['package_uuid'], unique=False)

    op.create_table('criteria_set',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('set_version', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('criteria_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('bands_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('owner_unit_id', 'code', 'set_version')
    )
    with op.batch_alter_table('criteria_set', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_set_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_criteria_set_updated_at'), ['updated_at'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('group_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('chair_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('chair_role', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('chair_household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('secretary_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('secretary_role', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('secretary_household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('closing_conclusion', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('minutes_number', sa.Integer(), nullable=True),
    sa.Column('minutes_year', sa.Integer(), nullable=True),
    sa.Column('finalised_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['chair_household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['self_managed_group.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['secretary_household_id'], ['household.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'minutes_year', 'minutes_number')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_updated_at'), ['updated_at'], unique=False)

    op.create_table('model_type',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_fold', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('model_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_type_name_fold'), ['name_fold'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_type_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_type_updated_at'), ['updated_at'], unique=False)

    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('upper_office_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('pledge_template',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subtitle', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('items_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('owner_unit_id', 'year', 'template_version')
    )
    with op.batch_alter_table('pledge_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_template_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_template_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_template_year'), ['year'], unique=False)

    op.create_table('unit_succession',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('old_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('new_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=True),
    sa.Column('legal_basis', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['new_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['old_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('old_unit_id', 'new_unit_id')
    )
    with op.batch_alter_table('unit_succession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_succession_new_unit_id'), ['new_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_succession_old_unit_id'), ['old_unit_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('meeting_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('conclusion', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_other', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_updated_at'), ['updated_at'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('meeting_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('representative', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'household_id')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_updated_at'), ['updated_at'], unique=False)

    op.create_table('meeting_amendment',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('meeting_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amended_on', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amended_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('previous_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('previous_snapshot', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_amendment_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_amendment_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_amendment_updated_at'), ['updated_at'], unique=False)

    op.create_table('meeting_guest',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('meeting_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting_guest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_guest_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_guest_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_guest_updated_at'), ['updated_at'], unique=False)

    op.create_table('pledge',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('template_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('signed_date', sa.Date(), nullable=True),
    sa.Column('witness_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('witness_household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['pledge_template.id'], ),
    sa.ForeignKeyConstraint(['witness_household_id'], ['household.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('household_id', 'year')
    )
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_year'), ['year'], unique=False)

    op.create_table('pledge_campaign',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('template_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['pledge_template.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('owner_unit_id', 'year')
    )
    with op.batch_alter_table('pledge_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_campaign_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_campaign_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_campaign_year'), ['year'], unique=False)

    op.create_table('prevention_model',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('type_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_fold', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lead_organisation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['type_id'], ['model_type.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('prevention_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prevention_model_name_fold'), ['name_fold'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_model_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_model_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_model_type_id'), ['type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_model_updated_at'), ['updated_at'], unique=False)

    op.create_table('agenda_opinion',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('agenda_item_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('speaker_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_opinion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_opinion_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_opinion_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_opinion_updated_at'), ['updated_at'], unique=False)

    op.create_table('evaluation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('model_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('criteria_set_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('scores_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recommendation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('evaluator', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_set.id'], ),
    sa.ForeignKeyConstraint(['model_id'], ['prevention_model.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_updated_at'), ['updated_at'], unique=False)

    op.create_table('model_site',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('model_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hamlet_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('road_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('households_count', sa.Integer(), nullable=True),
    sa.Column('cameras', sa.Integer(), nullable=False),
    sa.Column('lights', sa.Integer(), nullable=False),
    sa.Column('gates', sa.Integer(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['hamlet_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['model_id'], ['prevention_model.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('model_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_site_hamlet_id'), ['hamlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_site_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_site_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_model_site_updated_at'), ['updated_at'], unique=False)

    op.create_table('pledge_violation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('pledge_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('violation_date', sa.Date(), nullable=False),
    sa.Column('item_number', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pledge_violation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_violation_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_violation_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_violation_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_violation_updated_at'), ['updated_at'], unique=False)

    op.create_table('propaganda_activity',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('activity_date', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('model_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['hamlet_id'], ['admin_unit.id'], ),
    sa.ForeignKeyConstraint(['model_id'], ['prevention_model.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('propaganda_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_propaganda_activity_activity_date'), ['activity_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_propaganda_activity_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_propaganda_activity_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_propaganda_activity_updated_at'), ['updated_at'], unique=False)

    op.create_table('model_site_household',
    sa.Column('site_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['model_site.id'], ),
    sa.PrimaryKeyConstraint('site_id', 'household_id')
    )
    with op.batch_alter_table('model_site_household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_site_household_household_id'), ['household_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('model_site_household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_site_household_household_id'))

    op.drop_table('model_site_household')
    with op.batch_alter_table('propaganda_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_propaganda_activity_updated_at'))
        batch_op.drop_index(batch_op.f('ix_propaganda_activity_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_propaganda_activity_kind'))
        batch_op.drop_index(batch_op.f('ix_propaganda_activity_activity_date'))

    op.drop_table('propaganda_activity')
    with op.batch_alter_table('pledge_violation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_violation_updated_at'))
        batch_op.drop_index(batch_op.f('ix_pledge_violation_pledge_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_violation_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_violation_household_id'))

    op.drop_table('pledge_violation')
    with op.batch_alter_table('model_site', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_site_updated_at'))
        batch_op.drop_index(batch_op.f('ix_model_site_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_model_site_model_id'))
        batch_op.drop_index(batch_op.f('ix_model_site_hamlet_id'))

    op.drop_table('model_site')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_updated_at'))
        batch_op.drop_index(batch_op.f('ix_evaluation_period_end'))
        batch_op.drop_index(batch_op.f('ix_evaluation_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_model_id'))

    op.drop_table('evaluation')
    with op.batch_alter_table('agenda_opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_opinion_updated_at'))
        batch_op.drop_index(batch_op.f('ix_agenda_opinion_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_opinion_agenda_item_id'))

    op.drop_table('agenda_opinion')
    with op.batch_alter_table('prevention_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prevention_model_updated_at'))
        batch_op.drop_index(batch_op.f('ix_prevention_model_type_id'))
        batch_op.drop_index(batch_op.f('ix_prevention_model_status'))
        batch_op.drop_index(batch_op.f('ix_prevention_model_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_prevention_model_name_fold'))

    op.drop_table('prevention_model')
    with op.batch_alter_table('pledge_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_campaign_year'))
        batch_op.drop_index(batch_op.f('ix_pledge_campaign_updated_at'))
        batch_op.drop_index(batch_op.f('ix_pledge_campaign_owner_unit_id'))

    op.drop_table('pledge_campaign')
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_year'))
        batch_op.drop_index(batch_op.f('ix_pledge_updated_at'))
        batch_op.drop_index(batch_op.f('ix_pledge_status'))
        batch_op.drop_index(batch_op.f('ix_pledge_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_household_id'))

    op.drop_table('pledge')
    with op.batch_alter_table('meeting_guest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_guest_updated_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_guest_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_guest_meeting_id'))

    op.drop_table('meeting_guest')
    with op.batch_alter_table('meeting_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_amendment_updated_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_amendment_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_amendment_meeting_id'))

    op.drop_table('meeting_amendment')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_updated_at'))
        batch_op.drop_index(batch_op.f('ix_attendance_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_household_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_updated_at'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('unit_succession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_succession_old_unit_id'))
        batch_op.drop_index(batch_op.f('ix_unit_succession_new_unit_id'))

    op.drop_table('unit_succession')
    with op.batch_alter_table('pledge_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_template_year'))
        batch_op.drop_index(batch_op.f('ix_pledge_template_updated_at'))
        batch_op.drop_index(batch_op.f('ix_pledge_template_owner_unit_id'))

    op.drop_table('pledge_template')
    op.drop_table('office')
    with op.batch_alter_table('model_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_type_updated_at'))
        batch_op.drop_index(batch_op.f('ix_model_type_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_model_type_name_fold'))

    op.drop_table('model_type')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_updated_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_status'))
        batch_op.drop_index(batch_op.f('ix_meeting_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_group_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('criteria_set', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_set_updated_at'))
        batch_op.drop_index(batch_op.f('ix_criteria_set_owner_unit_id'))

    op.drop_table('criteria_set')
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_package_package_uuid'))

    op.drop_table('sync_package')
    with op.batch_alter_table('self_managed_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_managed_group_updated_at'))
        batch_op.drop_index(batch_op.f('ix_self_managed_group_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_self_managed_group_number'))
        batch_op.drop_index(batch_op.f('ix_self_managed_group_name_fold'))
        batch_op.drop_index(batch_op.f('ix_self_managed_group_hamlet_id'))
        batch_op.drop_index(batch_op.f('ix_self_managed_group_active'))

    op.drop_table('self_managed_group')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_updated_at'))
        batch_op.drop_index(batch_op.f('ix_household_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_household_name_sort_key'))
        batch_op.drop_index(batch_op.f('ix_household_moved_out_date'))
        batch_op.drop_index(batch_op.f('ix_household_hamlet_id'))
        batch_op.drop_index(batch_op.f('ix_household_group_id'))

    op.drop_table('household')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('app_setting')
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_unit_updated_at'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_parent_id'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_name_fold'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_level'))
        batch_op.drop_index(batch_op.f('ix_admin_unit_code'))

    op.drop_table('admin_unit')
