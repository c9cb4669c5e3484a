"""sync package sender columns: who sent an imported package and whether it was
a full one, as columns beside the JSON report, with an index over them.

The ledger answered "which packages came from this commune" by parsing every
import's report (issue 16: 1.3 s of the upper office's 2.9 s dashboard at 106
packages, growing with communes × packages); it now reads the index. The
columns are filled from the reports of the packages already recorded.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 12:20:00
"""
import json

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


COLUMNS = (sa.Column('sender_unit_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
           sa.Column('full', sa.Boolean(), nullable=True))


def upgrade() -> None:
    # Columns already there are kept: a file put back to an older schema by
    # hand (as tests of older migrations do) may still have them.
    present = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('sync_package')}
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        for column in COLUMNS:
            if column.name not in present:
                batch_op.add_column(column)
    op.create_index('ix_sync_package_sender', 'sync_package', ['direction', 'sender_unit_id', 'sequence', 'full'],
                    unique=False, if_not_exists=True)
    _backfill(op.get_bind())


def _report(text: str | None) -> dict:
    """The stored report; an unreadable one fills nothing (the row stays as it was)."""
    try:
        report = json.loads(text) if text else {}
    except ValueError:
        return {}
    return report if isinstance(report, dict) else {}


def _backfill(conn) -> None:
    rows = conn.exec_driver_sql("SELECT id, direction, report_json FROM sync_package").fetchall()
    values = []
    for row_id, direction, text in rows:
        report = _report(text)
        sender = report.get("sender_unit_id") if direction == 'import' else None
        values.append((sender if isinstance(sender, str) else None, bool(report.get("full")), row_id))
    if values:
        conn.exec_driver_sql("UPDATE sync_package SET sender_unit_id = ?, full = ? WHERE id = ?", values)


def downgrade() -> None:
    op.drop_index('ix_sync_package_sender', table_name='sync_package')
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.drop_column('full')
        batch_op.drop_column('sender_unit_id')
