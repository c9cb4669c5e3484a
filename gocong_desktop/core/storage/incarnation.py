"""Which life of this database a change was made in, so that an edit made after
a restore is never taken for an old one.

Every flush that changes synced records takes the next value of a per-database
counter (``change_seq``) and stamps the records with it and with the database's
current incarnation (``origin``). A new incarnation starts when a backup is
restored (the file goes back in time: versions made after the backup are
reused) or when the file is first written on another PC (a copy may live on
beside the original). Each incarnation records its parent and the counter value
it forked at — its lineage — which travels in every sync package, so the upper
office can tell which of the commune's changes the commune still has
(``sync/lineage.py``).

The row lives in ``sync_clock`` and is written with plain SQL from the flush
hook: it is bookkeeping, not audited, never sent as a record.
"""

from __future__ import annotations

import hashlib
import json
import os
from gocong_desktop.core.sqlite import cipher
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from gocong_desktop.core.storage import audit_chain

Execute = Callable[[str, tuple], Any]  # runs SQL with "?" parameters, returns a cursor-like result

CREATE, RESTORE, MACHINE, MIGRATE = "create", "restore", "machine", "migrate"
REASONS = (CREATE, RESTORE, MACHINE, MIGRATE)
MACHINE_ENV = "GOCONG_MACHINE_ID"  # set by tests and disk-imaging set-ups to pin the PC's identity


@dataclass(frozen=True)
class Clock:
    incarnation: str
    change_seq: int
    lineage: tuple[dict, ...]  # oldest first; the last entry is ``incarnation``
    full_export_needed: bool

    @property
    def root(self) -> str:
        return self.lineage[0]["id"]


def _node(parent: str | None, fork_seq: int | None, reason: str, replaced: str | None = None,
          same_pc: bool = False) -> dict:
    return {"id": str(uuid.uuid4()), "parent": parent, "fork_seq": fork_seq, "reason": reason,
            "at": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "replaced": replaced, "same_pc": same_pc}


def _raw_machine_id() -> str:
    if env := os.environ.get(MACHINE_ENV):
        return env
    if os.name == "nt":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except OSError:
            pass
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(candidate).read_text().strip()
        except OSError:
            continue
        if text:
            return text
    return _data_dir_machine_id()


def _data_dir_machine_id() -> str:
    """A PC without a system identity (rare): one made and kept in the data folder."""
    from gocong_desktop.core.paths import data_dir

    path = data_dir() / "machine-id"
    try:
        return path.read_text().strip() or ""
    except OSError:
        pass
    made = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(made)
    except OSError:
        return "unknown"
    return made


def machine_id() -> str:
    """A digest of this PC's identity (the raw id is not stored in data files)."""
    return hashlib.sha256(f"gocong-machine:{_raw_machine_id()}".encode()).hexdigest()[:32]


def start_clock(execute: Execute) -> None:
    """The first incarnation of a database (new, or upgraded from before clocks)."""
    node = _node(None, None, CREATE)
    execute("INSERT INTO sync_clock (id, incarnation, machine, change_seq, lineage_json, full_export_needed) "
            "VALUES (1, ?, NULL, 0, ?, FALSE)", (node["id"], json.dumps([node])))


def restart_clock(execute: Execute, incarnation_id: str, at: str) -> None:
    """Give a file being made from scratch a chosen first incarnation (the demo
    generator, so that the same seed makes the same file)."""
    node = {"id": incarnation_id, "parent": None, "fork_seq": None, "reason": CREATE, "at": at, "replaced": None,
            "same_pc": False}
    execute("UPDATE sync_clock SET incarnation = ?, lineage_json = ? WHERE id = 1",
            (incarnation_id, json.dumps([node])))


def read_clock(execute: Execute) -> Clock | None:
    row = execute("SELECT incarnation, change_seq, lineage_json, full_export_needed FROM sync_clock "
                  "WHERE id = 1", ()).fetchone()
    if row is None:
        return None
    return Clock(incarnation=row[0], change_seq=row[1], lineage=tuple(json.loads(row[2])),
                 full_export_needed=bool(row[3]))


