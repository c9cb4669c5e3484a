"""incarnations and shared units: every synced record says where it was last
changed (origin, change_seq); a clock row holds this database's incarnation and
lineage; the upper office keeps each sender's lineage; conflicts say why they
arose. Provinces and districts get the id every database gives them (merging
the copies an upper office received from each commune). The first package
after this version is a full one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.storage.incarnation import start_clock
from gocong_desktop.core.db.reference_units import reference_unit_id


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

SYNCED = ('admin_unit', 'criteria_set', 'model_type', 'pledge_template', 'self_managed_group', 'household',
          'pledge_campaign', 'prevention_model', 'evaluation', 'meeting', 'model_site', 'pledge',
          'propaganda_activity', 'agenda_item', 'attendance', 'meeting_amendment', 'meeting_guest',
          'pledge_violation', 'agenda_opinion')


def upgrade() -> None:
    for table in SYNCED:  # plain ADD COLUMN: no table copy, fast on 50,000 rows
        op.add_column(table, sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True))
        op.add_column(table, sa.Column('change_seq', sa.Integer(), nullable=True))
    op.add_column('sync_peer', sa.Column('lineage_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column('sync_conflict', sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table('sync_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incarnation', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('machine', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('lineage_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('full_export_needed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    conn = op.get_bind()
    execute = qmark_execute(conn)
    start_clock(execute)
    if conn.exec_driver_sql("SELECT count(*) FROM office").scalar():
        execute("UPDATE sync_clock SET full_export_needed = TRUE", ())
    # This office's records were last changed in its first incarnation; other
    # offices' (imported at an upper office) stay unstamped: older than anything.
    root = conn.exec_driver_sql("SELECT incarnation FROM sync_clock").scalar()
    for table in SYNCED:
        execute(f'UPDATE "{table}" SET origin = ?, change_seq = 0 WHERE owner_unit_id IS NULL '
                'OR owner_unit_id IN (SELECT unit_id FROM office)', (root,))
    _share_reference_units(conn)


def _references(conn) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to admin_unit.id."""
    inspector = sa.inspect(conn)
    out = [(table, fk['constrained_columns'][0]) for table in inspector.get_table_names()
           for fk in inspector.get_foreign_keys(table) if fk['referred_table'] == 'admin_unit']
    return out + [('office', 'unit_id')]


def _share_reference_units(conn) -> None:
    """Owner-less provinces, then districts, moved to their shared ids; copies merged."""
    refs, moved, execute = _references(conn), {}, qmark_execute(conn)
    for level in ('province', 'district'):
        rows = execute("SELECT id, unit_type, name, code, parent_id FROM admin_unit "
                       "WHERE owner_unit_id IS NULL AND level = ?", (level,)).all()
        for old, unit_type, name, code, parent in rows:
            parent = moved.get(parent, parent)
            new = reference_unit_id(level=level, unit_type=unit_type, name=name, code=code, parent_id=parent)
            moved[old] = new
            if new == old:
                continue
            exists = execute("SELECT 1 FROM admin_unit WHERE id = ?", (new,)).first()
            if not exists:
                cols = [c['name'] for c in sa.inspect(conn).get_columns('admin_unit')]
                picked = ", ".join('?' if c == 'id' else ('?' if c == 'parent_id' else f'"{c}"') for c in cols)
                execute(f'INSERT INTO admin_unit ({", ".join(cols)}) SELECT {picked} FROM admin_unit '
                        'WHERE id = ?', tuple(new if c == 'id' else parent for c in cols
                                              if c in ('id', 'parent_id')) + (old,))
            for table, column in refs:
                execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', (new, old))
            execute("DELETE FROM admin_unit WHERE id = ?", (old,))


def downgrade() -> None:
    op.drop_table('sync_clock')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('sync_peer', schema=None) as batch_op:
        batch_op.drop_column('lineage_json')
    for table in SYNCED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('change_seq')
            batch_op.drop_column('origin')
