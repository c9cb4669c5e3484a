"""An encrypted database's key slots in use: unlocking, the sign-in pause, re-wrapping.

``unlock`` turns a user name and password (or recovery code) into the data key,
counting failures in the slot table itself, so that neither another path to the
same file nor deleting a file in the user's profile resets them. A failure is
counted *before* the slow key derivation and taken back on success: guesses made
in parallel by several processes each use up one of the five tries.

``Vault`` is the handle an open encrypted database keeps (``Database.vault``);
the account services call it to add, re-wrap and remove slots. Every change
reads the table afresh under a lock file and replaces it atomically, so a power
cut leaves the old table or the new one.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from filelock import FileLock, Timeout

from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.sqlite import key_slots
from gocong_desktop.core.sqlite.key_slots import PASSWORD, RECOVERY, KeySlotsError, Slot, SlotTable, read_table, who_of, write_table
from gocong_desktop.core.storage.interrupted import finish_restore
from gocong_desktop.core.sqlite.unlocked import remember

if TYPE_CHECKING:  # unlocking needs no SQLAlchemy: the window's sign-in box shows before it loads
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
MAX_FAILURES, PAUSE_SECONDS = 5, 30  # after 5 wrong passwords in a row, wait 30 s
LOCK_WAIT_S = 10
WRONG_PASSWORD = "Tên đăng nhập hoặc mật khẩu không đúng."
WRONG_CODE = ("Tên đăng nhập hoặc mã khôi phục không đúng. Mã khôi phục chỉ có ở tài khoản quản trị, "
              "là mã in trên phiếu khôi phục.")


@contextmanager
def _table_lock(db_path: Path) -> Iterator[None]:
    lock = FileLock(f"{key_slots.table_path(db_path)}.lock", timeout=LOCK_WAIT_S)
    try:
        with lock:
            yield
    except Timeout:
        raise KeySlotsError(f"Tệp khóa của «{db_path}» đang bận; hãy thử lại sau ít giây.") from None


def _update(db_path: Path, change) -> SlotTable:
    """Read, ``change(table)`` in place, write: one atomic step under the lock."""
    with _table_lock(db_path):
        table = read_table(db_path)
        change(table)
        write_table(db_path, table)
        return table


def _paused_for(table: SlotTable, who: str) -> float:
    """Seconds left of a pause: never more than one pause (an edited table cannot lock anyone out)."""
    return min(table.throttle.get(who, (0, 0.0))[1] - time.time(), PAUSE_SECONDS)


def _reserve_try(db_path: Path, who: str) -> SlotTable:
    def count(table: SlotTable) -> None:
        if (wait := _paused_for(table, who)) > 0:
            raise PermissionDeniedError(f"Nhập sai quá {MAX_FAILURES} lần. Hãy chờ {int(wait) + 1} giây "
                                        "rồi thử lại.")
        failures = table.throttle.get(who, (0, 0.0))[0] + 1
        paused = time.time() + PAUSE_SECONDS if failures >= MAX_FAILURES else 0.0
        table.throttle[who] = (0 if paused else failures, paused)
    return _update(db_path, count)


def _take_back_try(db_path: Path, who: str) -> None:
    def clear(table: SlotTable) -> None:
        table.throttle.pop(who, None)
    _update(db_path, clear)


def unlock(db_path: str | Path, username: str, secret: str, *, kind: str = PASSWORD) -> bytes:
    """The data key for a right user name and password (``kind`` RECOVERY: the
    recovery code); one message for any wrong pair. Remembered in this process."""
    db_path = Path(db_path).absolute()
    finish_restore(db_path)  # a restore a power cut stopped before its slot table was in place
    wrong = PermissionDeniedError(WRONG_CODE if kind == RECOVERY else WRONG_PASSWORD)
    first = read_table(db_path)
    who = who_of(first.file_id, username)
    if first.find(kind, who) is None:
        key_slots.burn_time()  # a name with no slot is not counted: made-up names never fill the table
        raise wrong
    table = _reserve_try(db_path, who)
    # Two slots of a kind only while an account change is being saved: try each.
    key = next((k for slot in table.find_all(kind, who) if (k := key_slots.unwrap(slot, secret, table))), None)
    if key is None:
        raise wrong
    _take_back_try(db_path, who)
    remember(table.key_id, key, username)
    return key


def unlock_backup(path: str | Path, username: str, secret: str, *, kind: str = PASSWORD) -> bytes:
    """The data key of a backup file for a password (or code) valid when it was made.
    Nothing to count failures in (a backup is never written): callers slow guesses down."""
    from gocong_desktop.core.storage.backup_file import read_slots

    table = read_slots(path)
    slot = table.find(kind, who_of(table.file_id, username))
    key = key_slots.unwrap(slot, secret, table) if slot else key_slots.burn_time()
    if key is None:
        raise PermissionDeniedError(f"Mật khẩu không đúng với bản sao lưu «{Path(path).name}»: cần mật khẩu "
                                    "của tài khoản lúc sao lưu (hoặc mã khôi phục lúc đó).")
    remember(table.key_id, key)
    return key


@dataclass(frozen=True)
class Vault:
    """The open encrypted database's data key and slot table."""

    db_path: Path
    file_id: str  # the data's identity (who-digests)
    key_id: str  # the key's (this file's slot table)
    key: bytes = field(repr=False)  # never in a log or a traceback

    def wrap(self, username: str, secret: str, kind: str = PASSWORD) -> Slot:
        """The data key wrapped with ``secret`` for ``username`` (the slow part: Argon2id)."""
        return key_slots.wrap(self.key, secret, file_id=self.file_id, key_id=self.key_id, kind=kind,
                              who=who_of(self.file_id, username))

    def replacing(self, slot: Slot) -> SlotChange:
        """``slot`` in the place of the user's slot of its kind, with the account change's commit."""
        return SlotChange(prepare=lambda: self._edit(lambda t: t.slots.append(slot)),
                          settle=lambda: self._edit(lambda t: setattr(t, "slots", [
                              s for s in t.slots if s == slot or (s.who, s.kind) != (slot.who, slot.kind)])),
                          undo=lambda: self._edit(lambda t: setattr(t, "slots", [s for s in t.slots if s != slot])))

    def removing(self, username: str, kind: str | None = None) -> SlotChange:
        """The user's slots (of ``kind``, or all) removed once the account change is saved."""
        return SlotChange(settle=lambda: self.remove(username, kind))

    def _edit(self, change: Callable[[SlotTable], None]) -> None:
        def edit(table: SlotTable) -> None:
            self._check_same_file(table)
            change(table)
        _update(self.db_path, edit)

    def remove(self, username: str, kind: str | None = None) -> None:
        """Remove the user's slots (of ``kind``, or all): that secret no longer opens the file."""
        who = who_of(self.file_id, username)

        def drop(table: SlotTable) -> None:
            self._check_same_file(table)
            table.slots = table.without(who, kind)
            if kind is None:
                table.throttle.pop(who, None)
        _update(self.db_path, drop)

    def opens(self, username: str, secret: str, kind: str = PASSWORD) -> bool:
        """True when ``secret`` is the user's (checked without counting a failure)."""
        table = read_table(self.db_path)
        return any(key_slots.unwrap(slot, secret, table) == self.key
                   for slot in table.find_all(kind, who_of(self.file_id, username)))

    def set_hint(self, hint: str | None) -> None:
        """Public text for the sign-in box (the demo's accounts)."""
        def put(table: SlotTable) -> None:
            table.hint = hint
        _update(self.db_path, put)

    def has_slot(self, username: str, kind: str = PASSWORD) -> bool:
        return read_table(self.db_path).find(kind, who_of(self.file_id, username)) is not None

    def _check_same_file(self, table: SlotTable) -> None:
        if table.key_id != self.key_id:
            raise KeySlotsError(f"Tệp khóa bên cạnh «{self.db_path}» đã bị thay bằng tệp của dữ liệu khác; "
                                "chưa thay đổi gì. Hãy đóng chương trình rồi mở lại.")