def fork(execute: Execute, reason: str, *, replaced: str | None = None,
         replaced_lineage: tuple[dict, ...] = ()) -> Clock:
    """Start a new incarnation after the current one, at the current counter.
    A restore names the incarnation whose file it replaced (None when there was
    no file, or it could not be read: a backup put on a second PC ends nothing),
    and whether the backup was made on this PC — then the backed-up incarnation's
    own line ended here, whatever was in between."""
    clock = read_clock(execute)
    same_pc = False
    if reason == RESTORE:
        written_on = execute("SELECT machine FROM sync_clock WHERE id = 1", ()).fetchone()[0]
        same_pc = written_on in (None, machine_id())
    node = _node(clock.incarnation, clock.change_seq, reason, replaced, same_pc)
    # The replaced file's own history (restores the upper office may never have heard
    # of) is kept as side branches, so that their ends are known wherever this goes.
    known = {n["id"] for n in clock.lineage}
    lineage = [*clock.lineage, *(n for n in replaced_lineage if n["id"] not in known), node]
    full = clock.full_export_needed or reason == RESTORE  # the upper office may hold changes lost here
    execute("UPDATE sync_clock SET incarnation = ?, lineage_json = ?, full_export_needed = ? WHERE id = 1",
            (node["id"], json.dumps(lineage), full))
    audit_chain.start_new_chain(execute)
    return Clock(node["id"], clock.change_seq, tuple(lineage), full)


def stamp(execute: Execute) -> tuple[str, int]:
    """(origin, change_seq) for the records changed in this flush. The first
    write on another PC starts a new incarnation first, in a file: a database on a
    server is written from every officer's PC and is copied by the server's tools
    only, so there no PC starts one (its ``machine`` stays empty)."""
    row = execute("SELECT incarnation, change_seq, machine FROM sync_clock WHERE id = 1", ()).fetchone()
    if row is None:  # a file being made before its clock (never in normal use)
        return None, None
    incarnation, seq, written_on = row
    here = machine_id() if getattr(execute, "dialect", "sqlite") == "sqlite" else None
    if written_on is not None and written_on != here:
        incarnation = fork(execute, MACHINE).incarnation
    execute("UPDATE sync_clock SET change_seq = ?, machine = ? WHERE id = 1", (seq + 1, here))
    return incarnation, seq + 1


def mark_full_export_done(execute: Execute) -> None:
    execute("UPDATE sync_clock SET full_export_needed = FALSE WHERE id = 1", ())


def file_clock(path: str | Path) -> Clock | None:
    """The clock of a closed database file, or None (no clock, unreadable)."""
    from gocong_desktop.core.sqlite.raw import connect_readonly  # no -wal/-shm left beside a closed file

    try:
        con = connect_readonly(Path(path))
    except cipher.Error:
        return None
    try:
        return read_clock(lambda sql, params: con.execute(sql, params))
    except (cipher.Error, ValueError, TypeError):
        return None
    finally:
        con.close()


def fork_file(path: str | Path, reason: str, *, replaced: Clock | None = None) -> None:
    """Start a new incarnation in a closed database file (a restored copy) that
    replaces the file whose clock is ``replaced``. A file from before clocks gets
    its first one when it is upgraded, which asks for a full package anyway."""
    from gocong_desktop.core.sqlite.raw import connect

    con = connect(Path(path), isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        has_clock = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_clock'").fetchone()
        if has_clock and read_clock(lambda sql, params: con.execute(sql, params)) is not None:
            fork(lambda sql, params: con.execute(sql, params), reason,
                 replaced=replaced.incarnation if replaced else None,
                 replaced_lineage=replaced.lineage if replaced else ())
        con.execute("COMMIT")
    finally:
        con.close()
