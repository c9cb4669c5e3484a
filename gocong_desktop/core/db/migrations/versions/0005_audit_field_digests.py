"""audit field digests: salts, withheld-field digests and the sending office on
audit_log entries (issue 13). The chain used to hash the values themselves, so
no personal value could be left out of a sync package; it now hashes one salted
digest per changed field.

This office's chain is sealed again under a NEW chain id (its old hashes were
over the values), with an entry recording the old chain id, its last hash and
which entries did not match it. Entries received from communes keep their
chain id and places, are given their sender (the office owning the records
they describe) and are re-hashed the new way when they matched the old way;
entries that did not match stay as they were, for ``check`` to report.

Downgrading drops the new columns: the re-sealed chain then no longer checks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 10:00:00
"""
import hashlib
import json
import uuid
from collections import Counter

import sqlalchemy as sa
import sqlmodel
from alembic import op

from gocong_desktop.core.storage import audit_chain

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_OLD_FIELDS = "id, at, actor, action, table_name, record_id, changes_json"
MAX_LISTED = 50  # entries named in the re-seal entry


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('salts_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('digests_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('origin_unit_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    conn = op.get_bind()
    execute = conn.exec_driver_sql
    if execute("SELECT count(*) FROM audit_log").scalar() == 0:
        return  # a new database: its chain starts with its first entry
    local = audit_chain.stored_chain_id(conn.connection.driver_connection)
    foreign = [r[0] for r in execute("SELECT DISTINCT chain_id FROM audit_log WHERE chain_id IS NOT NULL "
                                     "AND chain_id IS NOT ?", (local,))]
    for chain_id in foreign:
        _convert_foreign_chain(execute, chain_id)
    _reseal_local_chain(execute, local)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('origin_unit_id')
        batch_op.drop_column('digests_json')
        batch_op.drop_column('salts_json')


def _old_hash(chain_id, seq, prev_hash, row) -> str:
    """The hash before this revision (frozen here: audit_chain no longer has it)."""
    canonical = json.dumps([chain_id, seq, prev_hash, *[v if v is None or isinstance(v, (str, int)) else str(v)
                                                         for v in row]],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _old_matches(chain_id, seq, prev, digest, row) -> bool:
    return None not in (seq, prev, digest) and _old_hash(chain_id, seq, prev, row) == digest


def _convert_foreign_chain(execute, chain_id: str) -> None:
    rows = execute(f"SELECT rowid, seq, prev_hash, entry_hash, {_OLD_FIELDS} FROM audit_log WHERE chain_id = ? "
                   "ORDER BY seq, rowid", (chain_id,)).all()
    execute("UPDATE audit_log SET origin_unit_id = ? WHERE chain_id = ?", (_sender_of(execute, rows), chain_id))
    renamed: dict[str, str] = {}  # old hash -> new hash, so that links follow
    for rowid, seq, prev, digest, *fields in rows:
        if not _old_matches(chain_id, seq, prev, digest, fields):
            continue
        try:
            salts = audit_chain.salts_for(fields[6])
        except audit_chain.MalformedEntry:
            continue
        new_prev = renamed.get(prev, prev)
        new = audit_chain.entry_hash(chain_id, seq, new_prev, (*fields, salts, None))
        renamed[digest] = new
        execute("UPDATE audit_log SET prev_hash = ?, entry_hash = ?, salts_json = ? WHERE rowid = ?",
                (new_prev, new, salts, rowid))


def _sender_of(execute, rows) -> str | None:
    """The office owning most of the records a chain's entries describe."""
    tables = {r[0] for r in execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    owners: Counter = Counter()
    by_table: dict[str, list[str]] = {}
    for row in rows:
        by_table.setdefault(row[8], []).append(row[9])
    for table, ids in by_table.items():
        if table not in tables or "owner_unit_id" not in {c[1] for c in execute(f'PRAGMA table_info("{table}")')}:
            continue
        for start in range(0, len(ids), 900):
            part = ids[start:start + 900]
            owners.update(r[0] for r in execute(f'SELECT owner_unit_id FROM "{table}" WHERE owner_unit_id IS NOT '
                                                f'NULL AND id IN ({",".join("?" * len(part))})', tuple(part)))
    return owners.most_common(1)[0][0] if owners else None


def _reseal_local_chain(execute, old_chain: str | None) -> None:
    rows = execute(f"SELECT seq, prev_hash, entry_hash, {_OLD_FIELDS} FROM audit_log WHERE origin_unit_id IS NULL "
                   "AND chain_id IS ? ORDER BY seq", (old_chain,)).all() if old_chain else []
    unmatched = [fields[0] for seq, prev, digest, *fields in rows
                 if not _old_matches(old_chain, seq, prev, digest, fields)]
    places = sorted({r[0] for r in rows if r[0] is not None})
    missing = len(places) and places[-1] - len(places)
    record = {"old_chain_id": old_chain, "old_head_hash": rows[-1][2] if rows else None, "entries": len(rows),
              "not_matching": unmatched[:MAX_LISTED] + (["…"] if len(unmatched) > MAX_LISTED else []),
              "missing_places": missing}
    execute("INSERT INTO audit_log (id, at, actor, action, table_name, record_id, changes_json) "
            "VALUES (?, strftime('%Y-%m-%d %H:%M:%f000', 'now'), 'hệ thống', 'reseal', 'audit_log', ?, ?)",
            (str(uuid.uuid4()), old_chain or "", json.dumps(record, ensure_ascii=False)))
    audit_chain.reseal(lambda sql, params: execute(sql, params), chain_id=str(uuid.uuid4()))
