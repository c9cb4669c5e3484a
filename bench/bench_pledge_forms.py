"""Printing pre-filled pledge forms for a whole commune; prints figures.

    python bench/bench_pledge_forms.py [--households 1000]

Target (issue 5): forms for 1,000 households, one page each, under 15 s.
The demo's campaign of a year already under way is printed, every resident
household of the commune asked to sign in one PDF.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.documents.pdf.pledge_forms import write_pledge_forms_pdf
from gocong_desktop.core.services import pledge_print


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        generate_demo(path, households=args.households, seed=1, today=date(2025, 6, 1))
        db = open_database(path)
        start = time.perf_counter()
        with db.session() as session:
            forms = pledge_print.pledge_forms(session, 2025)
        read = time.perf_counter() - start
        write_pledge_forms_pdf(forms, Path(folder) / "forms.pdf")
        total = time.perf_counter() - start
        size = (Path(folder) / "forms.pdf").stat().st_size / 1e6
        db.close()
    print(f"forms for {len(forms)} households: read {read:.2f} s, total {total:.2f} s "
          f"({1000 * total / max(len(forms), 1):.1f} ms a page), {size:.1f} MB; target < 15 s")


if __name__ == "__main__":
    main()
