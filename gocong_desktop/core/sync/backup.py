"""A verified copy of the database before an import changes it (SQLite's backup
API: consistent while the app holds the file open). The newest few are kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from ..errors import DatabaseError

KEEP = 3
TAG = "truoc-nhap-goi"


def backup_before_import(path: Path) -> Path:
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{TAG}-{stamp}{path.suffix or '.db'}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.stem}.{TAG}-{stamp}-{n}{path.suffix or '.db'}")
        n += 1
    src, dst = sqlite3.connect(path), sqlite3.connect(target)
    try:
        src.backup(dst)
        ok = dst.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        target.unlink(missing_ok=True)
        raise DatabaseError(f"Không sao lưu được cơ sở dữ liệu trước khi nhập (bản sao «{target}» bị lỗi); "
                            "chưa nhập gì.")
    _prune(path)
    return target


def _prune(path: Path) -> None:
    prefix = f"{path.stem}.{TAG}-"
    old = sorted((p for p in path.parent.iterdir() if p.name.startswith(prefix)),
                 key=lambda p: p.name, reverse=True)  # names carry the time
    for extra in old[KEEP:]:
        extra.unlink(missing_ok=True)
