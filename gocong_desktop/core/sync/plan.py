"""What importing a package would do, per kind: new, updated, unchanged,
deleted, conflicts — the dry run shows it, ``apply`` writes it.

Rules (stamps compared through the sender's lineage, ``lineage.py``): a record
whose last change the local one already has is ignored (out-of-order imports
converge); one that descends from the local record replaces it; when the
sender no longer has the local record's last change (it restored an older
backup), the sender's record is applied and the lost one kept as a conflict
for review — and a change the sender has since lost is never applied. The
same stamp with different content is a conflict kept for review (unless they
differ only where one side is blank: a withheld personal field). A full
package also retires the sender's records that exist only in a lost history.
A record may only replace a record of the same owner. Shared reference rows
without an owner (provinces, districts) are only ever added, under the id
their content gives them (``db/reference_units.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection

from gocong_desktop.core.sync.audit_entries import check_head, verified_audit_rows
from gocong_desktop.core.sync.derived import without_search_key
from gocong_desktop.core.sync.errors import InvalidRecord, PackageRefused
from gocong_desktop.core.sync.kinds import IMMUTABLE, SNAPSHOT, VERSIONED, VIOLATIONS, Kind, all_kinds, get_kind
from gocong_desktop.core.sync.lineage import LOST_INCOMING, LOST_LOCAL, NEWER, OLDER, SAME, LineageError, Tree
from gocong_desktop.core.sync.manifest import Manifest
from gocong_desktop.core.sync.units_guard import check_units
from gocong_desktop.core.db.ownership import owner_clash
from gocong_desktop.core.db.many_rows import in_values
from gocong_desktop.core.db.portable import qmark_execute
from gocong_desktop.core.sync.stored import reader


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
    replaced: list[tuple] = field(default_factory=list)  # the local rows ``updates`` replace, in order (undo)
    # (local, incoming, reason) to store; reason as in SyncConflict.reason
    conflicts: list[tuple[tuple, tuple, str | None]] = field(default_factory=list)
    link_deletes: list[tuple] = field(default_factory=list)

    def update(self, local: tuple, row: tuple) -> None:
        self.updates.append(row)
        self.replaced.append(local)


@dataclass
class ImportPlan:
    kinds: dict[str, KindPlan]
    links_sequence: int | None  # set when the package's link snapshot is applied
    lineage_json: str | None = None  # the sender's incarnations known once this package is in

    @property
    def counts(self) -> dict[str, KindCounts]:
        return {name: kp.counts for name, kp in self.kinds.items()}


def _fetch(conn: Connection, kind: Kind, ids: list[str]) -> dict[str, tuple]:
    cols = ", ".join(f'"{c}"' for c in kind.columns)
    i, stored = kind.index("id"), reader(conn, kind)
    found: dict[str, tuple] = {}
    for among, part in in_values(conn, ids):
        sql = f'SELECT {cols} FROM "{kind.name}" WHERE id {among}'
        found.update((row[i], row) for row in map(stored, qmark_execute(conn)(sql, part)))
    return found


def _known_conflicts(conn: Connection, kind: Kind, ids: list[str]) -> set[tuple[str, str]]:
    if not ids:
        return set()
    rows = []
    for among, part in in_values(conn, ids):
        rows += qmark_execute(conn)(
            f"SELECT record_id, incoming_json FROM sync_conflict WHERE table_name = ? AND record_id {among}",
            (kind.name, *part)).all()
    return {(r[0], r[1]) for r in rows}


def row_json(kind: Kind, row: tuple) -> str:
    return json.dumps(dict(zip(kind.columns, row)), ensure_ascii=False, sort_keys=True)


def _clash(kind: Kind, record_id: str) -> InvalidRecord:
    return InvalidRecord(f"Gói bị từ chối (không nhập bản ghi nào): bản ghi {kind.label} mã {record_id} đã có ở "
                         "đây nhưng thuộc đơn vị khác; một gói không được sửa dữ liệu của đơn vị khác.")


def _stamp(kind: Kind, row: tuple) -> tuple[str | None, int | None]:
    return row[kind.index("origin")], row[kind.index("change_seq")]


def _update(kp: KindPlan, loc: tuple, row: tuple) -> None:
    d = kp.kind.index("deleted")
    kp.update(loc, row)
    if row[d] and not loc[d]:
        kp.counts.deleted += 1
    else:
        kp.counts.updated += 1


def _plan_versioned(conn: Connection, kp: KindPlan, rows: list[tuple], tree: Tree) -> None:
    kind, c = kp.kind, kp.counts
    i, d, o = (kind.index(x) for x in ("id", "deleted", "owner_unit_id"))
    local = _fetch(conn, kind, [r[i] for r in rows])
    for row in rows:
        loc = local.get(row[i])
        if loc is None:
            if tree.lost(_stamp(kind, row)):  # made in a history the sender lost: review only
                c.conflicts += 1
                kp.conflicts.append((None, row, LOST_INCOMING))
                continue
            kp.inserts.append(row)
            if row[d]:
                c.deleted += 1
            else:
                c.new += 1
            continue
        if owner_clash(loc[o], row[o]):
            raise _clash(kind, row[i])
        order = SAME if loc[o] is None else tree.compare(_stamp(kind, loc), _stamp(kind, row))
        if loc[o] is None or row == loc or order == OLDER or _stale_lost(tree, order, row, kind):
            c.unchanged += 1  # reference row, the same, superseded, or a lost version held here already
        elif order == NEWER:
            _update(kp, loc, row)
        elif order == LOST_LOCAL:  # the sender restored an older backup: its record now, the lost one kept
            _update(kp, loc, row)
            c.conflicts += 1
            kp.conflicts.append((loc, row, LOST_LOCAL))
        elif order == LOST_INCOMING:  # a change the sender has lost since: kept for review, not applied
            c.conflicts += 1
            kp.conflicts.append((loc, row, LOST_INCOMING))
        elif (filled := _filled_in(without_search_key(kind, loc), without_search_key(kind, row))) is not None:
            # Same version, differing only where one side is blank: the sender's
            # privacy choice changed (a field withheld before is sent now, or the
            # other way round). Nothing to review: keep every value either side has.
            if filled == without_search_key(kind, loc):
                c.unchanged += 1
            else:
                kp.update(loc, filled)
                c.updated += 1
        else:
            c.conflicts += 1
            kp.conflicts.append((loc, row, None))


def _stale_lost(tree: Tree, order: str, row: tuple, kind: Kind) -> bool:
    """The very version held here, in a package from a history the sender has
    since lost (carried on a stick across two restores). If a full package
    retired it meanwhile, the retirement already kept it for review: nothing new."""
    return order == SAME and tree.lost(_stamp(kind, row))


def _retire_lost(conn: Connection, kp: KindPlan, rows: list[tuple], sender: str, tree: Tree) -> None:
    """A full package is all the sender has: its records missing from it whose
    last change the sender lost (made before a restore went back) are retired."""
    kind = kp.kind
    i, d = kind.index("id"), kind.index("deleted")
    sent = {r[i] for r in rows}
    cols = ", ".join(f'"{c}"' for c in kind.columns)
    stored = reader(conn, kind)
    for loc in qmark_execute(conn)(f'SELECT {cols} FROM "{kind.name}" WHERE owner_unit_id = ? AND deleted = ?',
                                    (sender, False)):
        loc = stored(loc)
        if loc[i] in sent or not tree.lost(_stamp(kind, loc)):
            continue
        retired = tuple(1 if n == d else value for n, value in enumerate(loc))
        kp.update(loc, retired)
        kp.counts.deleted += 1
        kp.counts.conflicts += 1
        kp.conflicts.append((loc, retired, LOST_LOCAL))


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
            kp.update(loc, row)
            kp.counts.updated += 1
        else:
            kp.counts.conflicts += 1
            kp.conflicts.append((loc, row, None))


def _plan_links(conn: Connection, kp: KindPlan, rows: list[tuple], sender: str, site_ids: set[str]) -> None:
    """The snapshot replaces the sender's links (of its sites, and of sites it names)."""
    ours = {r[0] for r in qmark_execute(conn)("SELECT id FROM model_site WHERE owner_unit_id = ?", (sender,))}
    named = {r[kp.kind.index("site_id")] for r in rows} | site_ids
    site = get_kind("model_site")
    for record_id, loc in _fetch(conn, site, sorted(named - ours)).items():
        if loc[site.index("owner_unit_id")] != sender:
            raise _clash(site, record_id)
    scope = sorted(ours | named)
    local: set[tuple] = set()
    for among, part in in_values(conn, scope):
        local.update(tuple(r) for r in qmark_execute(conn)(
            f"SELECT {', '.join(kp.kind.columns)} FROM model_site_household WHERE site_id {among}", part))
    incoming = set(rows)
    kp.inserts = sorted(incoming - local)
    kp.link_deletes = sorted(local - incoming)
    kp.counts.new, kp.counts.deleted = len(kp.inserts), len(kp.link_deletes)
    kp.counts.unchanged = len(incoming & local)


