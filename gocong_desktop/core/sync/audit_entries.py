"""Audit entries in packages: personal values withheld on the way out, the
sender's chain verified on the way in.

Out: an entry travels sealed in this office's chain, marked with this office as
its origin; a field the privacy setting withholds travels as its digest alone
(``audit_chain.withhold``), so the receiver recomputes the same entry hash
without ever seeing the value.

In: every entry must be sealed in the sender's own chain (never the receiver's,
never another office's), its hash must match its values and digests, and it
must link to the entries of that chain already here or in the package. One
entry that fails refuses the whole package: nothing is written, and ``check``
never has a broken chain to report because of a package. Entries are never
sealed into the receiver's chain; an entry already held is kept as it is.
The head the manifest declares (``check_head``) must be a chain of the sender's
own, at or past every entry of that chain the package carries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Connection

from gocong_desktop.core.db.portable import on_sqlite, qmark_execute
from gocong_desktop.core.storage import audit_chain
from gocong_desktop.core.storage.audit_chain import GENESIS, HASH_RE, ChainHead, MalformedEntry
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.kinds import Kind, get_kind
from gocong_desktop.core.sync.stored import reader

CHUNK = 900
_CONTENT = ("id", "at", "actor", "action", "table_name", "record_id")


@dataclass(frozen=True)
class _Cols:
    """Positions of the columns in an audit row (``kind.columns`` order)."""

    kind: Kind

    def __getitem__(self, name: str) -> int:
        return self.kind.index(name)

    def fields(self, row: tuple) -> tuple:
        return tuple(row[self[c]] for c in audit_chain.FIELDS.split(", "))


def outgoing_entries(kind: Kind, rows: list[tuple], withheld: dict[str, set[str]], me: str) -> list[tuple]:
    """This office's entries as they leave: withheld fields as digests only,
    this office named as their origin."""
    c = _Cols(kind)
    held = [c["changes_json"], c["salts_json"], c["digests_json"]]  # values, their salts, digests alone
    out = []
    for row in rows:
        row = list(row)
        if hidden := withheld.get(row[c["table_name"]]):
            values = audit_chain.withhold(*(row[i] for i in held), hidden)
            for i, value in zip(held, values):
                row[i] = value
        row[c["origin_unit_id"]] = me
        out.append(tuple(row))
    return out


class _ServerSql:
    """``execute(sql, params)`` with "?" placeholders on a server's connection."""

    def __init__(self, conn: Connection) -> None:
        self.execute = qmark_execute(conn)


def _raw(conn: Connection) -> Any:
    """The sqlite3 connection under ``conn`` (plain tuples: no Row objects to
    build for every entry read), or, on a server, one taking the same SQL."""
    return conn.connection.driver_connection if on_sqlite(conn) else _ServerSql(conn)


def _refused(row_id: object, why: str) -> PackageRefused:
    return PackageRefused(f"Gói bị từ chối (không nhập bản ghi nào): mục nhật ký thay đổi mã {row_id} {why}.",
                          code="audit_entry")


def verified_audit_rows(conn: Connection, sender_unit_id: str, rows: list[tuple],
                        records: dict[str, list[tuple]]) -> list[tuple]:
    """The package's audit rows (``rows``) once each is verified against the
    sender's chain and found to describe a record of the package (``records``,
    as a commune's export sends them); a row already held here comes back as
    held (nothing to write). Reads only; raises ``PackageRefused`` naming the
    first entry that fails."""
    if not rows:
        return rows
    c = _Cols(get_kind("audit_log"))
    sql = _raw(conn)
    local = audit_chain.stored_chain_id(sql)
    described = _record_ids(records)
    for row in rows:
        if row[c["record_id"]] not in described.get(row[c["table_name"]], ()):
            raise _refused(row[c["id"]], "nói về một bản ghi không có trong gói")
        _check_sealed(c, row, sender_unit_id, local)
    held = _held(sql, c, [row[c["id"]] for row in rows], reader(conn, c.kind))
    out = [_keep_or_take(c, row, held.get(row[c["id"]]), sender_unit_id, local) for row in rows]
    new = [row for row, kept in zip(rows, out) if kept is row]
    for chain_id in sorted({row[c["chain_id"]] for row in new}):
        _check_links(sql, c, [row for row in new if row[c["chain_id"]] == chain_id], sender_unit_id)
    return out


def _record_ids(records: dict[str, list[tuple]]) -> dict[str, set[str]]:
    out = {}
    for name, rows in records.items():
        kind = get_kind(name)
        if kind is not None and "id" in kind.columns and name != "audit_log":
            i = kind.index("id")
            out[name] = {row[i] for row in rows}
    return out


def _check_sealed(c: _Cols, row: tuple, sender: str, local: str | None) -> None:
    """Sealed, by the sender, in a chain of its own, and matching its hash."""
    row_id, chain_id, seq = row[c["id"]], row[c["chain_id"]], row[c["seq"]]
    prev, digest = row[c["prev_hash"]], row[c["entry_hash"]]
    if row[c["origin_unit_id"]] != sender:
        raise _refused(row_id, "không ghi là của đơn vị gửi gói (gói giả, hoặc do phiên bản cũ lập: hãy cập "
                               "nhật phần mềm ở đơn vị gửi rồi xuất lại)")
    if chain_id is None or seq is None or prev is None or digest is None:
        raise _refused(row_id, "chưa được niêm phong trong chuỗi nhật ký của đơn vị gửi")
    if chain_id == local:
        raise _refused(row_id, "mang mã chuỗi nhật ký của chính cơ quan này")
    if type(seq) is not int or seq < 1 or not HASH_RE.match(digest) or not (
            prev == GENESIS or HASH_RE.match(prev)):
        raise _refused(row_id, "có số thứ tự hoặc mã băm không hợp lệ")
    try:
        matches = audit_chain.entry_hash(chain_id, seq, prev, c.fields(row)) == digest
    except MalformedEntry as exc:
        raise _refused(row_id, f"có dữ liệu băm không hợp lệ ({exc})") from None
    if not matches:
        raise _refused(row_id, "không khớp mã băm của chính nó (nội dung đã bị sửa)")


