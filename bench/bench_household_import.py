"""Importing a commune's household list of the largest size accepted; prints figures.

    python bench/bench_household_import.py [--rows 20000] [--households 500]

A demo commune, then a workbook of ``--rows`` rows: its own households again
(each an update) and new ones, in its hamlets and groups. Measured: reading
the workbook, the preview (plan), and the import (one transaction).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from figures import figure
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.services import groups, households
from gocong_desktop.core.services import household_import as hi

HEADERS = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Ấp", "Tổ", "Địa chỉ", "Điện thoại", "Số nhân khẩu"]


def write_list(db, path: Path, rows: int) -> None:
    with db.session() as s:
        existing = households.list_households(s)
        active = [g for g in groups.list_groups(s) if g.active]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH"])
    sheet.append(HEADERS)
    for i, h in enumerate(existing[:rows], 1):
        sheet.append([i, h.head_name, h.birth_year, h.hamlet_name, h.group_name, h.address, "0912345678", h.members])
    for i in range(len(existing[:rows]) + 1, rows + 1):
        g = active[i % len(active)]
        sheet.append([i, f"Nguyễn Văn Mới {i}", 1950 + i % 50, g.hamlet_name, g.number, f"{i} đường liên ấp",
                      None, 1 + i % 6])
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=hi.MAX_ROWS)
    parser.add_argument("--households", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        generate_demo(path, households=args.households, seed=1, today=date(2025, 6, 1))
        db = open_database(path)
        db.user = Principal(username="quantri", display_name="Quản trị viên (mẫu)", role=Role.ADMIN)
        sheet = Path(folder) / "ds.xlsx"
        write_list(db, sheet, args.rows)
        start = time.perf_counter()
        table = hi.read_table(sheet)
        read = time.perf_counter() - start
        mapping = hi.mapping_for(table)
        with db.session() as s:
            plan = hi.plan_import(s, table, mapping)
        planned = time.perf_counter() - start - read
        with db.session() as s:
            report = hi.import_households(s, table, mapping, skip_refused=True)
        total = time.perf_counter() - start
        db.close()
    print(f"household list of {args.rows} rows into a demo of {args.households} households: {plan.summary()}")
    figure("read the workbook", read)
    figure("preview (plan)", planned)
    figure("read, preview and import", total,
           note=f"{len(report.added_ids)} added, {len(report.updated_ids)} updated")


if __name__ == "__main__":
    main()
