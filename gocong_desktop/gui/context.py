"""What pages and dialogs are given: narrow dependencies, never the main window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

from PySide6.QtCore import QSettings

from gocong_desktop.core.db import access
from gocong_desktop.core.db.engine import Database
from gocong_desktop.gui.tasks import TaskRunner


@dataclass
class AppContext:
    db: Database
    tasks: TaskRunner
    settings: QSettings

    def can_write(self) -> bool:
        """False for a viewer (screens open read-only; the services refuse anyway)."""
        return access.can_write(self.db.role())

    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A quick read on the UI thread: one session, ``fn(session, ...)``. Only for
        a few rows a dialog needs before it shows; pages read with ``query``."""
        with self.db.session() as session:
            return fn(session, *args, **kwargs)

    def query(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, parent: Any = None,
              key: Hashable | None = None, **kwargs: Any) -> int:
        """A read on a reader thread: ``fn(session, ...)`` in its own session;
        ``on_done(result)`` on the UI thread, unless a newer read with the same
        ``key`` started meanwhile (gui/queries.py)."""
        def job() -> Any:
            with self.db.session() as session:
                return fn(session, *args, **kwargs)

        return self.tasks.reads.run(job, on_done=on_done, on_error=on_error, parent=parent, key=key)

    def write(self, fn: Callable[..., Any], *args: Any,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              parent: Any = None, **kwargs: Any) -> None:
        """A write on the worker: ``fn(session, ...)`` in its own session; the pages
        showing the tables it wrote refresh themselves (``TaskRunner.data_changed``)."""
        def job() -> Any:
            with self.db.session() as session:
                return fn(session, *args, **kwargs)

        self.tasks.run(job, on_done=on_done, on_error=on_error, parent=parent)
