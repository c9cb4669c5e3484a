"""One way to show errors: a UserError's own message, or "Đã xảy ra lỗi" with the log."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from gocong_desktop.core.errors import UserError
from gocong_desktop.core.logs import setup_logging, unexpected_error_message
from gocong_desktop.gui import message_box

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Không thực hiện được") -> None:
    if isinstance(exc, UserError):
        message_box.warning(parent, title, exc.message)
        return
    log.error("unexpected error", exc_info=exc)
    message_box.critical(parent, "Lỗi", unexpected_error_message(setup_logging()))
