"""The encrypted database against a plain one: sign-in to the first page, and household
search on a large commune, printed side by side.

    python bench/bench_encryption.py [--households 50000]

Target (issue 14): encrypted within 1.3x of plain for both.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from gocong_desktop.core.sqlite import unlocked
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.demo.accounts import PASSWORD
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.households import count_households, list_households
from gocong_desktop.core.services.unlocking import needs_unlock, unlock_with_password

QUERIES = ["nguyen van", "NGUYỄN VĂN", "dong", "thi hoa", "loi an", "0912", "zzz"]
TARGET = 1.3


def median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sign_in_to_first_page(path: Path) -> None:
    """What the window does from the sign-in box to the household list."""
    unlocked._keys.clear()  # as a new start of the app: nothing unlocked yet
    if needs_unlock(path):
        unlock_with_password(path, "canbo", PASSWORD)
        db = open_database(path)
        accounts.sign_in_unlocked(db, "canbo")
    else:
        db = open_database(path)
        accounts.sign_in(db, "canbo", PASSWORD)
    with db.session() as session:
        count_households(session)
        list_households(session, limit=500)
    db.close()


def search_all(path: Path) -> float:
    db = open_database(path)
    total = 0.0
    with db.session() as session:
        for query in QUERIES:
            total += median_time(lambda: count_households(session, search=query))
            total += median_time(lambda: list_households(session, search=query, limit=500))
    db.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = {"plain": Path(folder) / "plain.db", "encrypted": Path(folder) / "encrypted.db"}
        for kind, path in files.items():
            start = time.perf_counter()
            generate_demo(path, households=args.households, seed=1, encrypted=kind == "encrypted")
            print(f"demo {args.households} households, {kind}: {time.perf_counter() - start:.1f} s, "
                  f"{path.stat().st_size / 1e6:.1f} MB")
        unlock_with_password(files["encrypted"], "canbo", PASSWORD)  # for the search rounds
        rows = [("sign-in to first page", {k: median_time(lambda p=p: sign_in_to_first_page(p)) for k, p in
                                           files.items()})]
        unlock_with_password(files["encrypted"], "canbo", PASSWORD)
        rows.append((f"{len(QUERIES)} searches (count + first page)", {k: search_all(p) for k, p in files.items()}))
        print(f"{'':38} {'plain':>10} {'encrypted':>10} {'ratio':>7}")
        for label, times in rows:
            ratio = times["encrypted"] / times["plain"]
            verdict = "ok" if ratio <= TARGET else f"over {TARGET}x"
            print(f"{label:38} {times['plain'] * 1000:8.1f} ms {times['encrypted'] * 1000:8.1f} ms "
                  f"{ratio:6.2f}x {verdict}")


if __name__ == "__main__":
    main()
