"""received household search keys: households from communes found by name at the upper office.

A household's search key holds its name, address and phone, so it only travels
when the phone does (withheld by default): the upper office kept the communes'
households with an empty key and its search found none of them. Imports now
derive it on arrival (``sync/derived.py``); this recomputes it for the
households received before, from what they hold. The schema is unchanged.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:45:00
"""
from alembic import op
from sqlalchemy import text

from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.text import fold

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_BATCH = 2000
_RECEIVED_WITHOUT_KEY = (
    "SELECT id, head_name, address, phone FROM household WHERE search_fold = '' "
    "AND owner_unit_id <> coalesce((SELECT unit_id FROM office WHERE id = 1), '')")


def search_fold(head_name: str | None, address: str | None, phone: str | None) -> str:
    """As ``services/search_keys.household_search_fold`` (a layer above migrations;
    a test keeps the two equal)."""
    return " | ".join(part for part in (fold(head_name or ""), fold(address or ""), phone or "") if part)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(text(_RECEIVED_WITHOUT_KEY)).all()
    for start in range(0, len(rows), _BATCH):
        qmark_execute(bind)("UPDATE household SET search_fold = ? WHERE id = ?",
                            [(search_fold(name, address, phone), hid)
                             for hid, name, address, phone in rows[start:start + _BATCH]])


def downgrade() -> None:
    """The keys are kept: an empty one was never wanted."""