def plan_import(conn: Connection, manifest: Manifest, records: dict[str, list[tuple]],
                links_sequence: int | None, *, partial: bool = False) -> ImportPlan:
    """Reads only. ``links_sequence``: the newest package whose link snapshot
    was applied for this sender (an older snapshot is ignored). ``partial``:
    ``records`` holds only some kinds of the package (validation looking ahead),
    so the steps that need all of it — audit entries matched to their records,
    lost records retired — are left to the real plan."""
    sender = manifest.sender.unit_id
    tree = _sender_tree(conn, manifest)
    check_units(conn, manifest, records.get("admin_unit", []))
    plan = ImportPlan(kinds={}, links_sequence=None, lineage_json=tree.to_json())
    for name, rows in records.items():
        kind = get_kind(name)
        if name == "audit_log" and not partial:  # verified against the sender's chain; held ones come back held
            rows = verified_audit_rows(conn, sender, rows, records)
        kp = plan.kinds[name] = KindPlan(kind)
        if kind.mode == VERSIONED:
            head = (manifest.lineage[-1].id, manifest.change_seq)
            _check_stamps(kind, rows, tree, head)
            _plan_versioned(conn, kp, rows, tree)
        elif kind.mode == IMMUTABLE:
            _plan_immutable(conn, kp, rows)
        elif kind.mode == SNAPSHOT:
            superseded = tree.superseded(manifest.lineage[-1].id)  # sent before a restore went back
            if superseded or (not manifest.full and links_sequence is not None
                              and manifest.sequence <= links_sequence):
                kp.counts.unchanged = len(rows)  # a newer snapshot is already applied (or will be)
                continue
            i = get_kind("model_site").index("id")
            sites = {r[i] for r in records.get("model_site", [])}
            _plan_links(conn, kp, rows, sender, sites)
            plan.links_sequence = manifest.sequence
    if not partial:  # after the entries themselves: a forged entry is named as such first
        check_head(conn, sender, manifest.audit_head, records.get("audit_log", []))
    if manifest.full and not partial and not tree.superseded(manifest.lineage[-1].id):
        _retire_all_lost(conn, plan, manifest, records, tree)
    for kp in plan.kinds.values():
        if kp.conflicts:
            known = _known_conflicts(conn, kp.kind, [inc[kp.kind.index("id")] for _loc, inc, _r in kp.conflicts])
            kp.conflicts = [(loc, inc, why) for loc, inc, why in kp.conflicts
                            if (inc[kp.kind.index("id")], row_json(kp.kind, inc)) not in known]
    return plan


