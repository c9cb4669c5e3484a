"""Demo generation and household search on a large commune; prints figures.

    python bench/bench_demo_search.py [--households 50000]

Targets (issue 2): demo of 50,000 households under 30 s on 2 cores; a search
fast enough for search-as-you-type.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.services.households import count_households, list_households

QUERIES = ["nguyen van", "NGUYỄN VĂN", "dong", "thi hoa", "loi an", "0912", "zzz"]


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        generate_demo(path, households=args.households, seed=1)
        print(f"demo {args.households} households: {time.perf_counter() - start:.2f} s")
        print(f"database size: {path.stat().st_size / 1e6:.1f} MB")
        db = open_database(path)
        with db.session() as session:
            for query in QUERIES:
                t_count, n = timed(lambda: count_households(session, search=query))
                t_page, _ = timed(lambda: list_households(session, search=query, limit=500))
                print(f"search {query!r:14}: {n:6} rows, count {t_count * 1000:6.1f} ms, "
                      f"first page {t_page * 1000:6.1f} ms")
            t_sorted, _ = timed(lambda: list_households(session, offset=25_000, limit=500))
            print(f"page of 500 at offset 25,000 by name: {t_sorted * 1000:.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
