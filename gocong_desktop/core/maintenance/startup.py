"""The start-up check: is the database sound enough to open?

``quick_check`` at every start; the full ``integrity_check`` after an unclean
shutdown (the lock file was left behind, see ``lock``). A damaged file is not
opened: the caller offers the newest backup that passes its own check, and
restoring keeps the damaged file under another name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.storage.backup import BackupError, BackupInfo, all_backups, verify_backup
from gocong_desktop.core.maintenance.check import integrity_problems
from gocong_desktop.core.maintenance.restore import restore_backup

log = logging.getLogger(__name__)
DAMAGED_TAG = "bi-hong"


@dataclass
class StartupCheck:
    db_path: Path
    full: bool  # integrity_check (after an unclean shutdown) rather than quick_check
    problems: list[str]
    backup: BackupInfo | None = None  # the newest good backup, when damaged

    @property
    def damaged(self) -> bool:
        return bool(self.problems)


def check_at_start(db_path: str | Path, *, unclean: bool) -> StartupCheck:
    db_path = Path(db_path).absolute()
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return StartupCheck(db_path, full=False, problems=[])  # nothing yet: open_database decides
    problems = integrity_problems(db_path, full=unclean)
    check = StartupCheck(db_path, full=unclean, problems=problems)
    if problems:
        log.error("%s failed its %s: %s", db_path, "integrity_check" if unclean else "quick_check", problems)
        check.backup = newest_good_backup(db_path)
    elif unclean:
        log.warning("%s was not closed cleanly; integrity_check passed", db_path)
    return check


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    for info in all_backups(db_path):
        try:
            verify_backup(info.path)
        except BackupError as exc:
            log.warning("backup %s unusable: %s", info.path, exc.message)
            continue
        return info
    return None


def damaged_message(check: StartupCheck) -> str:
    detail = "; ".join(check.problems[:2])
    text = (f"Dữ liệu trong tệp «{check.db_path}» bị hỏng, có thể do mất điện hoặc ổ đĩa lỗi "
            f"({detail}).")
    if check.backup is None:
        return text + (" Chưa có bản sao lưu nào còn tốt. Tệp được giữ nguyên; hãy nhờ cán bộ kỹ thuật "
                       "kiểm tra, hoặc chọn tệp dữ liệu khác.")
    b = check.backup
    return text + (f" Bản sao lưu mới nhất còn tốt được lập lúc {b.taken_at:%H:%M} ngày {b.taken_at:%d/%m/%Y}; "
                   "các thay đổi sau thời điểm đó sẽ cần nhập lại. Tệp bị hỏng được giữ lại dưới tên khác, "
                   "không bị xóa.")


def recover_from_backup(check: StartupCheck) -> Path | None:
    """Restore the newest good backup; returns where the damaged file was kept."""
    if check.backup is None:
        raise DatabaseError(damaged_message(check))
    return restore_backup(check.db_path, check.backup.path, tag=DAMAGED_TAG)
