"""What a unit of work changed: the tables it wrote, for the screens that show them.

In the spirit of Anki's OpChanges, the change set is derived where the writes
happen, never chosen by the caller: every flush of a session made by
``Database.session()`` adds the tables of the rows it wrote, and the commit hands
them to the recording open on that thread (``recording()``: the GUI's worker opens
one around each task). Nothing reaches the recording on a rollback. Writes that
bypass the ORM say what they wrote: ``note`` inside a session (counted with its
commit), ``report`` after a commit of their own (an import, a restore, the demo).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from gocong_desktop.core.db import models

_PENDING = "changes.pending"  # session.info key: tables flushed since the last commit


@dataclass(frozen=True)
class ChangeSet:
    """The tables a unit of work wrote; ``everything`` when it replaced or imported
    data wholesale (a restore, a sync package): every screen is out of date."""

    tables: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, *tables: str) -> ChangeSet:
        return cls(frozenset(tables))

    def touches(self, *tables: str) -> bool:
        """True when any of ``tables`` was written (always, for ``everything``)."""
        return self.everything or not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return self.everything or bool(self.tables)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.tables | other.tables, self.everything or other.everything)


NOTHING = ChangeSet()
EVERYTHING = ChangeSet(everything=True)


def known_tables() -> frozenset[str]:
    """Every table's name, without loading the table classes (a page's module
    names its tables when imported: only the start page's is, at start)."""
    return models.TABLE_NAMES


def table_set(*tables: str) -> frozenset[str]:
    """The tables a screen shows, checked when it is defined: a misspelt name
    would leave the screen stale for ever."""
    if unknown := set(tables) - known_tables():
        raise ValueError(f"No such table: {', '.join(sorted(unknown))}")
    return frozenset(tables)


class Recording:
    """What committed on one thread while the recording was open."""

    def __init__(self) -> None:
        self.changes = NOTHING

    def add(self, changes: ChangeSet) -> None:
        self.changes = self.changes | changes


# Per thread (each thread starts with an empty context): the worker's recording
# never sees a read committed on the UI thread, nor the other way round.
_current: ContextVar[Recording | None] = ContextVar("gocong_changes_recording", default=None)


@contextmanager
def recording() -> Iterator[Recording]:
    """Collect what commits on this thread during the block. A recording opened
    inside another passes its changes on to the outer one when it ends."""
    outer, recorded = _current.get(), Recording()
    token = _current.set(recorded)
    try:
        yield recorded
    finally:
        _current.reset(token)
        if outer is not None:
            outer.add(recorded.changes)


def report(changes: ChangeSet) -> None:
    """A write outside the ORM, already committed, says what it changed."""
    if (recorded := _current.get()) is not None:
        recorded.add(changes)


def note(session: Session, *tables: str) -> None:
    """Raw SQL inside a session: the tables count with the session's commit."""
    _pending(session).update(tables)


def _pending(session: Session) -> set[str]:
    return session.info.setdefault(_PENDING, set())


def _after_flush(session: Session, _context: Any) -> None:
    # Still the pre-flush state here: the new, changed and deleted rows just written.
    pending = _pending(session)
    for obj in (*session.new, *session.deleted):
        pending.add(type(obj).__table__.name)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            pending.add(type(obj).__table__.name)


def _on_execute(state: ORMExecuteState) -> None:
    """Bulk statements through the session (``session.exec(delete(...))``) skip the flush."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if (name := getattr(table, "name", None)) is not None:
            _pending(state.session).add(name)


def _after_commit(session: Session) -> None:
    if pending := session.info.pop(_PENDING, None):
        report(ChangeSet(frozenset(pending)))


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def install(session_factory: Any) -> None:
    """Attach the listeners to a ``sessionmaker``."""
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "do_orm_execute", _on_execute)
    event.listen(session_factory, "after_commit", _after_commit)
    event.listen(session_factory, "after_rollback", _after_rollback)
