"""A log file for unexpected errors, so "Đã xảy ra lỗi" can say where to look."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from gocong_desktop.core.paths import log_dir

_log_file: Path | None = None


def setup_logging() -> Path | None:
    """Log to a rotating file in the user's log folder; None if it cannot be written."""
    global _log_file
    if _log_file is not None:
        return _log_file
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "gocong_desktop.log"
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_file = path
    return path


def unexpected_error_message(log_file: Path | None) -> str:
    where = f" Chi tiết đã được ghi vào «{log_file}»." if log_file else ""
    return "Đã xảy ra lỗi ngoài dự kiến; dữ liệu đã lưu không bị ảnh hưởng." + where
