"""What importing a package would do, per kind: new, updated, unchanged,
deleted, conflicts — the dry run shows it, ``apply`` writes it.

Rules: a higher version replaces the local record; a lower one is ignored (it is
already superseded, which is what makes out-of-order imports converge); the
same version with different content is a conflict, kept for a person to review
(unless they differ only where one side is blank: a withheld personal field);
a record may only replace a record of the same owner. Shared reference rows
without an owner (the commune's province, district) are only ever added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection

from .audit_entries import verified_audit_rows
from .errors import InvalidRecord
from .kinds import IMMUTABLE, SNAPSHOT, VERSIONED, Kind, get_kind
from .manifest import Manifest
from ..db.ownership import owner_clash

CHUNK = 900  # SQLite's default limit of bound parameters is 999 on old builds


@dataclass
class KindCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    conflicts: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)

    @property
    def changes(self) -> int:
        return self.new + self.updated + self.deleted + self.conflicts


@dataclass
class KindPlan:
    kind: Kind
    counts: KindCounts = field(default_factory=KindCounts)
    inserts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    conflicts: list[tuple[tuple, tuple]] = field(default_factory=list)  # (local, incoming) to store
    link_deletes: list[tuple] = field(default_factory=list)


@dataclass
class ImportPlan:
    kinds: dict[str, KindPlan]
    links_sequence: int | None  # set when the package's link snapshot is applied

    @property
    def counts(self) -> dict[str, KindCounts]:
        return {name: kp.counts for name, kp in self.kinds.items()}


def _fetch(conn: Connection, kind: Kind, ids: list[str]) -> dict[str, tuple]:
    cols = ", ".join(f'"{c}"' for c in kind.columns)
    i = kind.index("id")
    found: dict[str, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        sql = f'SELECT {cols} FROM "{kind.name}" WHERE id IN ({",".join("?" * len(part))})'
        found.update((row[i], tuple(row)) for row in conn.exec_driver_sql(sql, tuple(part)))
    return found


def _known_conflicts(conn: Connection, kind: Kind, ids: list[str]) -> set[tuple[str, str]]:
    if not ids:
        return set()
    rows = []
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        rows += conn.exec_driver_sql(
            f"SELECT record_id, incoming_json FROM sync_conflict WHERE table_name = ? AND record_id IN "
            f"({','.join('?' * len(part))})", (kind.name, *part)).all()
    return {(r[0], r[1]) for r in rows}


def row_json(kind: Kind, row: tuple) -> str:
    return json.dumps(dict(zip(kind.columns, row)), ensure_ascii=False, sort_keys=True)


def _clash(kind: Kind, record_id: str) -> InvalidRecord:
    return InvalidRecord(f"Gói bị từ chối (không nhập bản ghi nào): bản ghi {kind.label} mã {record_id} đã có ở "
                         "đây nhưng thuộc đơn vị khác; một gói không được sửa dữ liệu của đơn vị khác.")


def _plan_versioned(conn: Connection, kp: KindPlan, rows: list[tuple]) -> None:
    kind, c = kp.kind, kp.counts
    i, v, d, o = (kind.index(x) for x in ("id", "version", "deleted", "owner_unit_id"))
    local = _fetch(conn, kind, [r[i] for r in rows])
    for row in rows:
        loc = local.get(row[i])
        if loc is None:
            kp.inserts.append(row)
            if row[d]:
                c.deleted += 1
            else:
                c.new += 1
        elif owner_clash(loc[o], row[o]):
            raise _clash(kind, row[i])
        elif loc[o] is None or row[v] < loc[v] or row == loc:
            c.unchanged += 1  # reference row, superseded, or the same
        elif row[v] > loc[v]:
            kp.updates.append(row)
            if row[d] and not loc[d]:
                c.deleted += 1
            else:
                c.updated += 1
        elif (filled := _filled_in(loc, row)) is not None:
            # Same version, differing only where one side is blank: the sender's
            # privacy choice changed (a field withheld before is sent now, or the
            # other way round). Nothing to review: keep every value either side has.
            if filled == loc:
                c.unchanged += 1
            else:
                kp.updates.append(filled)
                c.updated += 1
        else:
            c.conflicts += 1
            kp.conflicts.append((loc, row))


def _blank(value: object) -> bool:
    return value is None or value == ""


def _filled_in(local: tuple, incoming: tuple) -> tuple | None:
    """``local`` with its blanks filled from ``incoming``, when the two differ
    only where one of them is blank; None when they really disagree."""
    if any(mine != theirs and not (_blank(mine) or _blank(theirs)) for mine, theirs in zip(local, incoming)):
        return None
    return tuple(theirs if _blank(mine) else mine for mine, theirs in zip(local, incoming))


def _plan_immutable(conn: Connection, kp: KindPlan, rows: list[tuple]) -> None:
    """Inserted once. The only change allowed later is filling in what was empty
    (an audit entry sealed in its office's hash chain after it was first sent)."""
    i = kp.kind.index("id")
    local = _fetch(conn, kp.kind, [r[i] for r in rows])
    for row in rows:
        loc = local.get(row[i])
        if loc is None:
            kp.inserts.append(row)
            kp.counts.new += 1
        elif loc == row:
            kp.counts.unchanged += 1
        elif all(mine is None or mine == theirs for mine, theirs in zip(loc, row)):
            kp.updates.append(row)
            kp.counts.updated += 1
        else:
            kp.counts.conflicts += 1
            kp.conflicts.append((loc, row))


def _plan_links(conn: Connection, kp: KindPlan, rows: list[tuple], sender: str, site_ids: set[str]) -> None:
    """The snapshot replaces the sender's links (of its sites, and of sites it names)."""
    ours = {r[0] for r in conn.exec_driver_sql("SELECT id FROM model_site WHERE owner_unit_id = ?", (sender,))}
    named = {r[kp.kind.index("site_id")] for r in rows} | site_ids
    site = get_kind("model_site")
    for record_id, loc in _fetch(conn, site, sorted(named - ours)).items():
        if loc[site.index("owner_unit_id")] != sender:
            raise _clash(site, record_id)
    scope = sorted(ours | named)
    local: set[tuple] = set()
    for start in range(0, len(scope), CHUNK):
        part = scope[start:start + CHUNK]
        local.update(tuple(r) for r in conn.exec_driver_sql(
            f"SELECT {', '.join(kp.kind.columns)} FROM model_site_household WHERE site_id IN "
            f"({','.join('?' * len(part))})", tuple(part)))
    incoming = set(rows)
    kp.inserts = sorted(incoming - local)
    kp.link_deletes = sorted(local - incoming)
    kp.counts.new, kp.counts.deleted = len(kp.inserts), len(kp.link_deletes)
    kp.counts.unchanged = len(incoming & local)


def plan_import(conn: Connection, manifest: Manifest, records: dict[str, list[tuple]],
                links_sequence: int | None) -> ImportPlan:
    """Reads only. ``links_sequence``: the newest package whose link snapshot
    was applied for this sender (an older snapshot is ignored)."""
    sender = manifest.sender.unit_id
    plan = ImportPlan(kinds={}, links_sequence=None)
    for name, rows in records.items():
        kind = get_kind(name)
        if name == "audit_log":  # verified against the sender's own chain; held ones come back as held
            rows = verified_audit_rows(conn, sender, rows, records)
        kp = plan.kinds[name] = KindPlan(kind)
        if kind.mode == VERSIONED:
            _plan_versioned(conn, kp, rows)
        elif kind.mode == IMMUTABLE:
            _plan_immutable(conn, kp, rows)
        elif kind.mode == SNAPSHOT:
            if links_sequence is not None and manifest.sequence <= links_sequence:
                kp.counts.unchanged = len(rows)  # a newer snapshot is already applied
                continue
            i = get_kind("model_site").index("id")
            sites = {r[i] for r in records.get("model_site", [])}
            _plan_links(conn, kp, rows, sender, sites)
            plan.links_sequence = manifest.sequence
    for kp in plan.kinds.values():
        if kp.conflicts:
            known = _known_conflicts(conn, kp.kind, [inc[kp.kind.index("id")] for _loc, inc in kp.conflicts])
            kp.conflicts = [(loc, inc) for loc, inc in kp.conflicts
                            if (inc[kp.kind.index("id")], row_json(kp.kind, inc)) not in known]
    return plan
