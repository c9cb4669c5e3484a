"""The audit log's hash chain: editing, deleting or reordering an entry shows,
and a personal value can be left out of a copy without breaking the chain.

Each entry carries ``chain_id`` (the database that wrote it), ``seq`` (its place
in that chain), ``prev_hash`` and ``entry_hash``. The hash covers the entry's
fields and, instead of the changed values themselves, one digest per changed
field: SHA-256(salt || value), with a random salt per field kept beside the
values (``salts_json``). A copy sent away may then carry a field as its digest
alone (``digests_json``): no value and no salt, so a list of names cannot be
tried against it, yet the receiver recomputes the same entry hash.

Entries are sealed after they reach the table (``seal``, from the flush hook),
reading the values as SQLite stores them, so the hook and ``check`` hash exactly
the same text. Rows inserted with Core (a sync import's summary entry) wait
unsealed until the next flush seals them. Entries from other offices
(``origin_unit_id`` set) keep their own chain and are never sealed here: only
their own hashes and the links between entries present here can be checked.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:  # a type only: the stdlib driver is not loaded by every session's hooks
    import sqlite3

CHAIN_SETTING = "audit_chain_id"
GENESIS = ""  # prev_hash of a chain's first entry
SCHEME = 2  # 1 hashed the values themselves (before migration 0005)
FIELDS = "id, at, actor, action, table_name, record_id, changes_json, salts_json, digests_json"
Execute = Callable[[str, Any], Any]  # runs SQL with "?" parameters (a list of tuples: executemany), returns a cursor-like result

# Insertion order of the entries to seal: SQLite's rowid. A server has no rowid: there
# the entries of one flush (sealed by it) share their time, and are taken by id among
# themselves: an order as arbitrary as any, and fixed once sealed.
_ROW = {"sqlite": ("rowid", "rowid"), "postgresql": ("id", "at, id")}  # (key, order)
# On a server several officers write at once: sealing takes this advisory lock (held to
# the end of the transaction), so each writer reads the head the previous one committed.
# SQLite has one writer at a time already.
SEAL_LOCK_KEY = 0x6763_6163  # "gcac"
# The text SQLite stores for a datetime: hashed as such on every store.
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"

HASH_RE = re.compile(r"^[0-9a-f]{64}\Z")
SALT_RE = re.compile(r"^[0-9a-f]{32}\Z")


class MalformedEntry(ValueError):
    """Values, salts and digests of an entry that do not fit together."""


# json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True), made once
_canonical = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def new_salt() -> str:
    return secrets.token_hex(16)


def value_digest(salt: str, value: Any) -> str:
    """SHA-256 of the salt's bytes then the value's canonical JSON."""
    return hashlib.sha256(bytes.fromhex(salt) + _canonical(value).encode("utf-8")).hexdigest()


def _object(text: str | None, what: str) -> dict:
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        raise MalformedEntry(f"{what} không phải JSON") from None
    if type(value) is not dict:
        raise MalformedEntry(f"{what} không phải một đối tượng JSON")
    return value


def field_digests(changes_json: str | None, salts_json: str | None, digests_json: str | None) -> dict | None:
    """{field: digest} of every changed field, from the values held (with their
    salts) and the digests of those not held; None for an entry without changes."""
    if changes_json is None and digests_json is None:
        if salts_json is not None:
            raise MalformedEntry("có muối mà không có giá trị")
        return None
    changes, salts = _object(changes_json, "giá trị"), _object(salts_json, "muối")
    given = _object(digests_json, "mã băm trường")
    if changes.keys() != salts.keys():
        raise MalformedEntry("mỗi giá trị cần đúng một muối")
    if changes.keys() & given.keys():
        raise MalformedEntry("một trường vừa có giá trị vừa có mã băm riêng")
    if not all(type(s) is str and SALT_RE.match(s) for s in salts.values()):
        raise MalformedEntry("muối không hợp lệ")
    if not all(type(d) is str and HASH_RE.match(d) for d in given.values()):
        raise MalformedEntry("mã băm trường không hợp lệ")
    digests = {name: value_digest(salts[name], value) for name, value in changes.items()}
    digests.update(given)
    return digests


def entry_hash(chain_id: str, seq: int, prev_hash: str, row: tuple) -> str:
    """SHA-256 of a row (the ``FIELDS`` values as stored) in its chain place.
    Raises ``MalformedEntry`` when its values, salts and digests do not fit."""
    *head, changes_json, salts_json, digests_json = row
    digests = field_digests(changes_json, salts_json, digests_json)
    canonical = _canonical([SCHEME, chain_id, seq, prev_hash, *[_text(v) for v in head], digests])
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text(value: Any) -> Any:
    if isinstance(value, datetime):  # read from a server: the text SQLite keeps for the same instant
        return (value.astimezone(timezone.utc) if value.tzinfo else value).strftime(SQLITE_DATETIME)
    return value if value is None or isinstance(value, (str, int)) else str(value)


def salts_for(changes_json: str | None) -> str | None:
    """A fresh salt for each changed field (None for an entry without changes)."""
    if changes_json is None:
        return None
    return json.dumps({name: new_salt() for name in _object(changes_json, "giá trị")})


def withhold(changes_json: str | None, salts_json: str | None, digests_json: str | None,
             fields: Iterable[str]) -> tuple[str | None, str | None, str | None]:
    """(changes, salts, digests) with ``fields`` left as their digests alone:
    the same entry hash, without the values or the salts that would reveal them."""
    changes = _object(changes_json, "giá trị")
    hidden = set(fields) & changes.keys()
    if not hidden:
        return changes_json, salts_json, digests_json
    salts, given = _object(salts_json, "muối"), _object(digests_json, "mã băm trường")
    for name in sorted(hidden):
        given[name] = value_digest(salts.pop(name), changes.pop(name))
    return _dumped(changes), _dumped(salts), _dumped(given)


def _dumped(value: dict) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def local_chain_id(execute: Execute) -> str:
    """This database's chain id, made (and stored) the first time it is needed."""
    row = execute("SELECT value_json FROM app_setting WHERE key = ?", (CHAIN_SETTING,)).fetchone()
    if row:
        return json.loads(row[0])
    chain_id = str(uuid.uuid4())
    execute("INSERT INTO app_setting (key, value_json) VALUES (?, ?)", (CHAIN_SETTING, json.dumps(chain_id)))
    return chain_id


