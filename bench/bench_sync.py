"""Sync packages for a large commune; prints figures (not a pass/fail test).

    python bench/bench_sync.py [--households 3000] [--edits 40] [--upper postgresql://…]

A demo commune with two years of records exports a full, signed and encrypted
package (format 2: with its lineage); a new upper office imports it — every
record validated, stamps compared through the lineage — then imports it again;
a few edits make a small incremental package (about 10 KB), imported and
re-imported too. Beside them: a raw sqlite3 copy of the same rows.
Targets (issues 7 and 13): export under 3 s, import under 5 s, re-import under 1 s.
``--upper``: the upper office in that PostgreSQL database (empty; set up here) instead
of a SQLite file (issue 19).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo import accounts as demo_accounts
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.services.accounts import sign_in
from gocong_desktop.core.services import households, office
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.kinds import VERSIONED, all_kinds
from gocong_desktop.core.sync.peers import import_key_card
from bench_province import make_upper

TARGETS = {"export": 3.0, "import": 5.0, "re-import": 1.0}


def timed(label: str, fn, note: str = ""):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    target = TARGETS.get(label)
    verdict = f"  (target < {target:.0f} s: {'ok' if elapsed < target else 'MISSED'})" if target else ""
    print(f"{label:<22} {elapsed:6.2f} s{verdict}{note}")
    return result


def raw_copy(src: Path, dst: Path, unit_id: str) -> int:
    """The same rows with plain sqlite3: schema, SELECT, executemany, one commit."""
    con = sqlite3.connect(src)
    out = sqlite3.connect(dst)
    for (sql,) in con.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL "
                              "AND name NOT LIKE 'sqlite_%'"):
        out.execute(sql)
    rows = 0
    for kind in all_kinds():
        where = "owner_unit_id = ?" if kind.mode == VERSIONED else "1 = 1 OR ? IS NULL"
        data = con.execute(f"SELECT * FROM {kind.name} WHERE {where}", (unit_id,)).fetchall()
        if data:
            out.executemany(f"INSERT INTO {kind.name} VALUES ({','.join('?' * len(data[0]))})", data)
        rows += len(data)
    out.commit()
    out.close()
    con.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=3_000)
    parser.add_argument("--edits", type=int, default=40, help="households edited for the incremental package")
    parser.add_argument("--upper", help="an empty PostgreSQL database's URL for the upper office")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        usb = folder / "usb"
        usb.mkdir()
        start = time.perf_counter()
        # Plain: the raw sqlite3 copy it is compared with reads the file directly.
        generate_demo(folder / "xa.db", households=args.households, seed=1, encrypted=False)
        print(f"demo {args.households} households: {time.perf_counter() - start:.1f} s, "
              f"{(folder / 'xa.db').stat().st_size / 1e6:.0f} MB")
        upper, card = make_upper(folder, args.upper)
        commune = open_database(folder / "xa.db")
        sign_in(commune, "quantri", demo_accounts.PASSWORD)  # the demo has accounts: writes need one
        with commune.session() as s:
            import_key_card(s, card)
            unit_id = office.get_office(s).unit_id

        summary = timed("export", lambda: export_package(commune, usb, full=True))
        print(f"{'':<22} {summary.records:,} records, {summary.size / 1e6:.2f} MB, "
              f"{'encrypted' if summary.encrypted else 'signed only'}")
        fp = summary_fp(summary.path)
        result = timed("import", lambda: import_package(upper, summary.path, trust=[fp]))
        assert result.status == "imported", result.message
        again = timed("re-import", lambda: import_package(upper, summary.path))
        assert again.status == "already_imported"
        with commune.session() as s:
            for row in households.list_households(s, limit=args.edits):
                data = households.household_input(s, row.id)
                data.members = data.members + 1
                households.update_household(s, row.id, data)
        small = timed("incremental export", lambda: export_package(commune, usb))
        timed("incremental import", lambda: import_package(upper, small.path),
              f"  ({small.size / 1024:.1f} KB: {small.counts.get('household', 0)} households, "
              f"{small.records} records)")
        timed("re-import (small)", lambda: import_package(upper, small.path))
        rows = timed("raw sqlite3 copy", lambda: raw_copy(folder / "xa.db", folder / "raw.db", unit_id),
                     "  (same rows: read, executemany, commit; no checks, no file)")
        print(f"{'':<22} {rows:,} rows")
        commune.close()
        upper.close()


def summary_fp(path: Path) -> str:
    from gocong_desktop.core.sync.package import open_package

    return open_package(path).manifest.sender.fingerprint


if __name__ == "__main__":
    main()
