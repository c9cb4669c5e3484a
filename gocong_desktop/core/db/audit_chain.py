"""The audit log's hash chain: editing, deleting or reordering an entry shows.

Each entry carries ``chain_id`` (the database that wrote it), ``seq`` (its place
in that chain), ``prev_hash`` and ``entry_hash`` = SHA-256 of its canonical
fields plus ``prev_hash``. Entries are sealed after they reach the table
(``seal``, from the flush hook), reading the values as SQLite stores them, so
the hook and ``check`` hash exactly the same text. Rows inserted with Core
(a sync import's summary entry) wait unsealed until the next flush seals them.

Entries copied in from other offices keep their own chain: only their own
hashes and the links between entries present here can be checked.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from typing import Any, Callable

CHAIN_SETTING = "audit_chain_id"
GENESIS = ""  # prev_hash of a chain's first entry
_FIELDS = "id, at, actor, action, table_name, record_id, changes_json"
Execute = Callable[[str, tuple], Any]  # runs SQL with "?" parameters, returns a cursor-like result


def entry_hash(chain_id: str, seq: int, prev_hash: str, row: tuple) -> str:
    """SHA-256 of a row (the ``_FIELDS`` values as stored) in its chain place."""
    canonical = json.dumps([chain_id, seq, prev_hash, *[_text(v) for v in row]],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int)) else str(value)


def local_chain_id(execute: Execute) -> str:
    """This database's chain id, made (and stored) the first time it is needed."""
    row = execute("SELECT value_json FROM app_setting WHERE key = ?", (CHAIN_SETTING,)).fetchone()
    if row:
        return json.loads(row[0])
    chain_id = str(uuid.uuid4())
    execute("INSERT INTO app_setting (key, value_json) VALUES (?, ?)", (CHAIN_SETTING, json.dumps(chain_id)))
    return chain_id


def seal(execute: Execute) -> int:
    """Chain every unsealed entry, in insertion order, after this chain's head.
    Returns how many were sealed. Deterministic: the head is read once."""
    pending = execute(f"SELECT rowid, {_FIELDS} FROM audit_log WHERE entry_hash IS NULL ORDER BY rowid",
                      ()).fetchall()
    if not pending:
        return 0
    chain_id = local_chain_id(execute)
    head = execute("SELECT seq, entry_hash FROM audit_log WHERE chain_id = ? AND entry_hash IS NOT NULL "
                   "ORDER BY seq DESC LIMIT 1", (chain_id,)).fetchone()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    for rowid, *fields in pending:
        seq += 1
        digest = entry_hash(chain_id, seq, prev, tuple(fields))
        execute("UPDATE audit_log SET chain_id = ?, seq = ?, prev_hash = ?, entry_hash = ? WHERE rowid = ?",
                (chain_id, seq, prev, digest, rowid))
        prev = digest
    return len(pending)


def reseal(execute: Execute, *, chain_id: str) -> None:
    """Rebuild the whole local chain under ``chain_id``: only for a file being
    made from scratch (the demo generator rewrites its set-up entries)."""
    execute("UPDATE audit_log SET chain_id = NULL, seq = NULL, prev_hash = NULL, entry_hash = NULL", ())
    execute("INSERT OR REPLACE INTO app_setting (key, value_json) VALUES (?, ?)",
            (CHAIN_SETTING, json.dumps(chain_id)))
    seal(execute)


def chain_problems(con: sqlite3.Connection) -> list[tuple[str, str]]:
    """(entry id, what is wrong) for every entry that does not match its chain.

    A place may hold more than one entry (a restored backup went on from an
    earlier place than a copy already sent away): an entry is linked when its
    ``prev_hash`` is the hash of any entry one place before it. The local chain
    must have every place from 1; other offices' chains arrive in parts."""
    rows = con.execute(f"SELECT chain_id, seq, prev_hash, entry_hash, {_FIELDS} FROM audit_log "
                       "WHERE entry_hash IS NOT NULL OR seq IS NOT NULL OR chain_id IS NOT NULL "
                       "ORDER BY chain_id, seq").fetchall()
    setting = con.execute("SELECT value_json FROM app_setting WHERE key = ?", (CHAIN_SETTING,)).fetchone()
    local = json.loads(setting[0]) if setting else None
    hashes: dict[tuple[str, int], set[str]] = {}
    for chain_id, seq, _, digest, *_ in rows:
        hashes.setdefault((chain_id, seq), set()).add(digest)
    problems: list[tuple[str, str]] = []
    for chain_id, seq, prev, digest, *fields in rows:
        entry_id = fields[0]
        if chain_id is None or seq is None or prev is None or digest is None:
            problems.append((entry_id, "thiếu thông tin chuỗi"))
        elif entry_hash(chain_id, seq, prev, tuple(fields)) != digest:
            problems.append((entry_id, "nội dung không khớp mã băm"))
        elif seq == 1 and prev != GENESIS:
            problems.append((entry_id, "không nối tiếp mục trước"))
        elif (before := hashes.get((chain_id, seq - 1))) is not None and prev not in before:
            problems.append((entry_id, "không nối tiếp mục trước"))
        elif before is None and seq > 1 and chain_id == local:
            problems.append((entry_id, f"thiếu mục số {seq - 1} (đã bị xoá hoặc đổi chỗ)"))
    return problems