def start_new_chain(execute: Execute) -> None:
    """Entries from now on start a chain of their own (a new incarnation of the
    database, ``storage/incarnation.py``): a restored file would otherwise re-use
    places that entries already sent away hold, with other hashes."""
    _set_chain_id(execute, str(uuid.uuid4()))


def _set_chain_id(execute: Execute, chain_id: str) -> None:
    execute("INSERT INTO app_setting (key, value_json) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json", (CHAIN_SETTING, json.dumps(chain_id)))


def stored_chain_id(con: Any) -> str | None:
    """This database's chain id, None before its first entry (reads only)."""
    row = con.execute("SELECT value_json FROM app_setting WHERE key = ?", (CHAIN_SETTING,)).fetchone()
    return json.loads(row[0]) if row else None


@dataclass(frozen=True)
class ChainHead:
    """The newest sealed entry of this office's live chain: what a package
    carries and the upper office's receipt signs back (``sync/anchors.py``)."""

    chain_id: str
    seq: int
    entry_hash: str

    def as_dict(self) -> dict:
        return {"chain_id": self.chain_id, "seq": self.seq, "entry_hash": self.entry_hash}


def chain_head(execute: Execute) -> ChainHead | None:
    """The live chain's head, None before its first sealed entry (just after a restore, say)."""
    setting = execute("SELECT value_json FROM app_setting WHERE key = ?", (CHAIN_SETTING,)).fetchone()
    if setting is None:
        return None
    chain_id = json.loads(setting[0])
    row = execute("SELECT seq, entry_hash FROM audit_log WHERE chain_id = ? AND entry_hash IS NOT NULL "
                  "AND origin_unit_id IS NULL ORDER BY seq DESC LIMIT 1", (chain_id,)).fetchone()
    return ChainHead(chain_id, row[0], row[1]) if row else None