# ---- slot changes made with the session that changes the account --------------------

_PENDING, _PREPARED = "key_slot_changes", "key_slot_changes_prepared"


@dataclass(frozen=True)
class SlotChange:
    """A change of the slot table that goes with an account change: ``prepare`` before
    the database commits (a failure stops the commit), ``settle`` after it, ``undo``
    when it rolls back. A new secret is added beside the old one first and the old one
    removed only once the account change is saved: a commit that fails keeps the old
    secret working, and the new one is taken away again."""

    prepare: Callable[[], None] = lambda: None
    settle: Callable[[], None] = lambda: None
    undo: Callable[[], None] = lambda: None


def defer(session: Session, change: SlotChange) -> None:
    session.info.setdefault(_PENDING, []).append(change)


def _prepare(session: Session) -> None:
    for change in session.info.pop(_PENDING, []):
        session.info.setdefault(_PREPARED, []).append(change)
        change.prepare()


def _settle(session: Session) -> None:
    for change in session.info.pop(_PREPARED, []):
        try:
            change.settle()
        except Exception:  # saved already: an old slot left over is logged, not a failure of the save
            log.exception("key slot table not tidied after a saved account change")


def _undo(session: Session, *_args: object) -> None:
    session.info.pop(_PENDING, None)
    for change in reversed(session.info.pop(_PREPARED, [])):
        try:
            change.undo()
        except Exception:
            log.exception("key slot not taken back after a failed account change")


def install_slot_changes(session_factory: object) -> None:
    from sqlalchemy import event

    event.listen(session_factory, "before_commit", _prepare)
    event.listen(session_factory, "after_commit", _settle)
    event.listen(session_factory, "after_rollback", _undo)


def open_vault(db_path: str | Path, key: bytes) -> Vault:
    table = read_table(db_path)
    if key_slots.key_check(key, table.key_id) != table.check:
        raise KeySlotsError(mismatch_message(Path(db_path)))
    remember(table.key_id, key)
    return Vault(db_path=Path(db_path).absolute(), file_id=table.file_id, key_id=table.key_id, key=key)


def mismatch_message(db_path: Path) -> str:
    return (f"Tệp dữ liệu «{db_path}» không khớp với tệp khóa «{key_slots.table_path(db_path).name}» bên cạnh "
            "(tệp khóa của dữ liệu khác đã bị chép đè, hoặc tệp dữ liệu bị hỏng). Hãy chép đúng tệp khóa đi kèm dữ liệu này, "
            "hoặc khôi phục từ bản sao lưu.")


__all__ = ["PASSWORD", "RECOVERY", "Vault", "open_vault", "unlock", "mismatch_message"]
