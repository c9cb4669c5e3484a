"""The sync ledger (``sync_package``): packages written here (exported, then
delivered once a receipt confirms them) and packages imported, per sender, with
the sequence numbers still missing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import OfficeRole, SyncDirection, SyncPackage, SyncPeer
from gocong_desktop.core.services.start_page import SentPackage

EXPORTED, DELIVERED, IMPORTED = "exported", "delivered", "imported"
UNDONE = "undone"  # an import undone (sync/undo.py): kept in the ledger, counted nowhere
# An incremental package may come at most this many numbers after the newest
# one received from its sender (19 lost packages in a row); beyond that the
# sender is asked for a full package, which is accepted whatever its number.
MAX_SEQUENCE_JUMP = 20


@dataclass(frozen=True)
class ExportRow:
    package_uuid: str
    sequence: int
    created_at: datetime | None
    file_name: str | None
    full: bool
    since_sequence: int | None
    encrypted: bool
    counts: dict[str, int]
    status: str  # "exported" or "delivered"
    delivered_at: str | None

    @property
    def records(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ImportRow:
    package_uuid: str
    sender_unit_id: str | None
    sender_name: str  # "xã Bình Tân"
    sequence: int | None
    created_at: datetime | None  # when the commune made it
    imported_at: datetime
    file_name: str | None
    changes: dict[str, dict[str, int]]  # kind -> {"new": n, "updated": n, ...}
    conflicts: int
    warnings: list[str]  # gaps and broken chains, as reported when it was imported


def _report(row: SyncPackage) -> dict:
    return json.loads(row.report_json) if row.report_json else {}


def exports(session: Session) -> list[SyncPackage]:
    return list(session.exec(select(SyncPackage).where(SyncPackage.direction == SyncDirection.EXPORT)
                             .order_by(SyncPackage.sequence.desc())).all())


def last_export(session: Session) -> SyncPackage | None:
    found = exports(session)
    return found[0] if found else None


def last_sent(session: Session) -> SentPackage | None:
    """The newest package written here, for the start page: when, and whether a receipt confirmed it."""
    row = last_export(session)
    if row is None:
        return None
    when = row.created_at or row.processed_at
    local = when.astimezone().replace(tzinfo=None) if when.tzinfo else when  # the day on this PC
    return SentPackage(sent_at=local, receipt_back=row.status == DELIVERED)


def next_sequence(session: Session) -> int:
    top = session.exec(select(func.max(SyncPackage.sequence))
                       .where(SyncPackage.direction == SyncDirection.EXPORT)).one()
    return (top or 0) + 1


def list_exports(session: Session) -> list[ExportRow]:
    """Packages written by this office, newest first (the Sync page's list)."""
    out = []
    for row in exports(session):
        report = _report(row)
        out.append(ExportRow(package_uuid=row.package_uuid, sequence=row.sequence, created_at=row.created_at,
                             file_name=report.get("file_name"), full=bool(report.get("full")),
                             since_sequence=report.get("since_sequence"),
                             encrypted=bool(report.get("encrypted")),
                             counts=json.loads(row.counts_json or "{}"), status=row.status,
                             delivered_at=report.get("delivered_at")))
    return out


def _imported():
    """The import rows that count: those not undone since."""
    return (SyncPackage.direction == SyncDirection.IMPORT) & (SyncPackage.status != UNDONE)


def imports(session: Session, *, unit_id: str | None = None) -> list[SyncPackage]:
    query = select(SyncPackage).where(_imported())
    if unit_id is not None:
        query = query.where(SyncPackage.sender_unit_id == unit_id)
    return list(session.exec(query.order_by(SyncPackage.processed_at.desc())).all())


def find_import(session: Session, package_uuid: str) -> SyncPackage | None:
    return session.exec(select(SyncPackage).where(_imported(), SyncPackage.package_uuid == package_uuid)).first()


def registered_names(session: Session, unit_id: str | None = None) -> dict[str, str]:
    """{unit id: "xã Bình Tân"} of the registered communes (one's if ``unit_id`` is given)."""
    query = select(SyncPeer.unit_id, SyncPeer.unit_type, SyncPeer.unit_name).where(
        SyncPeer.role == OfficeRole.COMMUNE)
    if unit_id is not None:
        query = query.where(SyncPeer.unit_id == unit_id)
    return {u: f"{t} {n}" for u, t, n in session.exec(query).all()}


def sender_name(session: Session, row: SyncPackage, registered: dict[str, str] | None = None) -> str:
    """"xã Bình Tân": who sent an imported package. The name registered with the
    sender's key, when it still is: a row stored before a package had to name its
    registered unit keeps whatever name the package claimed, another commune's maybe."""
    if registered is None:
        registered = registered_names(session, row.sender_unit_id) if row.sender_unit_id else {}
    recorded = f"{_report(row).get('sender_unit_type', '')} {row.sender_unit_name or ''}".strip()
    return registered.get(row.sender_unit_id or "", recorded)


def undone_import(session: Session, package_uuid: str) -> SyncPackage | None:
    """The latest import of a package that was undone since, if any."""
    return session.exec(select(SyncPackage).where(
        SyncPackage.direction == SyncDirection.IMPORT, SyncPackage.status == UNDONE,
        SyncPackage.package_uuid == package_uuid).order_by(SyncPackage.processed_at.desc())).first()


def list_imports(session: Session, *, unit_id: str | None = None) -> list[ImportRow]:
    out, registered = [], registered_names(session, unit_id)
    for row in imports(session, unit_id=unit_id):
        report = _report(row)
        changes = report.get("changes", {})
        out.append(ImportRow(
            package_uuid=row.package_uuid, sender_unit_id=report.get("sender_unit_id"),
            sender_name=sender_name(session, row, registered),
            sequence=row.sequence, created_at=row.created_at, imported_at=row.processed_at,
            file_name=report.get("file_name"), changes=changes,
            conflicts=sum(c.get("conflicts", 0) for c in changes.values()),
            warnings=report.get("warnings", [])))
    return out


def received(session: Session, unit_id: str) -> dict[int, bool]:
    """{sequence: was a full package} of the packages imported from a sender."""
    return received_by_sender(session, unit_id=unit_id).get(unit_id, {})


def received_by_sender(session: Session, *, unit_id: str | None = None) -> dict[str, dict[int, bool]]:
    """{sender: {sequence: was a full package}}, every sender's in one query
    (one sender's if ``unit_id`` is given)."""
    full = func.max(case((SyncPackage.full, 1), else_=0))  # a server has no max() of booleans
    query = (select(SyncPackage.sender_unit_id, SyncPackage.sequence, full)
             .where(_imported(), SyncPackage.sequence.is_not(None))
             .group_by(SyncPackage.sender_unit_id, SyncPackage.sequence))
    if unit_id is not None:
        query = query.where(SyncPackage.sender_unit_id == unit_id)
    out: dict[str, dict[int, bool]] = {}
    for sender, sequence, full in session.exec(query).all():
        out.setdefault(sender, {})[sequence] = bool(full)
    return out


@dataclass(frozen=True)
class SenderLedger:
    """What the ledger holds of one sender's imported packages."""

    packages: int
    last_sequence: int | None  # the newest package's (highest number; the latest imported of twins)
    last_package_at: datetime | None  # when the sender made it
    last_imported_at: datetime
    missing: list[int]  # ``missing_sequences`` of what was received


def senders(session: Session) -> dict[str, SenderLedger]:
    """{sender unit id: its ledger}, for every sender, in three indexed queries."""
    rank = func.row_number().over(partition_by=SyncPackage.sender_unit_id,
                                  order_by=(func.coalesce(SyncPackage.sequence, 0).desc(),
                                            SyncPackage.processed_at.desc()))
    ranked = (select(SyncPackage.sender_unit_id, SyncPackage.sequence, SyncPackage.created_at,
                     rank.label("rank")).where(_imported()).subquery())
    newest = {u: (seq, at) for u, seq, at in session.exec(
        select(ranked.c.sender_unit_id, ranked.c.sequence, ranked.c.created_at).where(ranked.c.rank == 1)).all()}
    totals = session.exec(select(SyncPackage.sender_unit_id, func.count(), func.max(SyncPackage.processed_at))
                          .where(_imported())
                          .group_by(SyncPackage.sender_unit_id)).all()
    got = received_by_sender(session)
    return {u: SenderLedger(packages=n, last_sequence=newest[u][0], last_package_at=newest[u][1],
                            last_imported_at=last, missing=missing_sequences(got.get(u, {})))
            for u, n, last in totals}


def missing_sequences(got: dict[int, bool]) -> list[int]:
    """Sequence numbers not received between the newest full package (which
    carries everything before it) and the newest package. A number more than
    ``MAX_SEQUENCE_JUMP`` beyond the ones below it is not waited for: imports
    now refuse such a package, and one received before they did (a forged
    "99" after "5") must not keep a warning alive for ever."""
    fulls = [s for s, full in got.items() if full]
    top = base = max(fulls, default=0)
    for s in sorted(s for s in got if s > base):
        if s - top > MAX_SEQUENCE_JUMP:
            break
        top = s
    return [s for s in range(base + 1, top) if s not in got]


def _numbers(seqs: list[int]) -> str:
    parts, i = [], 0
    while i < len(seqs):
        j = i
        while j + 1 < len(seqs) and seqs[j + 1] == seqs[j] + 1:
            j += 1
        parts.append(str(seqs[i]) if j - i < 2 else f"{seqs[i]}–{seqs[j]}")
        if j - i == 1:
            parts[-1:] = [str(seqs[i]), str(seqs[j])]
        i = j + 1
    return ", ".join(parts)


def gap_message(sender_name: str, missing: list[int]) -> str:
    """"thiếu gói số 7 của xã Bình Tân"."""
    if len(missing) == 1:
        return f"thiếu gói số {missing[0]} của {sender_name}"
    return f"thiếu các gói số {_numbers(missing)} của {sender_name}"
