"""The folder each kind of "save as" dialog starts in: the last one used, on this PC
(QSettings), each key declared once here. The keys are those older versions
used, so folders remembered before stay remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

REPORTS = "models/report_folder"  # reports and the upper office's aggregate report (PDF, Excel)
PDFS = "pdf/last_folder"  # PDF documents saved from a preview
PLEDGE_PDFS = "pledges/pdf_folder"  # printed pledge forms
HOUSEHOLD_LISTS = "households/import_folder"  # household lists taken in (.xlsx, .csv)


def last_folder(settings: QSettings, key: str) -> Path:
    """The folder last used for ``key``; the home folder the first time."""
    return Path(str(settings.value(key, "") or Path.home()))


def remember(settings: QSettings, key: str, path: Path) -> None:
    """The next dialog for ``key`` starts where ``path`` was saved."""
    settings.setValue(key, str(Path(path).parent))


def ask_save_path(parent: QWidget | None, settings: QSettings, key: str, *, title: str, name: str,
                  filters: str, suffix: str | None = None) -> tuple[Path, str] | None:
    """The path chosen (``suffix`` added when missing) and the filter chosen; None
    when cancelled. The next dialog for ``key`` starts in the folder chosen."""
    chosen, chosen_filter = QFileDialog.getSaveFileName(parent, title, str(last_folder(settings, key) / name),
                                                        filters)
    if not chosen:
        return None
    path = Path(chosen)
    if suffix is not None and path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    remember(settings, key, path)
    return path, chosen_filter
