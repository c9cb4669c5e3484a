"""One way to show errors: a UserError's own message, or "Đã xảy ra lỗi" with the log."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.logs import setup_logging, unexpected_error_message

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Không thực hiện được") -> None:
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, title, exc.message)
        return
    log.error("unexpected error", exc_info=exc)
    QMessageBox.critical(parent, "Lỗi", unexpected_error_message(setup_logging()))
