"""References of a package's records: each must point to a record of the
sender's own data — in the package, or received earlier and kept under the
sender's unit — or to a shared reference unit (an ``admin_unit`` without
owner: a province, a district). The import writes with foreign keys off on
SQLite (deferred to the commit on a server, ``txn.py``), so without this a
dangling reference would be stored in a file and ``check`` would fail for good
(a server would refuse the whole package at its commit, saying less).
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

from sqlalchemy import Connection

from gocong_desktop.core.db.many_rows import in_values
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.sync.kinds import get_kind
from gocong_desktop.core.sync.records import invalid_record


@lru_cache(maxsize=None)
def references(table_name: str) -> tuple[tuple[str, str], ...]:
    """(column, referenced table) of every foreign key of a kind's table."""
    kind = get_kind(table_name)
    return tuple(sorted({(fk.parent.name, fk.column.table.name) for fk in kind.table.foreign_keys}))


def _stored_owners(conn: Connection, table: str, ids: set[str]) -> dict[str, str | None]:
    """{id: owner unit} of the records of ``table`` already stored here."""
    found: dict[str, str | None] = {}
    ordered = sorted(ids)
    for among, part in in_values(conn, ordered):
        found.update(qmark_execute(conn)(f'SELECT id, owner_unit_id FROM "{table}" WHERE id {among}', part).all())
    return found


def check_references(conn: Connection, records: dict[str, list[tuple]], members: dict[str, str],
                     sender_unit_id: str, sender_name: str) -> None:
    """``InvalidRecord`` for the first reference to a record that is neither in
    the package nor the sender's (nor a shared unit)."""
    in_package = {name: set(map(itemgetter(get_kind(name).index("id")), rows))
                  for name, rows in records.items() if "id" in get_kind(name).columns}
    wanted: dict[str, set[str]] = {}
    for name, rows in records.items():
        kind = get_kind(name)
        for column, target in references(name):
            i = kind.index(column)
            wanted.setdefault(target, set()).update(map(itemgetter(i), rows))
    for ids in wanted.values():
        ids.discard(None)
    bad: dict[str, dict[str, str]] = {}  # target -> {id: why}
    for target, ids in wanted.items():
        outside = ids - in_package.get(target, set())
        owners = _stored_owners(conn, target, outside)
        for record_id in outside:
            owner = owners.get(record_id, "")
            shared = target == "admin_unit" and owner is None  # a province, a district: reference data
            if record_id not in owners:
                why = (f"không có trong gói, cũng chưa nhận được trước đây từ {sender_name} — có thể còn thiếu "
                       "gói trước đó: hãy nhập các gói của đơn vị theo đúng thứ tự số")
            elif owner != sender_unit_id and not shared:
                why = "thuộc đơn vị khác; một gói chỉ được trỏ tới dữ liệu của chính đơn vị gửi"
            else:
                continue
            bad.setdefault(target, {})[record_id] = why
    if bad:
        _raise_first(records, members, bad)


def _raise_first(records: dict[str, list[tuple]], members: dict[str, str],
                 bad: dict[str, dict[str, str]]) -> None:
    for name, rows in records.items():
        kind = get_kind(name)
        for column, target in references(name):
            i = kind.index(column)
            for n, row in enumerate(rows, 1):
                if row[i] in bad.get(target, {}):
                    record_id = row[kind.index("id")] if "id" in kind.columns else None
                    raise invalid_record(kind, members[name], n, record_id,
                                         f"trường «{column}» trỏ tới {get_kind(target).label} mã {row[i]} "
                                         f"{bad[target][row[i]]}")
