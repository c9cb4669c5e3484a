"""A verified copy of the database before an import changes it (SQLite's backup
API: consistent while the app holds the file open; encrypted like the file). The
newest few are kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gocong_desktop.core.storage.backup import BackupError, backup_extension, write_backup
from gocong_desktop.core.errors import DatabaseError

KEEP = 3
TAG = "truoc-nhap-goi"


def backup_before_import(path: Path) -> Path:
    path = Path(path)
    stamp, extension = datetime.now().strftime("%Y%m%d-%H%M%S"), backup_extension(path)
    target = path.with_name(f"{path.stem}.{TAG}-{stamp}{extension}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.stem}.{TAG}-{stamp}-{n}{extension}")
        n += 1
    try:
        write_backup(path, target)
    except BackupError as exc:
        raise DatabaseError(f"Không sao lưu được cơ sở dữ liệu trước khi nhập ({exc.message}); chưa nhập gì.") from exc
    _prune(path)
    return target


def _prune(path: Path) -> None:
    prefix = f"{path.stem}.{TAG}-"
    old = sorted((p for p in path.parent.iterdir() if p.name.startswith(prefix)),
                 key=lambda p: p.name, reverse=True)  # names carry the time
    for extra in old[KEEP:]:
        extra.unlink(missing_ok=True)
