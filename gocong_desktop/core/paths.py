"""Where data lives by default: the user's data folder (platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "gocong_desktop"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "gocong.db"


def log_dir() -> Path:
    return user_log_path(APP_NAME, appauthor=False)