def _retire_all_lost(conn: Connection, plan: ImportPlan, manifest: Manifest, records: dict, tree: Tree) -> None:
    for kind_name in [k for k in _versioned_names() if k != VIOLATIONS or manifest.includes_violations]:
        kp = plan.kinds.setdefault(kind_name, KindPlan(get_kind(kind_name)))
        _retire_lost(conn, kp, records.get(kind_name, []), manifest.sender.unit_id, tree)


def _versioned_names() -> list[str]:
    return [k.name for k in all_kinds() if k.mode == VERSIONED]


def _sender_tree(conn: Connection, manifest: Manifest) -> Tree:
    """The sender's incarnations known here, with this package's lineage added."""
    found = qmark_execute(conn)("SELECT lineage_json FROM sync_peer WHERE unit_id = ?",
                                 (manifest.sender.unit_id,)).first()
    try:
        return Tree.from_json(found[0] if found else None).merged(manifest.lineage)
    except LineageError as exc:
        raise PackageRefused(f"Gói bị từ chối: {exc}; có thể gói đã bị làm giả. Cơ sở dữ liệu không đổi.",
                             code="lineage") from None


def _check_stamps(kind: Kind, rows: list[tuple], tree: Tree, head: tuple[str, int]) -> None:
    """Every record was last changed in the sender's history as of its export:
    in the package's incarnation at most at its counter, or in an earlier one
    at most where the sender forked from it."""
    o, c, i = kind.index("origin"), kind.index("change_seq"), kind.index("id")
    for row in rows:
        if row[o] is None or row[c] is None or not 0 <= row[c] < 2 ** 53 \
                or not tree.contains(head, (row[o], row[c])):
            raise InvalidRecord(f"Gói bị từ chối (không nhập bản ghi nào): bản ghi {kind.label} mã {row[i]} "
                                "không ghi rõ được sửa ở lần nào của dữ liệu đơn vị gửi (origin/change_seq).")