def seal(execute: Execute) -> int:
    """Chain every unsealed entry of this office, in insertion order, after this
    chain's head. Returns how many were sealed. Deterministic: the head is read
    once. An entry whose changes are not a JSON object (none is written so)
    stays unsealed rather than stop every write."""
    dialect = getattr(execute, "dialect", "sqlite")  # portable.QmarkExecute says which
    key, order = _ROW[dialect]
    pending = execute(f"SELECT {key}, {FIELDS} FROM audit_log WHERE entry_hash IS NULL "
                      f"AND origin_unit_id IS NULL ORDER BY {order}", ()).fetchall()
    if not pending:
        return 0
    if dialect != "sqlite":
        execute("SELECT pg_advisory_xact_lock(?)", (SEAL_LOCK_KEY,))
    chain_id = local_chain_id(execute)
    head = execute("SELECT seq, entry_hash FROM audit_log WHERE chain_id = ? AND entry_hash IS NOT NULL "
                   "AND origin_unit_id IS NULL ORDER BY seq DESC LIMIT 1", (chain_id,)).fetchone()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    updates = []
    for rowid, *fields in pending:
        try:
            salts = salts_for(fields[6])
        except MalformedEntry:
            continue
        seq += 1
        digest = entry_hash(chain_id, seq, prev, (*fields[:7], salts, None))
        updates.append((chain_id, seq, prev, digest, salts, rowid))
        prev = digest
    if updates:  # one executemany: a campaign opened for a whole commune seals ~20,000 entries
        execute("UPDATE audit_log SET chain_id = ?, seq = ?, prev_hash = ?, entry_hash = ?, salts_json = ?, "
                f"digests_json = NULL WHERE {key} = ?", updates)
    return len(updates)


def reseal(execute: Execute, *, chain_id: str) -> None:
    """Rebuild this office's whole chain under ``chain_id``, with fresh salts:
    for a file being made from scratch (the demo generator rewrites its set-up
    entries) and for migration 0005 (the old chain hashed values themselves)."""
    execute("UPDATE audit_log SET chain_id = NULL, seq = NULL, prev_hash = NULL, entry_hash = NULL, "
            "salts_json = NULL, digests_json = NULL WHERE origin_unit_id IS NULL", ())
    _set_chain_id(execute, chain_id)
    seal(execute)


def chain_problems(con: sqlite3.Connection) -> list[tuple[str, str]]:
    """(entry id, what is wrong) for every entry that does not match its chain.

    A place may hold more than one entry (a restored backup went on from an
    earlier place than a copy already sent away): an entry is linked when its
    ``prev_hash`` is the hash of any entry one place before it. The local chain
    must have every place from 1; other offices' chains arrive in parts.
    Entries are read in chain order as a stream, keeping only the place before
    (memory stays flat however long the log)."""
    local = stored_chain_id(con)
    rows = con.execute(f"SELECT chain_id, seq, prev_hash, entry_hash, {FIELDS} FROM audit_log "
                       "WHERE entry_hash IS NOT NULL OR seq IS NOT NULL OR chain_id IS NOT NULL "
                       "ORDER BY chain_id, seq")
    problems: list[tuple[str, str]] = []
    place, hashes, last_place, last_hashes = None, set(), None, set()
    for chain_id, seq, prev, digest, *fields in rows:
        if (chain_id, seq) != place:  # a new place: the one just read is now the place before
            last_place, last_hashes, place, hashes = place, hashes, (chain_id, seq), set()
        hashes.add(digest)
        linked = type(seq) is int and last_place == (chain_id, seq - 1)
        if (why := _entry_problem(chain_id, seq, prev, digest, tuple(fields), last_hashes if linked else None,
                                  local)) is not None:
            problems.append((fields[0], why))
    return problems


def _entry_problem(chain_id: str | None, seq: int | None, prev: str | None, digest: str | None, fields: tuple,
                   before: set[str] | None, local: str | None) -> str | None:
    """What is wrong with one entry; ``before``: the hashes of the place before it, if held."""
    if chain_id is None or seq is None or prev is None or digest is None:
        return "thiếu thông tin chuỗi"
    try:
        if entry_hash(chain_id, seq, prev, fields) != digest:
            return "nội dung không khớp mã băm"
    except MalformedEntry as exc:
        return f"dữ liệu băm không hợp lệ ({exc})"
    if (seq == 1 and prev != GENESIS) or (before is not None and prev not in before):
        return "không nối tiếp mục trước"
    if before is None and seq > 1 and chain_id == local:
        return f"thiếu mục số {seq - 1} (đã bị xoá hoặc đổi chỗ)"
    return None
