"""Realistic demo data for one commune: xã Bình Tân, huyện Gò Công Tây, Tiền Giang.

``generate_demo`` fills a new database file with hamlets, Tổ NDTQ groups,
households, two years of meetings, pledges, prevention models with their
reviews, and propaganda activities. The same seed (and ``today``) gives the
same file content, ids and timestamps included, so demos and benchmarks are
repeatable. 50,000 households take seconds, not minutes: rows are built in
Python and written in one transaction with executemany (see ``rows``).
"""

from __future__ import annotations

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection

from gocong_desktop.core.storage import audit_chain, incarnation
from gocong_desktop.core.db.engine import Database, new_encrypted, open_database
from gocong_desktop.core.db import changes
from gocong_desktop.core.db.changes import EVERYTHING
from gocong_desktop.core.sqlite.files import discard_created, missing_parents
from gocong_desktop.core.db.models import AdminUnit
from gocong_desktop.core.text import format_int
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services.office import setup_office
from gocong_desktop.core.demo.accounts import add_demo_accounts
from gocong_desktop.core.demo.meetings import build_meetings
from gocong_desktop.core.demo.people import build_registers
from gocong_desktop.core.demo.pledges import build_pledges
from gocong_desktop.core.demo.prevention import build_prevention
from gocong_desktop.core.demo.propaganda import build_propaganda
from gocong_desktop.core.demo.rows import Rows, indexes_rebuilt_after, stored_form
from gocong_desktop.core.demo.state import Demo

__all__ = ["DemoSummary", "generate_demo", "MIN_HOUSEHOLDS", "MAX_HOUSEHOLDS"]

MIN_HOUSEHOLDS, MAX_HOUSEHOLDS = 100, 200_000
OFFICE = dict(unit_name="Bình Tân", unit_code="28318", role="commune", unit_type="xã",
              province_name="Tiền Giang", district_name="Gò Công Tây",
              upper_office_name="Công an huyện Gò Công Tây")

_LABELS = {  # what the CLI prints, in a sensible order
    "admin_unit": "Ấp", "self_managed_group": "Tổ NDTQ", "household": "Hộ gia đình",
    "meeting": "Cuộc họp", "attendance": "Lượt điểm danh", "agenda_item": "Nội dung họp",
    "agenda_opinion": "Ý kiến tại cuộc họp", "meeting_guest": "Khách mời",
    "pledge": "Bản cam kết", "pledge_violation": "Vi phạm cam kết",
    "prevention_model": "Mô hình phòng, chống tội phạm", "model_site": "Điểm mô hình",
    "evaluation": "Lượt đánh giá mô hình", "propaganda_activity": "Hoạt động tuyên truyền",
}


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    seed: int
    counts: dict[str, int]  # rows written per table
    elapsed: float  # seconds

    def lines(self) -> list[str]:
        """"Hộ gia đình: 1.500" lines for the CLI (Vietnamese digit grouping)."""
        out = [f"{label}: {format_int(self.counts.get(table, 0))}" for table, label in _LABELS.items()]
        return out + [f"Thời gian: {self.elapsed:.1f} giây"]



def generate_demo(db_path: str | Path, *, households: int = 1500, seed: int = 0,
                  today: date | None = None, unit_name: str | None = None,
                  unit_code: str | None = None, encrypted: bool = True) -> DemoSummary:
    """Create ``db_path`` filled with demo data (for xã Bình Tân unless another
    commune's name and code are given), encrypted like a real office's unless
    ``encrypted`` is False (benchmarks compare both). An existing non-empty file
    is refused untouched (the caller decides whether to delete it); on failure
    the half-written file is removed."""
    started = time.perf_counter()
    path = Path(db_path).expanduser()
    _check_request(path, households)
    was_empty_file, new_dirs = path.exists(), missing_parents(path)  # non-empty was refused
    db: Database | None = None
    try:
        db = open_database(path, create=True, key=new_encrypted(path) if encrypted else None)
        with db.session(actor="demo") as session:
            setup_office(session, **{**OFFICE, "unit_name": unit_name or OFFICE["unit_name"],
                                     "unit_code": unit_code or (None if unit_name else OFFICE["unit_code"])})
        with _bulk_transaction(db) as conn:
            counts = _fill(conn, households, seed, today or date.today())
        with db.session(actor="demo") as session:  # last: the data above is written as administrator
            add_demo_accounts(session)
    except BaseException:
        if db is not None:
            db.close()
        discard_created(path, was_empty_file=was_empty_file, new_dirs=new_dirs)
        raise
    db.close()
    changes.report(EVERYTHING)  # rows written in bulk, past the flush hook
    return DemoSummary(path=path, seed=seed, counts=counts, elapsed=time.perf_counter() - started)


