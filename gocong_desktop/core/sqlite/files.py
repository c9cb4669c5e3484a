"""Leaving no half-made database behind when creating one fails."""

from __future__ import annotations

from pathlib import Path

from gocong_desktop.core.sqlite.raw import side_files


def missing_parents(path: Path) -> list[Path]:
    """Folders that creating ``path`` would make, innermost first."""
    return [p for p in path.parents if not p.exists()]


def discard_created(path: Path, *, was_empty_file: bool, new_dirs: list[Path] = ()) -> None:
    """Undo creating a database at ``path``: remove it with its SQLite side
    files (or empty it again, if an empty file was there), then the folders
    made for it."""
    for side in side_files(path):  # with the key slot table written for it
        side.unlink(missing_ok=True)
    if was_empty_file:
        path.write_bytes(b"")
    else:
        path.unlink(missing_ok=True)
    for folder in new_dirs:
        try:
            folder.rmdir()
        except OSError:  # not empty, or not ours to remove
            break