def _held(sql, c: _Cols, ids: list[str], stored: Callable[[Any], tuple]) -> dict[str, tuple]:
    cols = ", ".join(f'"{name}"' for name in c.kind.columns)
    found: dict[str, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        found.update((r[c["id"]], r) for r in map(stored, sql.execute(
            f"SELECT {cols} FROM audit_log WHERE id IN ({','.join('?' * len(part))})", tuple(part))))
    return found


def _keep_or_take(c: _Cols, row: tuple, held: tuple | None, sender: str, local: str | None) -> tuple:
    """``row`` when it is new here; the held row when it is the same entry again
    (sent again, or sealed again by its office under a new chain id)."""
    if held is None:
        return row
    row_id, held_chain, held_origin = row[c["id"]], held[c["chain_id"]], held[c["origin_unit_id"]]
    if held_origin is None and (held_chain is None or held_chain == local):
        raise _refused(row_id, "trùng mã với một mục trong nhật ký của chính cơ quan này")
    if held_origin not in (None, sender):
        raise _refused(row_id, "trùng mã với một mục nhật ký của đơn vị khác")
    if held[c["entry_hash"]] == row[c["entry_hash"]]:
        return held
    if held_chain == row[c["chain_id"]]:
        raise _refused(row_id, "khác với chính mục ấy đã nhận trước đây trong cùng chuỗi nhật ký")
    if not _same_content(c, held, row):
        raise _refused(row_id, "khác nội dung với chính mục ấy đã nhận trước đây")
    return held


def _same_content(c: _Cols, held: tuple, row: tuple) -> bool:
    if any(held[c[name]] != row[c[name]] for name in _CONTENT):
        return False
    mine, theirs = (_changes(r[c["changes_json"]]) for r in (held, row))
    return mine is not None and theirs is not None and all(mine[k] == theirs[k] for k in mine.keys() & theirs)


def _changes(text: str | None) -> dict | None:
    """The values an entry holds (None when they are not a JSON object)."""
    try:
        value = json.loads(text) if text is not None else {}
    except (ValueError, RecursionError):
        return None
    return value if type(value) is dict else None


def _check_links(sql, c: _Cols, new: list[tuple], sender: str) -> None:
    """The sender's chain, as it will be held here, links up: each new entry to
    the entries one place before it, and the entries held one place after a new
    place to the new ones. Entries of a chain may arrive in parts."""
    chain_id = new[0][c["chain_id"]]
    stored = sql.execute("SELECT seq, prev_hash, entry_hash, origin_unit_id FROM audit_log "
                         "WHERE chain_id = ?", (chain_id,)).fetchall()
    if any(origin != sender for *_, origin in stored):
        raise _refused(new[0][c["id"]], "mang mã chuỗi nhật ký của một đơn vị khác")
    places: dict[int, set[str]] = {}
    stored = [s for s in stored if s[0] is not None]  # broken before: ``check`` reports those
    for seq, _prev, digest, _origin in stored:
        places.setdefault(seq, set()).add(digest)
    held_places = set(places)
    for row in new:
        places.setdefault(row[c["seq"]], set()).add(row[c["entry_hash"]])
    for row in new:
        seq, prev = row[c["seq"]], row[c["prev_hash"]]
        before = places.get(seq - 1)
        if (seq == 1 and prev != GENESIS) or (before is not None and prev not in before):
            raise _refused(row[c["id"]], "không nối tiếp mục trước trong chuỗi nhật ký của đơn vị gửi")
    new_places = {row[c["seq"]] for row in new} - held_places
    for seq, prev, _digest, _origin in stored:
        if seq - 1 in new_places and prev not in places[seq - 1]:
            row = next(r for r in new if r[c["seq"]] == seq - 1)
            raise _refused(row[c["id"]], f"không khớp với mục số {seq} đã nhận trước đây của chuỗi "
                                         "nhật ký ấy")


def check_head(conn: Connection, sender_unit_id: str, head: ChainHead | None, rows: list[tuple]) -> None:
    """The manifest's audit head (signed back in receipts) agrees with what is
    known of that chain: not this office's chain nor another office's, and no
    entry of the package beyond it or at its place with another hash. Reads only."""
    if head is None:
        return
    sql = _raw(conn)
    others = sql.execute("SELECT 1 FROM audit_log WHERE chain_id = ? AND (origin_unit_id IS NULL OR "
                         "origin_unit_id != ?) LIMIT 1", (head.chain_id, sender_unit_id)).fetchone()
    if head.chain_id == audit_chain.stored_chain_id(sql) or others:
        raise _bad_head("mang mã chuỗi nhật ký không phải của đơn vị gửi")
    c = _Cols(get_kind("audit_log"))
    for row in rows:
        seq = row[c["seq"]]
        if row[c["chain_id"]] != head.chain_id or type(seq) is not int:  # unsealed ones: refused below
            continue
        if seq > head.seq or (seq == head.seq and row[c["entry_hash"]] != head.entry_hash):
            raise _bad_head(f"không khớp mục nhật ký mã {row[c['id']]} trong gói")


def _bad_head(why: str) -> PackageRefused:
    return PackageRefused(f"Gói bị từ chối (không nhập bản ghi nào): đầu chuỗi nhật ký khai trong tệp mô tả {why}.",
                          code="audit_head")