def _check_request(path: Path, households: int) -> None:
    if path.is_dir() or (path.exists() and path.stat().st_size > 0):
        raise ConflictError(f"Tệp «{path}» đã có dữ liệu. Dữ liệu mẫu chỉ được tạo trong tệp "
                            "mới: hãy chọn tên tệp khác hoặc tự xóa tệp cũ.")
    if not MIN_HOUSEHOLDS <= households <= MAX_HOUSEHOLDS:
        raise ValidationError(f"Số hộ mẫu phải từ {MIN_HOUSEHOLDS} đến "
                              f"{format_int(MAX_HOUSEHOLDS)} (đang là {households}).",
                              field="households")


@contextmanager
def _bulk_transaction(db: Database) -> Iterator[Connection]:
    """One transaction for all demo rows, without per-row foreign-key checks
    (the rows are consistent by construction; the tests run foreign_key_check).
    A failure leaves nothing behind: the caller deletes the file."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # ignored inside a transaction
        conn.exec_driver_sql("PRAGMA cache_size=-131072")  # 128 MB while building indexes
        conn.exec_driver_sql("BEGIN")  # explicit, so the index DDL is inside it too
        try:
            yield conn
            conn.commit()
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.exec_driver_sql("PRAGMA cache_size=-2000")


def _fill(conn: Connection, households: int, seed: int, today: date) -> dict[str, int]:
    rows = Rows(random.Random(seed), owner_unit_id="", conn=conn, today=today)
    rows.origin = rows.new_id()
    incarnation.restart_clock(lambda sql, params: conn.exec_driver_sql(sql, params), rows.origin, today.isoformat())
    demo = Demo(rng=rows.rng, rows=rows, today=today, commune_id="", household_count=households)
    demo.commune_id = rows.owner_unit_id = _pin_setup_rows(conn, rows, demo)
    with indexes_rebuilt_after(conn):
        # Later parts read what earlier ones made (demo.homes...), not the rows.
        for build in (build_registers, build_meetings, build_pledges, build_prevention,
                      build_propaganda):
            build(demo)
            rows.flush()
    return dict(rows.written)


def _pin_setup_rows(conn: Connection, rows: Rows, demo: Demo) -> str:
    """setup_office makes a random id for the commune and now() stamps; swap in
    seeded ones so the whole file is reproducible (foreign keys are off here).
    Province and district keep their shared ids. Returns the commune's id."""
    units = conn.exec_driver_sql("SELECT id, level FROM admin_unit WHERE level = 'commune'").all()
    new_ids = {unit.id: rows.new_id() for unit in units}
    for old, new in new_ids.items():
        for table, column in [("admin_unit", "id"), ("admin_unit", "parent_id"),
                              ("admin_unit", "owner_unit_id"), ("office", "unit_id"),
                              ("audit_log", "record_id")]:
            conn.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new, old))
    for (audit_id,) in conn.exec_driver_sql("SELECT id FROM audit_log ORDER BY rowid").all():
        conn.exec_driver_sql("UPDATE audit_log SET id = ? WHERE id = ?", (rows.new_id(), audit_id))
    stamp = stored_form(conn, AdminUnit.__table__.c.created_at.type)(demo.register_stamp)
    conn.exec_driver_sql("UPDATE admin_unit SET created_at = ?, updated_at = ?, origin = ?, change_seq = 0",
                         (stamp, stamp, rows.origin))
    conn.exec_driver_sql("UPDATE office SET created_at = ?", (stamp,))
    conn.exec_driver_sql("UPDATE audit_log SET at = ?", (stamp,))
    # The entries changed under their hashes: chain them again, under a seeded id.
    audit_chain.reseal(lambda sql, params: conn.exec_driver_sql(sql, params), chain_id=new_ids[units[-1].id])
    return new_ids[units[-1].id]
